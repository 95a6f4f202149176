/**
 * rateLimitThrottler counting in a real redis-server (test/support/redis-server.ts), with ioredis
 * and with node-redis: counts shared by throttlers on different clients, the Redis layout, a
 * paused, killed and restarted server (bounded answers, the stated policy, recovery), and a client
 * still making its first connection.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isStoreUnavailableError, rateLimitThrottler, type RedisClientLike, type ThrottleErrorInfo } from '../../lib/index.js';
import { readError } from '../support/http.js';
import { get, protectedService } from '../support/protected-service.js';
import { REDIS_KITS, eventually } from '../support/redis-kits.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { attempt, passes } from './support.js';

for (const kit of REDIS_KITS) {
  describe(`throttle in Redis with ${kit.library}`, () => {
    let server: RedisServer;
    const clients: RedisClientLike[] = [];
    const connect = async (): Promise<RedisClientLike> => {
      const client = await kit.connect(server.port);
      clients.push(client);
      return client;
    };

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
    });
    after(async () => {
      await Promise.all(clients.map((c) => kit.close(c)));
      await server?.stop();
    });

    it('two throttlers on two clients (two instances) share one count: exactly `points` pass', async () => {
      const keyPrefix = `shared-${randomUUID()}`;
      const a = rateLimitThrottler({ limit: { points: 5, durationSeconds: 60 }, redis: await connect(), keyPrefix });
      const b = rateLimitThrottler({ limit: { points: 5, durationSeconds: 60 }, redis: await connect(), keyPrefix });
      let passed = 0;
      for (let i = 0; i < 12; i++) passed += await passes(i % 2 === 0 ? a : b, 1, 'DescribeThings', 'ak1');
      assert.equal(passed, 5);
      const refused = await attempt(b, 'DescribeThings', 'ak1');
      assert.ok(refused !== 'pass' && refused.code === 'Throttling' && Number(refused.retryAfter) <= 60_000);
      // Concurrent requests are counted atomically (one Lua script each).
      const c = rateLimitThrottler({ limit: { points: 20, durationSeconds: 60 }, redis: await connect(), keyPrefix });
      const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(i % 2 === 0 ? a : c, 'Concurrent', 'ak1')));
      // a counts with points 5, c with 20, on one key: a passes while the count is ≤ 5, c while ≤ 20.
      const passedA = outcomes.filter((o, i) => o === 'pass' && i % 2 === 0).length;
      const passedC = outcomes.filter((o, i) => o === 'pass' && i % 2 === 1).length;
      assert.ok(passedA <= 5 && passedA + passedC <= 20, `${passedA} + ${passedC}`);
    });

    it('keeps its counters under <keyPrefix>:{<identity>}:<Action> (the caller as Cluster hash tag), expiring with the window', async () => {
      const client = await connect();
      const keyPrefix = `layout-${randomUUID()}`;
      const throttle = rateLimitThrottler({ limit: { points: 5, durationSeconds: 60 }, actions: { Ping: { points: 2, durationSeconds: 30 } }, redis: client, keyPrefix });
      await passes(throttle, 3, 'DescribeThings', 'ak1');
      await passes(throttle, 1, 'Ping', undefined, '192.0.2.9');
      assert.equal(await kit.raw(client, 'GET', [`${keyPrefix}:{ak:ak1}:DescribeThings`]), '3');
      const ttl = Number(await kit.raw(client, 'PTTL', [`${keyPrefix}:{ak:ak1}:DescribeThings`]));
      assert.ok(ttl > 0 && ttl <= 60_000, String(ttl));
      const pingTtl = Number(await kit.raw(client, 'PTTL', [`${keyPrefix}:{ip:192.0.2.9}:Ping`]));
      assert.ok(pingTtl > 0 && pingTtl <= 30_000, String(pingTtl));
    });

    it('over HTTP: the Throttling envelope, with x-acs-retry-after from the Redis TTL', async () => {
      const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 }, redis: await connect(), keyPrefix: `http-${randomUUID()}` }) });
      assert.equal((await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' })).status, 200);
      const res = await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' }, 'XML');
      assert.equal(readError(res).Code, 'Throttling');
      assert.ok(Number(res.headers['x-acs-retry-after']) >= 1 && Number(res.headers['x-acs-retry-after']) <= 60_000);
    });

    it('a client still making its first connection: the request waits for it (within timeoutMs)', async () => {
      const client = kit.open(server.port);
      clients.push(client);
      const throttle = rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 }, redis: client, keyPrefix: `fresh-${randomUUID()}`, timeoutMs: 5_000 });
      assert.equal(await attempt(throttle, 'DescribeThings', 'ak1'), 'pass');
    });

    describe('faults (the server is paused, killed and restarted)', () => {
      it('paused: every request answers within timeoutMs by the policy (503 or served), then counting resumes', async () => {
        const client = await connect();
        const keyPrefix = `paused-${randomUUID()}`;
        const seen: unknown[] = [];
        const closed = rateLimitThrottler({ limit: { points: 100, durationSeconds: 60 }, redis: client, keyPrefix, timeoutMs: 200, onError: (e) => seen.push(e) });
        const open = rateLimitThrottler({ limit: { points: 100, durationSeconds: 60 }, redis: client, keyPrefix, timeoutMs: 200, onStoreError: 'fail-open' });
        assert.equal(await attempt(closed, 'DescribeThings', 'ak1'), 'pass');
        server.pause();
        try {
          assert.deepEqual(await attempt(closed, 'DescribeThings', 'ak1'), { code: 'ServiceUnavailable', status: 503, retryAfter: undefined });
          assert.equal(await attempt(open, 'DescribeThings', 'ak1'), 'pass');
          assert.ok(isStoreUnavailableError(seen[0]) && seen[0].reason === 'timeout', String(seen[0]));
        } finally {
          server.resume();
        }
        await eventually('counting resumes', async () => (await attempt(closed, 'DescribeThings', 'ak1')) === 'pass');
      });

      it('killed: 503 (fail-closed) or served (fail-open), never Throttling; restarted: counting resumes by itself', async () => {
        const client = await connect();
        const keyPrefix = `killed-${randomUUID()}`;
        const infos: ThrottleErrorInfo[] = [];
        const closed = rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 }, redis: client, keyPrefix, onError: (_e, info) => infos.push(info) });
        const open = rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 }, redis: client, keyPrefix, onStoreError: 'fail-open' });
        assert.equal(await passes(closed, 3, 'DescribeThings', 'ak1'), 2); // the window is used up
        await server.kill('SIGKILL');
        try {
          for (let i = 0; i < 5; i++) {
            assert.deepEqual(await attempt(closed, 'DescribeThings', 'ak1'), { code: 'ServiceUnavailable', status: 503, retryAfter: undefined });
            assert.equal(await attempt(open, 'DescribeThings', 'ak1'), 'pass');
          }
          assert.ok(infos.length >= 5);
        } finally {
          await server.restart();
        }
        // The restarted server is empty: a new window, counted again, then Throttling again.
        await eventually('counting resumes', async () => (await attempt(closed, 'DescribeThings', 'ak2')) === 'pass');
        assert.equal(await passes(closed, 5, 'DescribeThings', 'ak3'), 2);
      });
    });
  });
}
