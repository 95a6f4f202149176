/**
 * Where the service keeps its state: all in this process's memory by default, all in one Redis when
 * `REDIS_URL` is set (nonces, throttling counters, ClientTokens and the instances), so that any
 * number of processes behind one address behave as one service. `REDIS_URL` may also list the nodes
 * of a Redis Cluster, comma-separated (`redis://10.0.0.1:7000,redis://10.0.0.2:7000`): the state
 * then lives in the cluster (docs/scaling.md). A trailing comma marks a cluster known by one node.
 */
import { Cluster, Redis } from 'ioredis';
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
  /** The Redis client the throttler counts in (undefined: count in memory); a `Cluster` for a cluster. */
  readonly redis: Redis | Cluster | undefined;
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
  // A comma makes a list of cluster nodes (`redis://a:7000,` is a cluster known by one node).
  const redis = redisUrl.includes(',')
    ? await connectCluster(redisUrl.split(',').map((url) => url.trim()).filter((url) => url !== ''), options.connectTimeoutMs ?? 5000)
    : await connectRedis(redisUrl, options.connectTimeoutMs ?? 5000);
  return {
    kind: 'redis',
    // The repository's scripts touch several keys at once (an instance, its region's index, the id
    // sequence): in a cluster they must share a slot, so its keys share the hash tag {instances}.
    // The repository uses only commands that a Cluster client has too.
    instances:
      redis instanceof Cluster
        ? new RedisInstanceRepository(redis as unknown as Redis, { prefix: `${prefix}{instances}:` })
        : new RedisInstanceRepository(redis, { prefix }),
    nonces: new RedisStore({ client: redis, prefix }),
    clientTokens: new RedisStore({ client: redis, prefix }),
    redis,
    prefix,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Logs each distinct Redis error once, until the client is ready again. */
function reportErrors(redis: Redis | Cluster): void {
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
}

/**
 * A Redis Cluster client from a list of its nodes' URLs (any of them; it discovers the rest).
 * Commands go to masters only, so reads see every acknowledged write.
 */
async function connectCluster(urls: readonly string[], timeoutMs: number): Promise<Cluster> {
  const nodes = urls.map((url) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  const first = new URL(urls[0] as string);
  const cluster = new Cluster(nodes, {
    lazyConnect: true,
    scaleReads: 'master',
    redisOptions: {
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
      connectTimeout: timeoutMs,
      ...(first.password === '' ? {} : { password: decodeURIComponent(first.password) }),
      ...(first.username === '' ? {} : { username: decodeURIComponent(first.username) }),
      ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
  reportErrors(cluster);
  try {
    await cluster.connect();
  } catch (err) {
    cluster.disconnect();
    throw new Error(`cannot reach the Redis Cluster at ${describeRedisUrl(urls.join(','))}: ${(err as Error).message}`);
  }
  return cluster;
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
  reportErrors(redis);
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
 * A Redis URL (or a comma-separated list of them) without credentials, for messages.
 *
 * @example
 * describeRedisUrl('redis://:secret@10.0.0.2:6379/1'); // 'redis://10.0.0.2:6379/1'
 * describeRedisUrl('redis://10.0.0.1:7000,redis://10.0.0.2:7000'); // 'redis://10.0.0.1:7000, redis://10.0.0.2:7000'
 */
export function describeRedisUrl(url: string): string {
  if (url.includes(',')) return url.split(',').map((one) => describeRedisUrl(one.trim())).join(', ');
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}
