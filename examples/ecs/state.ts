/**
 * Where the service keeps its state: all in this process's memory by default, all in one Redis when
 * `REDIS_URL` is set (nonces, throttling counters, ClientTokens and the instances), so that any
 * number of processes behind one address behave as one service.
 */
import { Redis } from 'ioredis';
import { MemoryInstanceRepository, RedisInstanceRepository, type InstanceRepository } from './instances.js';
import { MemoryStore, RedisStore, type Store } from './middleware.js';

/** The state backends the service is built on. */
export interface EcsState {
  /** `'memory'` or `'redis'`. */
  readonly kind: 'memory' | 'redis';
  readonly instances: InstanceRepository;
  /** Nonces already used (Signature replay protection). */
  readonly nonces: Store;
  /** ClientTokens and the results they replay. */
  readonly clientTokens: Store;
  /** The Redis client the throttler counts in (undefined: count in memory). */
  readonly redis: Redis | undefined;
  /** Key prefix in Redis (e.g. `ecs:`). */
  readonly prefix: string;
  /** Close the Redis connection, if any. */
  close(): Promise<void>;
}

/** Options of {@link openState}. */
export interface StateOptions {
  /** Redis key prefix. Default `'ecs:'`: give each deployment sharing a Redis its own. */
  readonly prefix?: string;
  /** How long to wait for Redis at start, in ms. Default 5000. */
  readonly connectTimeoutMs?: number;
}

/**
 * Open the state backends: in memory without a Redis URL; otherwise connect to Redis first (and
 * fail with a clear message when it cannot be reached).
 *
 * @example
 * const state = await openState(config.redisUrl);
 * // ...
 * await state.close();
 */
export async function openState(redisUrl: string | undefined, options: StateOptions = {}): Promise<EcsState> {
  const prefix = options.prefix ?? 'ecs:';
  if (redisUrl === undefined) {
    return {
      kind: 'memory',
      instances: new MemoryInstanceRepository(),
      nonces: new MemoryStore({ maxEntries: 200_000 }),
      clientTokens: new MemoryStore({ maxEntries: 100_000 }),
      redis: undefined,
      prefix,
      close: async () => {},
    };
  }
  const redis = await connectRedis(redisUrl, options.connectTimeoutMs ?? 5000);
  return {
    kind: 'redis',
    instances: new RedisInstanceRepository(redis, { prefix }),
    nonces: new RedisStore({ client: redis, prefix }),
    clientTokens: new RedisStore({ client: redis, prefix }),
    redis,
    prefix,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

async function connectRedis(url: string, timeoutMs: number): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail a command after a second instead of queueing it while Redis is away: the request is
    // answered ServiceUnavailable (503) and the SDK may retry.
    commandTimeout: 1000,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
  });
  let lastReported = '';
  redis.on('error', (err: Error) => {
    // Once per distinct message: a Redis that stays down would otherwise log on every reconnect.
    if (err.message === lastReported) return;
    lastReported = err.message;
    console.error(`redis: ${err.message}`);
  });
  redis.on('ready', () => {
    lastReported = '';
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    // The URL may hold a password: name the host only.
    throw new Error(`cannot reach Redis at ${describeRedisUrl(url)}: ${(err as Error).message}`);
  }
  return redis;
}

/**
 * A Redis URL without its credentials, for messages.
 *
 * @example
 * describeRedisUrl('redis://:secret@10.0.0.2:6379/1'); // 'redis://10.0.0.2:6379/1'
 */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}
