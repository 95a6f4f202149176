/**
 * In-process counting on rate-limiter-flexible's `RateLimiterMemory`, with a bound on the number of
 * keys held at once (the library itself keeps one record and one timer per key, without a cap).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ALLOWED, stricter, type Consumed, type Count, type LimitCounter } from './counter.js';
import type { ResolvedLimit } from './limits.js';

/**
 * The in-memory throttling table is full: a new key arrived while `maxKeys` keys were live. The
 * throttler applies its store-failure policy (`onStoreError`) to the request; it is never reported
 * as `Throttling`.
 *
 * @example
 * onError: (err) => { if (err instanceof ThrottleTableFullError) metrics.increment('throttle.full'); }
 */
export class ThrottleTableFullError extends Error {
  override readonly name = 'ThrottleTableFullError';
  readonly maxKeys: number;
  constructor(maxKeys: number) {
    super(`The in-memory throttling table holds its maximum of ${maxKeys} live keys; raise maxKeys or use Redis`);
    this.maxKeys = maxKeys;
  }
}

interface Slot {
  readonly limiter: RateLimiterMemory;
  /**
   * Keys this limiter holds, with an upper bound of when the library's record expires. Insertion
   * order is window-start order; one slot has one duration, so it is also expiry order.
   */
  readonly live: Map<string, number>;
}

/**
 * Counts in this process's memory. At most `maxKeys` keys are held across every limit: a key whose
 * window ended is dropped (from this table and from the library) before a new key is refused with
 * {@link ThrottleTableFullError}.
 *
 * @example
 * const counter = new MemoryCounter(100_000);
 * await counter.consume([{ limit: { id: '10/1', points: 10, durationSeconds: 1 }, key: '{ak:my-ak}:RunInstances' }]);
 */
export class MemoryCounter implements LimitCounter {
  readonly maxKeys: number;
  private readonly slots = new Map<string, Slot>();
  private entryCount = 0;

  constructor(maxKeys: number) {
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError(`rateLimitThrottler: maxKeys must be a positive integer, got ${String(maxKeys)}`);
    }
    this.maxKeys = maxKeys;
  }

  /** Keys held right now (including some whose window ended and that were not dropped yet). Never above `maxKeys`. */
  get size(): number {
    return this.entryCount;
  }

  consume(counts: readonly Count[]): Promise<Consumed> {
    // One count after the other (each claims its key before the next is looked at), chained rather
    // than awaited: one promise turn per count, none for the layers around it.
    let outcome: Promise<Consumed> = this.consumeOne(counts, 0);
    for (let i = 1; i < counts.length; i++) {
      outcome = outcome.then((sofar) => this.consumeOne(counts, i).then((next) => stricter(sofar, next)));
    }
    return outcome;
  }

  /** Consumes `counts[index]`; rejects (never throws) when the table is full or the library fails. */
  private consumeOne(counts: readonly Count[], index: number): Promise<Consumed> {
    const count = counts[index];
    if (count === undefined) return Promise.resolve(ALLOWED);
    const { limit, key } = count;
    let consumed: Promise<RateLimiterRes>;
    let slot: Slot;
    try {
      slot = this.slot(limit);
      this.hold(slot, limit, key);
      consumed = slot.limiter.consume(key);
    } catch (err) {
      return Promise.reject(err);
    }
    return consumed.then(
      (res) => this.counted(slot, key, res, true),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return this.counted(slot, key, rejection, false);
      },
    );
  }

  /** Holds a place for `key` in the table (throws ThrottleTableFullError when there is none). */
  private hold(slot: Slot, limit: ResolvedLimit, key: string): void {
    const now = Date.now();
    const expiresAt = slot.live.get(key);
    if (expiresAt === undefined || expiresAt <= now) {
      if (expiresAt !== undefined) this.drop(slot, key);
      if (this.entryCount >= this.maxKeys) this.dropExpired(now);
      if (this.entryCount >= this.maxKeys) throw new ThrottleTableFullError(this.maxKeys);
      // Claimed before counting (synchronously), so concurrent new keys cannot overshoot the bound.
      slot.live.set(key, now + limit.durationSeconds * 1000);
      this.entryCount += 1;
    }
  }

  /** The library's answer for `key`, with the table's expiry kept in step with a new window. */
  private counted(slot: Slot, key: string, res: RateLimiterRes, allowed: boolean): Consumed {
    if (res.isFirstInDuration) {
      // A new window: its record expires at most msBeforeNext from now (measured after the library
      // read its clock, so this never ends before the library's record). Re-insert to keep order.
      slot.live.delete(key);
      slot.live.set(key, Date.now() + res.msBeforeNext);
    }
    return allowed ? ALLOWED : { allowed: false, msBeforeNext: res.msBeforeNext };
  }

  private slot(limit: ResolvedLimit): Slot {
    let slot = this.slots.get(limit.id);
    if (slot === undefined) {
      const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds, keyPrefix: '' });
      slot = { limiter, live: new Map() };
      this.slots.set(limit.id, slot);
    }
    return slot;
  }

  /** Forget `key` here and in the library (its record would otherwise wait for its own timer). */
  private drop(slot: Slot, key: string): void {
    slot.live.delete(key);
    this.entryCount -= 1;
    void slot.limiter.delete(key);
  }

  /** Drops every key whose window ended: from the head of each slot, stopping at the first live one. */
  private dropExpired(now: number): void {
    for (const slot of this.slots.values()) {
      for (const [key, expiresAt] of slot.live) {
        if (expiresAt > now) break;
        this.drop(slot, key);
      }
    }
  }
}
