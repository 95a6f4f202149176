/**
 * What a protection step does when its store cannot answer (Redis down or slow, memory table full).
 * A store failure is never reported as `Throttling`, a replay or a parameter mismatch.
 */

/**
 * - `'fail-closed'`: refuse the request with `ServiceUnavailable` (503), which SDKs retry.
 * - `'fail-open'`: serve the request without the protection, and report the failure.
 */
export type StoreFailurePolicy = 'fail-open' | 'fail-closed';

/**
 * Throws unless `value` is a policy.
 *
 * @example
 * const policy = checkedPolicy(options.onStoreError ?? 'fail-closed', 'rateLimitThrottler');
 */
export function checkedPolicy(value: unknown, owner: string): StoreFailurePolicy {
  if (value !== 'fail-open' && value !== 'fail-closed') {
    throw new TypeError(`${owner}: onStoreError must be 'fail-open' or 'fail-closed', got ${String(value)}`);
  }
  return value;
}
