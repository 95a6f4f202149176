/**
 * Argument checks shared by every store, so that all stores reject the same inputs the same way.
 *
 * Strings must be well-formed UTF-16 (no lone surrogates): Redis stores UTF-8, where every lone
 * surrogate becomes U+FFFD, so two different ill-formed keys would collide there but not in
 * memory, and an ill-formed value would not compare equal to itself after a round trip.
 */

/**
 * Throws a `TypeError` unless `value` is a well-formed string.
 *
 * @example
 * ```ts
 * assertStoreString('key', key); // throws for 42 or '\uD800'
 * ```
 */
export function assertStoreString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`Store ${name} must be a string, got ${typeof value}`);
  }
  // isWellFormed (Node 20+): false when a high surrogate lacks its low one or a low one its high
  // one; 4-5x faster than the equivalent regular expression on every key of every operation.
  if (!value.isWellFormed()) {
    throw new TypeError(`Store ${name} must be well-formed UTF-16 (it contains a lone surrogate)`);
  }
}

/**
 * Throws a `RangeError` unless `ttlMs` is a positive safe integer (milliseconds).
 *
 * @example
 * ```ts
 * assertTtl(60_000); // ok; assertTtl(0), assertTtl(1.5) and assertTtl(Infinity) throw
 * ```
 */
export function assertTtl(ttlMs: unknown): asserts ttlMs is number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError(`Store ttlMs must be a positive safe integer (milliseconds), got ${String(ttlMs)}`);
  }
}
