/**
 * Nonces in a real redis-server through RedisStore (ioredis): two service instances sharing the store
 * catch each other's replays; a 5xx releases the nonce in Redis; Redis down → ServiceUnavailable 503.
 */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisStore } from '../../lib/stores/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { assertError, assertOk, authService, commonV1, sendV1, sendV3, signedV1, signedV3 } from './auth-service.js';

describe('auth/authenticator with a RedisStore for nonces', () => {
  let server: RedisServer | undefined;
  let client: Redis | undefined;

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
    client = new Redis(server.port, '127.0.0.1');
    await client.ping();
  });
  after(async () => {
    client?.disconnect();
    await server?.stop();
  });

  function instances(prefix: string) {
    const store = new RedisStore({ client: client as Redis, prefix, commandTimeoutMs: 500 });
    return [authService(() => Date.now(), { nonceStore: store }), authService(() => Date.now(), { nonceStore: store })] as const;
  }

  it('a request served by one instance is a replay for the other (V1 and V3)', async () => {
    const [a, b] = instances('t1:');
    const v1 = signedV1(commonV1('DescribeRegions', 'mock-ak', Date.now()), 'mock-secret-Zq7');
    assertOk(await sendV1(a, v1), 'mock-ak');
    assertError(await sendV1(b, v1), 400, 'SignatureNonceUsed');
    const v3 = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: Date.now() });
    assertOk(await sendV3(b, v3), 'mock-ak', 'V3');
    assertError(await sendV3(a, v3), 400, 'SignatureNonceUsed');
    const keys = await (client as Redis).keys('t1:*');
    assert.equal(keys.length, 2);
    for (const key of keys) {
      assert.match(key, /^t1:nonce:\{ak:mock-ak\}[A-Za-z0-9_-]{43}$/);
      const ttl = await (client as Redis).pttl(key);
      assert.ok(ttl > 30 * 60_000 && ttl <= 31 * 60_000, String(ttl));
    }
  });

  it('a 5xx releases the nonce in Redis: the retry reaches the handler on the other instance', async () => {
    const [a, b] = instances('t2:');
    const boom = signedV1(commonV1('Boom', 'mock-ak', Date.now()), 'mock-secret-Zq7');
    assertError(await sendV1(a, boom), 500, 'InternalError');
    // The release is one Redis round trip after the response: wait for it (bounded).
    for (let i = 0; i < 50 && (await (client as Redis).keys('t2:*')).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assertError(await sendV1(b, boom), 500, 'InternalError');
    assert.equal(a.runs.get('Boom'), 1);
    assert.equal(b.runs.get('Boom'), 1);
  });

  it('Redis not answering → ServiceUnavailable 503 and the handler does not run', async () => {
    const [a] = instances('t3:');
    (server as RedisServer).pause();
    try {
      const pairs = signedV1(commonV1('DescribeRegions', 'mock-ak', Date.now()), 'mock-secret-Zq7');
      assertError(await sendV1(a, pairs), 503, 'ServiceUnavailable');
      assert.equal(a.runs.size, 0);
    } finally {
      (server as RedisServer).resume();
    }
    await (client as Redis).ping();
  });
});
