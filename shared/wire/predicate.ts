import type { z } from 'zod';

/**
 * "Would zod accept this value?", compiled once from a schema, for a hot path
 * that needs neither a parsed copy nor reasons. The till checks every event
 * before it queues it; safeParse spends about 9 µs on a five-line sale copying
 * it and keeping issue lists, the predicate about 2 µs.
 *
 * A predicate only ever says a safe yes. It knows the constructs our wire
 * formats use (objects, strings with patterns and lengths, safe integers with
 * bounds, enums, literals, nullable, arrays, unknown) and checks each at least
 * as strictly as zod does; anything else (optional, default, records, unions,
 * refinements, transforms, strict objects, …) it answers no. So a schema
 * change it does not know can make a caller slower, never more lenient. A no
 * means "not shown valid": the caller asks zod for the verdict and the reason.
 */
export type Predicate = (value: unknown) => boolean;

const no: Predicate = () => false;
const yes: Predicate = () => true;

/** What a check of a zod schema says about itself (`schema._zod.def.checks[i]._zod.def`). */
interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
}

function checkDefs(def: z.core.$ZodTypeDef): CheckDef[] {
  return (def.checks ?? []).map((c) => c._zod.def as CheckDef);
}

/** Length bounds of a string or an array, or undefined when a check is of another kind. */
function lengthBounds(checks: readonly CheckDef[]): { min: number; max: number } | undefined {
  let min = 0;
  let max = Infinity;
  for (const c of checks) {
    if (c.check === 'min_length' && typeof c.minimum === 'number') min = Math.max(min, c.minimum);
    else if (c.check === 'max_length' && typeof c.maximum === 'number') max = Math.min(max, c.maximum);
    else return undefined;
  }
  return { min, max };
}

function stringPredicate(def: z.core.$ZodStringDef): Predicate {
  // A string format (z.email(), z.uuid(), …) or a coercing string checks more than this knows.
  if (def.coerce || (def as { check?: string }).check !== undefined) return no;
  const checks = checkDefs(def);
  const patterns: RegExp[] = [];
  const lengths: CheckDef[] = [];
  for (const c of checks) {
    if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp) {
      // A global or sticky pattern carries state from one test to the next.
      if (c.pattern.global || c.pattern.sticky) return no;
      patterns.push(c.pattern);
    } else lengths.push(c);
  }
  const bounds = lengthBounds(lengths);
  if (!bounds) return no;
  const { min, max } = bounds;
  // Lengths in UTF-16 units: zod counts code points, which are never more
  // than units, so a string short enough here is short enough for zod. A
  // minimum counted in units could pass a string zod finds too short, hence
  // the doubling: n code points take at most 2n units.
  const minUnits = min * 2;
  return (v) => {
    if (typeof v !== 'string' || v.length > max || v.length < minUnits) return false;
    for (const p of patterns) if (!p.test(v)) return false;
    return true;
  };
}

function numberPredicate(def: z.core.$ZodNumberDef & { readonly check?: string; readonly format?: string }): Predicate {
  // Only whole numbers: z.int() is the number format "safeint"; other formats
  // (int32, float32, …) and plain numbers are not known here.
  if (def.coerce || def.check !== 'number_format' || def.format !== 'safeint') return no;
  // The tightest bounds; a strict bound on an integer is the next integer inclusive.
  let min = Number.MIN_SAFE_INTEGER;
  let max = Number.MAX_SAFE_INTEGER;
  for (const c of checkDefs(def)) {
    const limit = c.value;
    if (typeof limit !== 'number' || !Number.isFinite(limit)) return no;
    if (c.check === 'greater_than') min = Math.max(min, c.inclusive ? Math.ceil(limit) : Math.floor(limit) + 1);
    else if (c.check === 'less_than') max = Math.min(max, c.inclusive ? Math.floor(limit) : Math.ceil(limit) - 1);
    else return no;
  }
  return (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

function objectPredicate(def: z.core.$ZodObjectDef): Predicate {
  // A catchall (strict or loose objects) says something about unknown keys; plain objects strip them.
  if (def.catchall !== undefined || checkDefs(def).length > 0) return no;
  const keys = Object.keys(def.shape);
  const fields = keys.map((key) => compilePredicate(def.shape[key] as z.core.$ZodType));
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) if (!(fields[i] as Predicate)(record[keys[i] as string])) return false;
    return true;
  };
}

function arrayPredicate(def: z.core.$ZodArrayDef): Predicate {
  const bounds = lengthBounds(checkDefs(def));
  if (!bounds) return no;
  const { min, max } = bounds;
  const element = compilePredicate(def.element);
  return (v) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) return false;
    for (const item of v) if (!element(item)) return false;
    return true;
  };
}

function valuesPredicate(values: readonly unknown[]): Predicate {
  if (!values.every((x) => typeof x === 'string' || typeof x === 'boolean' || x === null)) return no;
  const allowed = new Set<unknown>(values);
  return (v) => allowed.has(v);
}

/** Compiles `schema` into a predicate that accepts a value only if `schema` would. */
export function compilePredicate(schema: z.core.$ZodType): Predicate {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  // Refinements and overwrites are checks too; every kind below either reads them or refuses.
  switch (def.type) {
    case 'string':
      return stringPredicate(def);
    case 'number':
      return numberPredicate(def);
    case 'object':
      return objectPredicate(def);
    case 'array':
      return arrayPredicate(def);
    case 'enum':
      return checkDefs(def).length > 0 ? no : valuesPredicate(Object.values(def.entries));
    case 'literal':
      return checkDefs(def).length > 0 ? no : valuesPredicate(def.values);
    case 'nullable': {
      if (checkDefs(def).length > 0) return no;
      const inner = compilePredicate(def.innerType);
      return (v) => v === null || inner(v);
    }
    case 'boolean':
      return checkDefs(def).length > 0 ? no : (v) => typeof v === 'boolean';
    case 'unknown':
    case 'any':
      return checkDefs(def).length > 0 ? no : yes;
    default:
      return no;
  }
}
