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

  async consume(counts: readonly Count[]): Promise<Consumed> {
    let outcome = ALLOWED;
    for (const { limit, key } of counts) outcome = stricter(outcome, await this.consumeOne(limit, key));
    return outcome;
  }

  private async consumeOne(limit: ResolvedLimit, key: string): Promise<Consumed> {
    const slot = this.slot(limit);
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
    let res: RateLimiterRes;
    let allowed: boolean;
    try {
      res = await slot.limiter.consume(key);
      allowed = true;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      res = rejection;
      allowed = false;
    }
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
