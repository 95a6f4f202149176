/**
 * Full protection (issue 5): DescribeRegions through envelope() + koaRpc(createRpcApi(...)), without
 * any protection versus with Signature V1 verification, nonce replay protection and throttling, the
 * state kept in memory or in Redis (a real redis-server started by `prepare()`, reached with ioredis
 * and with node-redis). Every protected request has a fresh nonce and timestamp; the throttling
 * limit is set far above the load so that every request is counted and none is refused.
 * `signature-only` (signature + in-memory nonces, no throttling) separates the cost of the
 * signature check from the cost of throttling.
 */
import { Redis } from 'ioredis';
import Koa from 'koa';
import { createClient } from 'redis';
import type { RedisClientLike, RpcApiOptions } from '../../lib/index.js';
import { pkg } from '../lib/package.js';
import { AK, SECRET, VERSION, poolSize, signedV1Request as signedRequest } from '../lib/signed-requests.js';
import { redisServerPath, startRedisServer } from '../../test/support/redis-server.js';
import { regionsApp, regionsExpectation } from '../lib/regions-service.js';
import { defineScenario, ScenarioUnavailable, type BenchRequest, type Contestant } from '../lib/scenario.js';

const { createRpcApi, rateLimitThrottler, RedisStore, signatureAuthenticator, staticCredentials } = pkg;

/** Far above any load here: every request is counted, none refused. */
const LIMIT = { points: 1_000_000_000, durationSeconds: 60 };

type Protection = 'none' | 'signature-only' | 'memory' | 'ioredis' | 'node-redis';

async function redisClient(library: 'ioredis' | 'node-redis', url: string | undefined): Promise<RedisClientLike> {
  if (url === undefined) throw new Error('REDIS_URL is not set (prepare() did not run)');
  if (library === 'ioredis') {
    const client = new Redis(url);
    client.on('error', () => undefined);
    await client.ping();
    return client;
  }
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client as unknown as RedisClientLike;
}

async function service(protection: Protection, env: Readonly<Record<string, string | undefined>>): Promise<Koa> {
  const options: RpcApiOptions = { version: VERSION };
  const credentials = staticCredentials({ [AK]: { secret: SECRET } });
  if (protection === 'signature-only') {
    options.authenticate = signatureAuthenticator({ credentials });
  } else if (protection === 'memory') {
    options.authenticate = signatureAuthenticator({ credentials });
    options.throttle = rateLimitThrottler({ limit: LIMIT });
  } else if (protection !== 'none') {
    const client = await redisClient(protection, env.REDIS_URL);
    // The nonce and the throttling count in one Lua script: one round trip (docs/throttling-and-idempotency.md#one-round-trip).
    const throttle = rateLimitThrottler({ limit: LIMIT, redis: client, keyPrefix: `bench-${protection}:throttle` });
    options.throttle = throttle;
    options.authenticate = signatureAuthenticator({ credentials, nonceStore: new RedisStore({ client, prefix: `bench-${protection}:` }), combineWithThrottle: throttle });
  }
  const api = createRpcApi<Koa.Context>(options);
  return regionsApp(api);
}

const expect = regionsExpectation;

/**
 * Pre-signed requests (one pool per contestant: a nonce is accepted once), so that the load
 * generator does not sign while it measures. Filled by `prepare()`; an empty or stale pool falls
 * back to signing on the fly.
 */
const POOL_MAX_AGE_MS = 10 * 60_000;
interface Pool {
  readonly requests: BenchRequest[];
  signedAt: number;
}
const pools = new Map<Protection, Pool>();


function poolFor(protection: Protection): Pool {
  let pool = pools.get(protection);
  if (pool === undefined) {
    pool = { requests: [], signedAt: 0 };
    pools.set(protection, pool);
  }
  return pool;
}

function protectedContestant(id: string, label: string, protection: Protection): Contestant {
  const pool = poolFor(protection);
  return {
    id,
    label,
    get request() {
      return signedRequest();
    },
    nextRequest: () => {
      if (pool.requests.length > 0 && Date.now() - pool.signedAt > POOL_MAX_AGE_MS) pool.requests.length = 0;
      return pool.requests.pop() ?? signedRequest();
    },
    expect,
    createListener: async (env) => (await service(protection, env)).callback(),
  };
}

const PROTECTED: ReadonlyArray<readonly [string, string, Protection]> = [
  // Not a target: shows what the signature check alone costs, apart from throttling.
  ['signature-only', 'signature V1 + nonce in memory, no throttling', 'signature-only'],
  ['memory', 'signature V1 + nonce + throttling, in memory', 'memory'],
  ['redis-ioredis', 'signature V1 + nonce + throttling, in Redis (ioredis)', 'ioredis'],
  ['redis-node-redis', 'signature V1 + nonce + throttling, in Redis (node-redis)', 'node-redis'],
];

export const scenario = defineScenario({
  title: 'Full protection (issue 5): DescribeRegions via koaRpc, unprotected vs signature + nonce + throttling in memory / in Redis',
  baseline: 'unprotected',
  contestants: [
    {
      id: 'unprotected',
      label: 'koaRpc, no authentication or throttling (same signed GET)',
      request: signedRequest(),
      expect,
      createListener: async (env) => (await service('none', env)).callback(),
    },
    ...PROTECTED.map(([id, label, protection]) => protectedContestant(id, label, protection)),
  ],
  // Runs in the harness process only.
  prepare: async () => {
    if (redisServerPath() === undefined) throw new ScenarioUnavailable('redis-server is not installed (apt-get install -y redis-server)');
    const redis = await startRedisServer();
    const size = poolSize();
    for (const [, , protection] of PROTECTED) {
      const pool = poolFor(protection);
      pool.requests.length = 0;
      for (let i = 0; i < size; i++) pool.requests.push(signedRequest());
      pool.signedAt = Date.now();
    }
    return {
      env: { REDIS_URL: redis.url },
      close: async () => {
        for (const pool of pools.values()) pool.requests.length = 0;
        await redis.stop();
      },
    };
  },
  targets: [
    { contestant: 'memory', minRatio: 0.75, source: 'issue 11' },
    { contestant: 'redis-ioredis', minRatio: 0.55, source: 'issue 11' },
    { contestant: 'redis-node-redis', minRatio: 0.55, source: 'issue 11' },
  ],
});
