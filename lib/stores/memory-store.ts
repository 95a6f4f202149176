import type { SetIfAbsentOptions, Store } from './store.js';
import { flat } from './flat-string.js';
import { assertStoreString, assertTtl } from './validate-arguments.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most entries held at once (default 100 000). When a new key arrives and the store is full,
   * expired entries are removed first, then the oldest-written live entries.
   *
   * Sizing for nonces: a live nonce evicted before its TTL can be replayed until the request
   * Timestamp window closes, so give room for every nonce of one window:
   * `maxEntries >= peak requests per second × nonce TTL in seconds`. With the 31-minute nonce TTL
   * (±15 min Timestamp skew, plus a margin), 100 000 entries cover about 53 requests per second; for
   * 500 req/s use about 1 000 000 entries, or a {@link RedisStore}. Measured on Node 20 with
   * `NonceGuard` keys and UUID nonces: about 210 bytes of heap per entry after GC (200 000 entries ≈
   * 41 MB; it was 451 bytes before keys and values were stored flat, 255 before values and expiries
   * moved into slot arrays). Watch
   * {@link MemoryStore.earlyEvictions}: it must stay 0.
   */
  maxEntries?: number;
  /**
   * How often a background sweep removes expired entries, in milliseconds (default 60 000; 0
   * turns it off: expired entries are then removed when read or when room is needed). The timer
   * is `unref`'d, so it never keeps the process alive, and it holds the store only weakly, so an
   * abandoned store is garbage-collected and its timer stops.
   */
  sweepIntervalMs?: number;
  /** The clock, in milliseconds (default `Date.now`). For tests. */
  now?: () => number;
}

/** Slots of a new store's value and expiry arrays; they double as entries arrive, up to `maxEntries`. */
const INITIAL_SLOTS = 64;

/**
 * A {@link Store} in this process's memory: bounded in entries, expiring by TTL, O(1) amortised
 * per operation. It is not shared between processes or hosts: behind a load balancer, or with
 * several workers, nonces and ClientTokens need a shared store such as {@link RedisStore}.
 *
 * Memory is bounded by entry count, not bytes: keep keys and values small (callers that store
 * whole responses should cap their size).
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ maxEntries: 200_000 });
 * if (!(await store.setIfAbsent(`nonce:${nonce}`, '1', 31 * 60_000))) {
 *   throw new errors.SignatureNonceUsed();
 * }
 * ```
 */
export class MemoryStore implements Store {
  /** The bound given at construction. */
  readonly maxEntries: number;
  private readonly now: () => number;
  /**
   * Key -> slot, in write order (the first key is the oldest-written). An entry's value and expiry
   * live at its slot in `values` and `expiries`: a live entry is its key, its value and a small
   * integer in the map, and no object of its own (nonces stay for 31 minutes by the hundred
   * thousand, and the collector walks every object they keep).
   */
  private readonly slots = new Map<string, number>();
  private readonly values: Array<string | undefined> = [];
  /** Expiry of each slot, epoch ms (a typed array: no boxed number per entry). */
  private expiries = new Float64Array(INITIAL_SLOTS);
  /** Slots given back by deletions, used again before new ones. */
  private readonly freeSlots: number[] = [];
  /** Slots ever used: the next new slot. */
  private usedSlots = 0;
  /**
   * A long-lived iterator over the keys, positioned at the oldest entry. A fresh
   * `slots.keys().next()` would rescan the holes that deletions leave at the head of V8's hash
   * table (quadratic under steady eviction); this cursor passes each hole once. Everything it has
   * yielded was evicted, and rewritten keys move to the end, so no live entry is behind it.
   */
  private oldest: Iterator<string> = this.slots.keys();
  /** Full-store insertions left before a full sweep for expired entries is allowed again. */
  private insertsBeforeNextSweep = 0;
  private earlyEvictionCount = 0;

  constructor(options: MemoryStoreOptions = {}) {
    const { maxEntries = 100_000, sweepIntervalMs = 60_000, now = Date.now } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`MemoryStore maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    if (typeof sweepIntervalMs !== 'number' || !Number.isFinite(sweepIntervalMs) || sweepIntervalMs < 0) {
      throw new RangeError(`MemoryStore sweepIntervalMs must be 0 or a positive number, got ${String(sweepIntervalMs)}`);
    }
    this.maxEntries = maxEntries;
    this.now = now;
    if (sweepIntervalMs > 0) startSweeper(this, sweepIntervalMs);
  }

  /** Entries held right now, including expired ones not yet removed. Never above `maxEntries`. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * How many live (unexpired) entries were evicted to make room since construction. Above 0 means
   * `maxEntries` is too small for the traffic: an evicted nonce could be replayed.
   */
  get earlyEvictions(): number {
    return this.earlyEvictionCount;
  }

  /**
   * See {@link Store.setIfAbsent}. `options.uniqueValue` changes nothing here: this store runs each
   * call exactly once, so it never meets its own resent write.
   */
  async setIfAbsent(key: string, value: string, ttlMs: number, _options?: SetIfAbsentOptions): Promise<boolean> {
    return this.setIfAbsentSync(key, value, ttlMs);
  }

  /**
   * {@link setIfAbsent}, answered at once: true when this call wrote the entry, false when a live
   * entry holds the key; an invalid argument throws instead of rejecting. `NonceGuard` uses it, so
   * that a signed request whose nonce lives in memory waits for no promise (a subclass that
   * overrides `setIfAbsent` is still called through `setIfAbsent`).
   *
   * @example
   * const store = new MemoryStore();
   * store.setIfAbsentSync('nonce:abc', '1', 60_000); // true
   * store.setIfAbsentSync('nonce:abc', '2', 60_000); // false
   */
  setIfAbsentSync(key: string, value: string, ttlMs: number): boolean {
    assertStoreString('key', key);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    const now = this.now();
    if (this.live(key, now) !== undefined) return false;
    this.insert(key, value, now + ttlMs, now);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    assertStoreString('key', key);
    const slot = this.live(key, this.now());
    return slot === undefined ? undefined : this.values[slot];
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    assertStoreString('key', key);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    const now = this.now();
    // Removed first so the key moves to the end of the write order.
    const slot = this.slots.get(key);
    if (slot !== undefined) this.remove(key, slot);
    this.insert(key, value, now + ttlMs, now);
  }

  async delete(key: string): Promise<void> {
    assertStoreString('key', key);
    const slot = this.slots.get(key);
    if (slot !== undefined) this.remove(key, slot);
  }

  async compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('expected value', expected);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    const now = this.now();
    const slot = this.live(key, now);
    if (slot === undefined || this.values[slot] !== expected) return false;
    // The same slot, the key moved to the end of the write order.
    this.slots.delete(key);
    this.values[slot] = flat(value);
    this.expiries[slot] = now + ttlMs;
    this.slots.set(flat(key), slot);
    return true;
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('expected value', expected);
    const slot = this.live(key, this.now());
    if (slot === undefined || this.values[slot] !== expected) return false;
    this.remove(key, slot);
    return true;
  }

  /**
   * Removes every expired entry now; O(size). Returns how many were removed. The background
   * sweeper and a full store call this; you rarely need to.
   */
  sweepExpired(now: number = this.now()): number {
    let removed = 0;
    for (const [key, slot] of this.slots) {
      if ((this.expiries[slot] as number) <= now) {
        this.remove(key, slot);
        removed += 1;
      }
    }
    return removed;
  }

  /** The slot of the entry if it is live; an expired one is removed on the way. */
  private live(key: string, now: number): number | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if ((this.expiries[slot] as number) > now) return slot;
    this.remove(key, slot);
    return undefined;
  }

  /** Forgets the entry at `slot` (its key must be `key`) and gives the slot back. */
  private remove(key: string, slot: number): void {
    this.slots.delete(key);
    this.values[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** Inserts a key that is not in the map, making room first if the store is full. */
  private insert(key: string, value: string, expiresAt: number, now: number): void {
    if (this.slots.size >= this.maxEntries) this.makeRoom(now);
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.usedSlots++;
      if (slot === this.expiries.length) {
        const grown = new Float64Array(Math.min(this.maxEntries, 2 * this.expiries.length));
        grown.set(this.expiries);
        this.expiries = grown;
      }
    }
    this.values[slot] = flat(value);
    this.expiries[slot] = expiresAt;
    this.slots.set(flat(key), slot);
  }

  /**
   * Frees at least one slot. Expired entries go first: a full O(n) sweep, but at most once per
   * `maxEntries / 8` full-store insertions, so the cost per insertion stays O(1) amortised. Then the
   * oldest-written entries go (O(1) each: the head of the Map's insertion order).
   */
  private makeRoom(now: number): void {
    if (this.insertsBeforeNextSweep <= 0) {
      this.sweepExpired(now);
      this.insertsBeforeNextSweep = Math.ceil(this.maxEntries / 8);
    }
    this.insertsBeforeNextSweep -= 1;
    while (this.slots.size >= this.maxEntries) {
      let oldest = this.oldest.next();
      if (oldest.done === true) {
        // A finished Map iterator stays finished, even after new insertions: start a new one.
        this.oldest = this.slots.keys();
        oldest = this.oldest.next();
        if (oldest.done === true) return;
      }
      const key = oldest.value;
      const slot = this.slots.get(key);
      if (slot === undefined) continue;
      if ((this.expiries[slot] as number) > now) this.earlyEvictionCount += 1;
      this.remove(key, slot);
    }
  }
}

/** Sweeps on an unref'd interval while the store is alive; holds the store only weakly. */
function startSweeper(store: MemoryStore, intervalMs: number): void {
  const ref = new WeakRef(store);
  const timer: NodeJS.Timeout = setInterval(() => {
    const target = ref.deref();
    if (target === undefined) clearInterval(timer);
    else target.sweepExpired();
  }, intervalMs);
  timer.unref();
}
