/**
 * Key-value stores for nonce replay protection, ClientToken idempotency and other shared state.
 *
 * @example
 * ```ts
 * import { MemoryStore, RedisStore, isStoreUnavailableError, type Store } from './stores/index.js';
 * const store: Store = process.env.REDIS_URL ? new RedisStore({ client }) : new MemoryStore();
 * ```
 */
export type { SetIfAbsentOptions, Store } from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export type { IoRedisLikeClient, NodeRedisClusterLikeClient, NodeRedisLikeClient, RedisClientLike } from './redis-connection.js';
export {
  StoreUnavailableError,
  isStoreUnavailableError,
  type StoreUnavailableReason,
  type StoreUnavailableErrorOptions,
} from './store-unavailable-error.js';
