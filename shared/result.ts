/**
 * What a use case or a parser says went wrong, in a shape a UI can show beside
 * the field that caused it. `code` is a stable kebab-case string to branch on;
 * `reason` is a sentence for people.
 */
export interface Problem {
  readonly code: string;
  readonly field: string;
  readonly reason: string;
}

export type Result<T, E = Problem> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail(code: string, field: string, reason: string): { readonly ok: false; readonly error: Problem } {
  return { ok: false, error: { code, field, reason } };
}
