/**
 * What the throttler needs from a counting backend (memory or Redis): consume one point of a key
 * under a limit, and tell "allowed", "over the limit" and "could not count" apart.
 */
import type { ResolvedLimit } from './limits.js';

/** The outcome of counting one request. */
export type Consumed =
  /** Within the limit. */
  | { readonly allowed: true }
  /** Over the limit; the window ends in `msBeforeNext` milliseconds. */
  | { readonly allowed: false; readonly msBeforeNext: number };

/**
 * Counts requests per key. `consume` resolves with the outcome, or rejects when the backend could
 * not count (store unavailable, slow, or full): that is never "over the limit".
 */
export interface LimitCounter {
  consume(limit: ResolvedLimit, key: string): Promise<Consumed>;
}
