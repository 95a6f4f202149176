/**
 * Counting shared by every instance, on rate-limiter-flexible's `RateLimiterRedis` (one atomic Lua
 * script per request: SET NX EX + INCRBY + PTTL), with the user's ioredis or node-redis client, a
 * bounded wait, and failures reported as {@link StoreUnavailableError}.
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { redisConnectionFor, type RedisClientLike, type RedisConnection } from '../stores/redis-connection.js';
import { StoreUnavailableError } from '../stores/store-unavailable-error.js';
import type { Consumed, LimitCounter } from './counter.js';
import type { ResolvedLimit } from './limits.js';

const OPERATION = 'throttle';

/**
 * Counts in Redis. Every `consume` settles within `timeoutMs`: while the client reconnects it fails
 * at once (`not-connected`, nothing is queued), during a first connection it waits for it within
 * the same budget, and a command without an answer in time fails with `timeout` (the command may
 * still count later; a point counted late is harmless).
 *
 * @example
 * const counter = new RedisCounter(new Redis(), 'my-service:throttle', 500);
 * await counter.consume({ id: '100/1', points: 100, durationSeconds: 1 }, 'DescribeRegions:ak:my-ak');
 */
export class RedisCounter implements LimitCounter {
  readonly timeoutMs: number;
  readonly #client: RedisClientLike;
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;
  readonly #limiters = new Map<string, RateLimiterRedis>();

  constructor(client: RedisClientLike, keyPrefix: string, timeoutMs: number) {
    this.#client = client;
    this.#connection = redisConnectionFor(client); // validates the client, adds a silent 'error' listener
    this.#keyPrefix = keyPrefix;
    this.timeoutMs = timeoutMs;
  }

  async consume(limit: ResolvedLimit, key: string): Promise<Consumed> {
    const started = Date.now();
    const state = this.#connection.state();
    if (state === 'lost') throw new StoreUnavailableError({ operation: OPERATION, reason: 'not-connected' });
    if (state === 'starting' && !(await this.#connection.waitForReady(this.timeoutMs))) {
      throw new StoreUnavailableError({ operation: OPERATION, reason: 'timeout' });
    }
    const remaining = Math.max(1, this.timeoutMs - (Date.now() - started));
    try {
      await withDeadline(this.#limiter(limit).consume(key), remaining);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, msBeforeNext: rejection.msBeforeNext };
      if (rejection instanceof StoreUnavailableError) throw rejection;
      const reason = this.#connection.state() === 'ready' ? 'command-failed' : 'not-connected';
      throw new StoreUnavailableError({ operation: OPERATION, reason, cause: rejection });
    }
  }

  #limiter(limit: ResolvedLimit): RateLimiterRedis {
    let limiter = this.#limiters.get(limit.id);
    if (limiter === undefined) {
      limiter = new RateLimiterRedis({
        storeClient: this.#client,
        // node-redis v4+ takes eval(script, { keys, arguments }); ioredis gets a defineCommand.
        useRedisPackage: this.#connection.library === 'node-redis',
        // Fail at once instead of queueing in the client while it reconnects.
        rejectIfRedisNotReady: true,
        points: limit.points,
        duration: limit.durationSeconds,
        keyPrefix: this.#keyPrefix,
      });
      this.#limiters.set(limit.id, limiter);
    }
    return limiter;
  }
}

/** `promise`, or a `timeout` StoreUnavailableError after `ms`; a late settlement is ignored. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreUnavailableError({ operation: OPERATION, reason: 'timeout' })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
