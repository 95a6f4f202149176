/**
 * One round trip for a protected request: the throttler counting in Redis records the request's
 * nonce in the same Lua script (`countScript`), when the authenticator was told to combine with it
 * (`signatureAuthenticator({ combineWithThrottle })`). The outcome of the count waits on the request
 * for the throttling step, so the answers and their order stay those of two separate steps:
 * a replayed nonce is refused without being counted; a request refused between authentication and
 * throttling (unknown Version, InvalidOwner) gets its point back.
 */
import type { NonceRecord, NonceRecorder } from '../auth/nonce-guard.js';
import type { RpcRequest, ThrottleKey, Throttler } from '../rpc/pipeline.js';
import { sameSlot } from '../stores/hash-tag.js';
import { RedisStore } from '../stores/redis-store.js';
import type { Consumed, Count } from './counter.js';
import { countArguments, countScript } from './redis-count-script.js';
import { parseCountReply, type RedisCounter } from './redis-counter.js';

const RECORDER_SOURCE = Symbol('aliyun-openapi-middleware.nonceRecorderSource');

/** Builds, for one request about to be authenticated, a recorder of its nonce that also counts it (or undefined). */
export type NonceRecorderSource = (request: RpcRequest, key: ThrottleKey) => NonceRecorder | undefined;

/**
 * The nonce recorder source of a throttler built by `rateLimitThrottler`, if it has one.
 *
 * @example
 * const source = nonceRecorderSourceOf(options.combineWithThrottle);
 */
export function nonceRecorderSourceOf(throttle: Throttler | undefined): NonceRecorderSource | undefined {
  const source = (throttle as { [RECORDER_SOURCE]?: unknown } | undefined)?.[RECORDER_SOURCE];
  return typeof source === 'function' ? (source as NonceRecorderSource) : undefined;
}

/**
 * Counts taken in the authentication step, waiting for the throttling step of the same request.
 *
 * @example
 * const early = new EarlyCounts(counter);
 * const consumed = early.take(request, 'RunInstances'); // undefined: count now
 */
export class EarlyCounts {
  private readonly counter: RedisCounter;
  private readonly waiting = new WeakMap<RpcRequest, { readonly action: string; readonly consumed: Consumed }>();

  constructor(counter: RedisCounter) {
    this.counter = counter;
  }

  /** The outcome counted early for `request` and `action`, removed so that it is used once. */
  take(request: RpcRequest, action: string): Consumed | undefined {
    const early = this.waiting.get(request);
    if (early === undefined) return undefined;
    this.waiting.delete(request);
    return early.action === action ? early.consumed : undefined;
  }

  /**
   * A recorder that runs the nonce and `counts` as one script, when the nonce store is a
   * `RedisStore` on the counter's client and every key is in one Cluster slot; else undefined.
   */
  recorder(request: RpcRequest, action: string, counts: readonly Count[]): NonceRecorder {
    return (nonce: NonceRecord) => {
      const { store } = nonce;
      if (!(store instanceof RedisStore) || store.connection !== this.counter.connection) return undefined;
      const counterKeys = this.counter.keysOf(counts);
      const keys = [store.prefix + nonce.key, ...counterKeys];
      if (!sameSlot(keys)) return undefined;
      const args = ['1', nonce.value, String(nonce.ttlMs), ...countArguments(counts)];
      return store.evalScript('setIfAbsent', countScript, keys, args).then((reply) => {
        const outcome = parseCountReply(reply);
        if (outcome === 'nonce-used') return 'used';
        this.waiting.set(request, { action, consumed: outcome });
        // Refused before the throttling step: the request was not counted before, so give the point back.
        request.onSettled?.(() => {
          if (this.waiting.delete(request)) void this.counter.refund(counterKeys);
        });
        return 'recorded';
      });
    };
  }
}

/**
 * Attaches `source` to `throttle`, for `signatureAuthenticator({ combineWithThrottle })`.
 *
 * @example
 * return withNonceRecorderSource(throttle, (request, key) => early.recorder(request, key.action, countsOf(request, key)));
 */
export function withNonceRecorderSource(throttle: Throttler, source: NonceRecorderSource): Throttler {
  Object.defineProperty(throttle, RECORDER_SOURCE, { value: source });
  return throttle;
}
