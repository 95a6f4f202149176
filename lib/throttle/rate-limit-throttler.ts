/**
 * `rateLimitThrottler(options)`: the RPC API's throttling step. Requests are counted per caller
 * (AccessKeyId, or client address when anonymous) and Action, per caller across every Action, or
 * both, in memory (rate-limiter-flexible) or in Redis (one Lua script); over a limit answers `Throttling` (400) with `x-acs-retry-after`, a store failure answers
 * by the stated policy and is never reported as `Throttling`.
 */
import { errors } from '../core/errors/index.js';
import type { Caller, RpcRequest, ThrottleKey, Throttler } from '../rpc/pipeline.js';
import type { RedisClientLike } from '../stores/redis-connection.js';
import type { Consumed, Count, LimitCounter } from './counter.js';
import { EarlyCounts, withNonceRecorderSource } from './combined-nonce.js';
import { limitTable, type ActionLimits, type RateLimit } from './limits.js';
import { MemoryCounter } from './memory-counter.js';
import { RedisCounter } from './redis-counter.js';
import { checkedPolicy, type StoreFailurePolicy } from './store-failure-policy.js';
import { actionCounterKey, callerCounterKey, defaultIdentity } from './throttle-identity.js';

/** Default bound of the in-memory table (keys = distinct caller × Action pairs within one window). */
export const DEFAULT_THROTTLE_MAX_KEYS = 100_000;
/** Default Redis key prefix of the counters. */
export const DEFAULT_THROTTLE_KEY_PREFIX = 'aom:throttle';
/** Default bound on one Redis round trip, in milliseconds. */
export const DEFAULT_THROTTLE_TIMEOUT_MS = 500;

/** What {@link RateLimitThrottlerOptions.onError} is told besides the error. */
export interface ThrottleErrorInfo {
  readonly action: string;
  readonly caller: Caller | undefined;
  /** What was done with the request: served (`fail-open`) or refused with 503 (`fail-closed`). */
  readonly policy: StoreFailurePolicy;
}

/** Options of {@link rateLimitThrottler}. */
export interface RateLimitThrottlerOptions {
  /**
   * The limit of each caller on each Action without an override, e.g. `{ points: 100, durationSeconds: 1 }`:
   * every Action has its own budget. Leave it out to limit only `perCaller` (and the `actions` listed).
   */
  limit?: RateLimit;
  /** Per-Action limits (per caller and Action); `false` exempts an action from throttling, `perCaller` included. */
  actions?: ActionLimits;
  /**
   * The limit of each caller across every Action, e.g. `{ points: 500, durationSeconds: 1 }`. With
   * `limit` (or an `actions` entry) too, a request is counted in both and refused when either is
   * exceeded; `x-acs-retry-after` is then the later of the two windows' ends. At least one of
   * `limit` and `perCaller` is required.
   *
   * @example
   * rateLimitThrottler({ perCaller: { points: 500, durationSeconds: 1 }, limit: { points: 100, durationSeconds: 1 } })
   */
  perCaller?: RateLimit;
  /**
   * Count in Redis, shared by every instance that uses the same Redis and `keyPrefix`: a connected
   * ioredis (v5+) or node-redis (v4+) client, used as given and never closed. Without it, counts are
   * kept in this process's memory (one instance only).
   */
  redis?: RedisClientLike;
  /** Redis key prefix (`<prefix>:<Action>:<identity>`). Default `'aom:throttle'`. */
  keyPrefix?: string;
  /** Redis only: the most time counting one request may take, in ms (default 500). */
  timeoutMs?: number;
  /**
   * Memory only: the most caller × Action keys held at once (default 100 000). A key is held for one
   * window after its first request; when the table is full of live keys, a new key is a store failure.
   */
  maxKeys?: number;
  /**
   * When the counter cannot count (Redis down, slow, or the memory table full): `'fail-closed'`
   * (default) refuses with `ServiceUnavailable` 503; `'fail-open'` serves the request unthrottled.
   * Either way `onError` is told.
   */
  onStoreError?: StoreFailurePolicy;
  /** Told about every store failure (a `StoreUnavailableError` or `ThrottleTableFullError`). Must not throw; if it does, it is ignored. */
  onError?: (error: unknown, info: ThrottleErrorInfo) => void;
  /**
   * Who is counted: default `ak:<AccessKeyId>` for a caller, `ip:<client address>` for an anonymous
   * request. Return e.g. an account id to count all of an account's keys together.
   */
  identify?: (request: RpcRequest, key: ThrottleKey) => string;
}

/**
 * Build the throttling step of `createRpcApi({ throttle })`.
 *
 * @example
 * // one instance: counts in memory
 * const perCaller = rateLimitThrottler({ perCaller: { points: 500, durationSeconds: 1 }, limit: { points: 100, durationSeconds: 1 } }); // both: the stricter answers
 * const throttle = rateLimitThrottler({ limit: { points: 100, durationSeconds: 1 }, actions: { RunInstances: { points: 10, durationSeconds: 1 } } });
 * // many instances: counts in Redis (ioredis or node-redis client)
 * const shared = rateLimitThrottler({ limit: { points: 100, durationSeconds: 1 }, redis: new Redis(process.env.REDIS_URL), onStoreError: 'fail-open', onError: (err) => log.warn(err) });
 * const api = createRpcApi({ version: '2014-05-26', authenticate, throttle: shared });
 */
export function rateLimitThrottler(options: RateLimitThrottlerOptions): Throttler {
  if (typeof options !== 'object' || options === null) throw new TypeError('rateLimitThrottler: options are required');
  const table = limitTable(options.limit, options.actions, options.perCaller);
  const policy = checkedPolicy(options.onStoreError ?? 'fail-closed', 'rateLimitThrottler');
  const identify = options.identify ?? defaultIdentity;
  const onError = options.onError;
  const counter = createCounter(options);

  /** The counters `request` takes a point of, or undefined when `key.action` is not throttled. */
  const countsOf = (request: RpcRequest, key: ThrottleKey): Count[] | undefined => {
    const limits = table.forAction(key.action);
    if (limits === undefined) return undefined;
    const identity = identify(request, key);
    if (typeof identity !== 'string' || identity === '') throw new TypeError('rateLimitThrottler: identify() must return a non-empty string');
    const counts: Count[] = [];
    if (limits.perAction !== undefined) counts.push({ limit: limits.perAction, key: actionCounterKey(key.action, identity) });
    if (limits.perCaller !== undefined) counts.push({ limit: limits.perCaller, key: callerCounterKey(identity) });
    return counts;
  };
  const early = counter instanceof RedisCounter ? new EarlyCounts(counter) : undefined;

  /** The answer to a counted request: nothing when allowed, `Throttling` with the retry time when not. */
  const verdict = (consumed: Consumed): void => {
    if (!consumed.allowed) {
      // openapi-core reads x-acs-retry-after as whole milliseconds (docs/protocol.md §1.5).
      const retryAfter = String(Math.max(1, Math.ceil(consumed.msBeforeNext)));
      throw new errors.Throttling({ headers: { 'x-acs-retry-after': retryAfter } });
    }
  };

  // Not async: it hands over the counter's promise with one step after it (an async function
  // awaiting it would cost another promise and turn per request). It never throws synchronously.
  const throttle: Throttler = function throttle(request: RpcRequest, key: ThrottleKey): Promise<void> {
    let counts: Count[] | undefined;
    try {
      const taken = early?.take(request, key.action);
      if (taken !== undefined) {
        verdict(taken);
        return Promise.resolve();
      }
      counts = countsOf(request, key);
    } catch (error) {
      return Promise.reject(error);
    }
    if (counts === undefined) return Promise.resolve();
    const failed = (error: unknown): void => {
      report(onError, error, { action: key.action, caller: key.caller, policy });
      if (policy === 'fail-open') return;
      throw new errors.ServiceUnavailable({ cause: error });
    };
    let pending: Promise<Consumed>;
    try {
      pending = counter.consume(counts);
    } catch (error) {
      try {
        failed(error);
        return Promise.resolve();
      } catch (answer) {
        return Promise.reject(answer);
      }
    }
    return pending.then(verdict, failed);
  };

  if (early === undefined) return throttle;
  return withNonceRecorderSource(throttle, (request, key) => {
    const counts = countsOf(request, key);
    return counts === undefined ? undefined : early.recorder(request, key.action, counts);
  });
}

function createCounter(options: RateLimitThrottlerOptions): LimitCounter {
  if (options.redis === undefined) {
    if (options.timeoutMs !== undefined || options.keyPrefix !== undefined) {
      throw new TypeError('rateLimitThrottler: timeoutMs and keyPrefix apply to Redis only (pass redis, or leave them out)');
    }
    return new MemoryCounter(options.maxKeys ?? DEFAULT_THROTTLE_MAX_KEYS);
  }
  if (options.maxKeys !== undefined) throw new TypeError('rateLimitThrottler: maxKeys applies to the in-memory table only');
  const timeoutMs = options.timeoutMs ?? DEFAULT_THROTTLE_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`rateLimitThrottler: timeoutMs must be a positive number, got ${String(timeoutMs)}`);
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_THROTTLE_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') throw new TypeError('rateLimitThrottler: keyPrefix must be a string');
  return new RedisCounter(options.redis, keyPrefix, timeoutMs);
}

function report(onError: RateLimitThrottlerOptions['onError'], error: unknown, info: ThrottleErrorInfo): void {
  if (onError === undefined) return;
  try {
    onError(error, info);
  } catch {
    // A reporter that throws must not change the answer.
  }
}
