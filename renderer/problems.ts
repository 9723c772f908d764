import type { Problem } from '../shared/result';

/** The problem if it names this field (or a part of it, like `lines[0].quantity` for `lines[0]`). */
export function errorFor(problem: Problem | null, field: string): Problem | null {
  if (!problem) return null;
  const f = problem.field;
  return f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`) ? problem : null;
}

/** The problem if no field on the screen is named by it, so it is shown at the top instead. */
export function unplaced(problem: Problem | null, fields: readonly string[]): Problem | null {
  return problem && !fields.some((f) => errorFor(problem, f)) ? problem : null;
}
