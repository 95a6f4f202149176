/**
 * Throttling for the RPC API: `rateLimitThrottler(options)` counts requests per caller and Action
 * (rate-limiter-flexible, in memory or in Redis) and answers `Throttling` with `x-acs-retry-after`.
 *
 * @example
 * import { rateLimitThrottler } from './throttle/index.js';
 * const throttle = rateLimitThrottler({ limit: { points: 100, durationSeconds: 1 } });
 */
export {
  rateLimitThrottler,
  DEFAULT_THROTTLE_KEY_PREFIX,
  DEFAULT_THROTTLE_MAX_KEYS,
  DEFAULT_THROTTLE_TIMEOUT_MS,
  type RateLimitThrottlerOptions,
  type ThrottleErrorInfo,
} from './rate-limit-throttler.js';
export type { RateLimit, ActionLimits } from './limits.js';
export type { StoreFailurePolicy } from './store-failure-policy.js';
export { ThrottleTableFullError } from './memory-counter.js';
export { defaultIdentity } from './throttle-identity.js';
