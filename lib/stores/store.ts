/**
 * The key-value store contract that nonce replay protection, ClientToken idempotency and other
 * stateful features share.
 *
 * Keys and values are strings. Every entry has a time-to-live in milliseconds; there are no
 * entries that live forever. Every method returns a promise and never throws synchronously.
 *
 * Failure model:
 * - A bad argument (a key or value that is not a well-formed string, a TTL that is not a positive
 *   safe integer) rejects with a `TypeError` or `RangeError`: a programming error.
 * - A backend that cannot answer (timeout, lost connection, server error) rejects with a
 *   {@link StoreUnavailableError}. Callers map that to their stated policy (fail open, fail closed,
 *   fallback store); it is never "the key exists" nor "throttled".
 * - A command that failed or timed out may still take effect on the backend later (a request
 *   already written to a socket cannot be taken back). The compare-and-* primitives exist so that a
 *   late or duplicated write never destroys somebody else's entry.
 *
 * Typical use for a ClientToken:
 * 1. `setIfAbsent(token, reservation, shortTtl)` — only the winner runs the handler; a loser
 *    `get`s the entry and answers "still processing" or replays the stored response.
 * 2. On success: `compareAndSet(token, reservation, storedResponse, retentionTtl)`.
 * 3. On failure: `compareAndDelete(token, reservation)` so that a retry can run again, without
 *    deleting an entry that meanwhile belongs to another request.
 *
 * @example
 * ```ts
 * import { randomUUID } from 'node:crypto';
 * import type { Store } from './store.js';
 *
 * async function runOnce(store: Store, token: string, work: () => Promise<string>) {
 *   const mine = `pending:${randomUUID()}`;
 *   if (!(await store.setIfAbsent(token, mine, 60_000))) return store.get(token);
 *   try {
 *     const result = await work();
 *     await store.compareAndSet(token, mine, `done:${result}`, 86_400_000);
 *     return `done:${result}`;
 *   } catch (err) {
 *     await store.compareAndDelete(token, mine);
 *     throw err;
 *   }
 * }
 * ```
 */
export interface Store {
  /**
   * Atomically creates `key` with `value` for `ttlMs` milliseconds if no live entry exists.
   * Resolves `true` when this call created the entry, `false` when a live entry was already there
   * (its value and TTL are left untouched). Of many concurrent callers exactly one gets `true`.
   *
   * With `{ uniqueValue: true }` the caller promises that `value` belongs to this call alone (no
   * other call, earlier or later, ever writes it). A live entry holding exactly `value` can then
   * only be this call's own write: a command whose reply was lost and that the client sent again
   * (ioredis resends unanswered commands after a reconnect), so the store resolves `true` for it.
   * Without the option an identical value is "a live entry was there" like any other (`false`):
   * callers that write constant values (`'1'`) must not take another call's entry for theirs.
   * A store that never runs a command twice (MemoryStore) may ignore the option.
   *
   * @example
   * ```ts
   * const mine = `${processTag}.${++counter}`; // unique to this call
   * if (!(await store.setIfAbsent(key, mine, 60_000, { uniqueValue: true }))) throw new Error('taken');
   * ```
   */
  setIfAbsent(key: string, value: string, ttlMs: number, options?: SetIfAbsentOptions): Promise<boolean>;

  /** Resolves the value of the live entry for `key`, or `undefined` if there is none. */
  get(key: string): Promise<string | undefined>;

  /** Creates or replaces the entry for `key`, with a fresh TTL of `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;

  /** Removes the entry for `key`, if any. Resolves either way. */
  delete(key: string): Promise<void>;

  /**
   * Atomically replaces the value of `key` with `value` and a fresh TTL of `ttlMs`, but only if a
   * live entry exists and its value equals `expected` exactly. Resolves `true` if it replaced it.
   */
  compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean>;

  /**
   * Atomically removes `key`, but only if a live entry exists and its value equals `expected`
   * exactly. Resolves `true` if it removed it.
   */
  compareAndDelete(key: string, expected: string): Promise<boolean>;
}

/** Options of {@link Store.setIfAbsent}. */
export interface SetIfAbsentOptions {
  /**
   * `value` is unique to this call: a live entry holding exactly `value` is this call's own
   * earlier write (a command resent after its reply was lost), answered `true`. Default `false`.
   */
  readonly uniqueValue?: boolean;
}

/**
 * `{ uniqueValue: true }`, frozen and shared: for callers whose every value is unique to the call
 * (the nonce guard's claim tokens, ClientToken reservations), so that a command resent after its
 * reply was lost finds its own entry instead of refusing itself (docs/scaling.md).
 *
 * @example
 * ```ts
 * await store.setIfAbsent(key, `${processTag}.${++counter}`, ttlMs, UNIQUE_VALUE);
 * ```
 */
export const UNIQUE_VALUE: SetIfAbsentOptions = Object.freeze({ uniqueValue: true });
