/** Plain JSON, as stored in events: no Dates, no undefined, no class instances. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const MAX_DEPTH = 64;

/**
 * Returns null when `value` is a plain JSON object, otherwise a description of the first
 * offending place (a path and the reason). Depth is bounded, which also catches cycles.
 */
export function findNonJson(value: unknown): string | null {
  if (!isPlainObject(value)) return `$: ${describe(value)} is not a JSON object`;
  return check(value, '$', 0);
}

function check(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path}: nested deeper than ${MAX_DEPTH} levels (or circular)`;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path}: ${String(value)} is not a JSON number`;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = check(value[i], `${path}[${i}]`, depth + 1);
          if (problem) return problem;
        }
        return null;
      }
      if (!isPlainObject(value)) return `${path}: ${describe(value)} is not plain JSON`;
      for (const key in value) {
        if (key === '__proto__') return `${path}: the key "__proto__" is not allowed`;
        const problem = check((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    default:
      return `${path}: ${describe(value)} is not a JSON value`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}
