/**
 * What the throttler needs from a counting backend (memory or Redis): consume one point of one or
 * two keys, each under its limit, and tell "allowed", "over a limit" and "could not count" apart.
 */
import type { ResolvedLimit } from './limits.js';

/** The outcome of counting one request. */
export type Consumed =
  /** Within every limit. */
  | { readonly allowed: true }
  /** Over at least one limit; the latest of the refusing windows ends in `msBeforeNext` milliseconds. */
  | { readonly allowed: false; readonly msBeforeNext: number };

/** One counter a request consumes a point of. */
export interface Count {
  readonly limit: ResolvedLimit;
  readonly key: string;
}

/**
 * Counts requests per key. `consume` takes one point of every count (all of them, even when one is
 * already over its limit) and resolves with the combined outcome, or rejects when the backend could
 * not count (store unavailable, slow, or full): that is never "over the limit".
 */
export interface LimitCounter {
  consume(counts: readonly Count[]): Promise<Consumed>;
}

/** Allowed. */
export const ALLOWED: Consumed = { allowed: true };

/**
 * The stricter of two outcomes: refused if either refuses, with the later retry time.
 *
 * @example
 * stricter({ allowed: false, msBeforeNext: 200 }, { allowed: false, msBeforeNext: 900 }); // { allowed: false, msBeforeNext: 900 }
 */
export function stricter(a: Consumed, b: Consumed): Consumed {
  if (a.allowed) return b;
  if (b.allowed) return a;
  return a.msBeforeNext >= b.msBeforeNext ? a : b;
}
