/**
 * Reading BENCH_* settings from the environment.
 */

/**
 * A positive integer from `process.env[name]`, `fallback` when unset; throws for anything else
 * or a value above `max` (every loop of the harness stays bounded).
 *
 * @example
 * positiveIntegerFromEnv('BENCH_ROUNDS', 3, 100); // 3 unless BENCH_ROUNDS is set
 */
export function positiveIntegerFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * A non-negative integer (0 allowed, e.g. to turn warm-up off).
 *
 * @example
 * nonNegativeIntegerFromEnv('BENCH_WARMUP', 1, 60);
 */
export function nonNegativeIntegerFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === '0') return 0;
  return positiveIntegerFromEnv(name, fallback, max);
}
