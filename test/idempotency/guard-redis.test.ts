/**
 * clientTokenGuard on a RedisStore against a real redis-server, with ioredis and with node-redis:
 * byte-identical replays through Redis, guards on separate clients (as separate instances) running
 * a handler once for 50 concurrent requests, the Redis layout, and faults (paused, killed during a
 * handler, restarted).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  clientTokenGuard,
  isStoreUnavailableError,
  RedisStore,
  type ClientTokenErrorInfo,
  type IdempotencyGuard,
  type RedisClientLike,
  type RpcResult,
} from '../../lib/index.js';
import { tokenKey } from '../../lib/idempotency/token-key.js';
import type { OpenApiState } from '../../lib/core/exchange.js';
import type { RpcRequest } from '../../lib/rpc/pipeline.js';
import { readError } from '../support/http.js';
import { gate, get, protectedService, query } from '../support/protected-service.js';
import { REDIS_KITS, eventually } from '../support/redis-kits.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { caller, idempotentCall } from './support.js';

const rpcRequest: RpcRequest = { method: 'POST', path: '/', querystring: '', headers: {}, state: {} as OpenApiState, clientIp: '192.0.2.1' };

for (const kit of REDIS_KITS) {
  describe(`idempotency in Redis with ${kit.library}`, () => {
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

    it('over HTTP: a replay through Redis is byte-identical (bigint, Date, non-ASCII, lone surrogate) with a new RequestId', async () => {
      const store = new RedisStore({ client: await connect(), prefix: `http-${randomUUID()}:` });
      const svc = protectedService({ idempotency: clientTokenGuard({ store }) });
      svc.behaviour.create = (params, run) => ({ ThingId: `thing-${run}`, Name: params.Name, Big: -(2n ** 70n), At: new Date(0), Text: 'é€😀 \uD800 <&>', List: [1, undefined, null, 2.5] });
      const pairs = { AccessKeyId: 'ak1', ClientToken: 'redis-token', Name: 'n' };
      for (const format of ['JSON', 'XML'] as const) {
        const first = await get(svc, 'CreateThing', pairs, format);
        const again = await get(svc, 'CreateThing', pairs, format);
        assert.equal(again.status, 200);
        assert.notEqual(again.headers['x-acs-request-id'], first.headers['x-acs-request-id']);
        const blank = (text: string) => text.replace(/[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}/, 'ID');
        assert.equal(blank(again.text), blank(first.text));
      }
      assert.equal(svc.runs.get('CreateThing'), 1);
    });

    it('guards on two clients (two instances) sharing Redis: 50 concurrent requests with one token run the handler once', async () => {
      const prefix = `pair-${randomUUID()}:`;
      const guards: IdempotencyGuard[] = [];
      for (let i = 0; i < 2; i++) guards.push(clientTokenGuard({ store: new RedisStore({ client: await connect(), prefix }) }));
      let runs = 0;
      const g = gate();
      const run = async (): Promise<RpcResult> => {
        runs += 1;
        await g.promise;
        return { data: { ThingId: `thing-${runs}` }, status: 200 };
      };
      const all = Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (guards[i % 2] as IdempotencyGuard)(rpcRequest, idempotentCall('concurrent'), run).then(
            (r) => r,
            (err: { code?: string }) => err.code,
          ),
        ),
      );
      setTimeout(g.open, 50);
      const outcomes = await all;
      assert.equal(runs, 1);
      for (const o of outcomes) {
        if (o === undefined) assert.fail('no outcome');
        if (typeof o === 'string') assert.equal(o, 'LastTokenProcessing');
        else assert.deepEqual(o.data, { ThingId: 'thing-1' });
      }
      // Once done, every retry on either instance is a replay.
      for (const guard of guards) assert.deepEqual((await guard(rpcRequest, idempotentCall('concurrent'), run)).data, { ThingId: 'thing-1' });
      assert.equal(runs, 1);
    });

    it('keeps one key per token under its prefix: a reservation with leaseMs, then the result with retentionMs', async () => {
      const client = await connect();
      const prefix = `layout-${randomUUID()}:`;
      const guard = clientTokenGuard({ store: new RedisStore({ client, prefix }), leaseMs: 20_000, retentionMs: 3_600_000 });
      const redisKey = prefix + tokenKey('ct:', caller('ak1'), 'CreateThing', 'layout');
      const g = gate();
      const running = guard(rpcRequest, idempotentCall('layout'), async () => (await g.promise, { data: { A: 1 }, status: 200 }));
      await eventually('reserved', async () => (await kit.raw(client, 'EXISTS', [redisKey])) === 1);
      assert.match(String(await kit.raw(client, 'GET', [redisKey])), /^p1\./);
      const leaseTtl = Number(await kit.raw(client, 'PTTL', [redisKey]));
      assert.ok(leaseTtl > 0 && leaseTtl <= 20_000, String(leaseTtl));
      g.open();
      await running;
      assert.match(String(await kit.raw(client, 'GET', [redisKey])), /^d1\./);
      const ttl = Number(await kit.raw(client, 'PTTL', [redisKey]));
      assert.ok(ttl > 20_000 && ttl <= 3_600_000, String(ttl));
    });

    describe('faults', () => {
      it('paused: ServiceUnavailable within commandTimeoutMs, the handler does not run; resumed: served at once (the late reservation is taken back)', async () => {
        const store = new RedisStore({ client: await connect(), prefix: `paused-${randomUUID()}:`, commandTimeoutMs: 200 });
        const reports: ClientTokenErrorInfo[] = [];
        const svc = protectedService({ idempotency: clientTokenGuard({ store, onError: (_e, info) => reports.push(info) }) });
        const pairs = { AccessKeyId: 'ak1', ClientToken: 'paused', Name: 'n' };
        server.pause();
        try {
          const view = readError(await get(svc, 'CreateThing', pairs));
          assert.equal(view.status, 503);
          assert.equal(view.Code, 'ServiceUnavailable');
        } finally {
          server.resume();
        }
        assert.equal(svc.runs.get('CreateThing'), undefined);
        assert.equal(reports[0]?.phase, 'reserve');
        // The SET sent during the pause runs when the server resumes, and the undo queued behind it
        // removes it again: the retry is served, not LastTokenProcessing for a whole lease.
        const retry = await get(svc, 'CreateThing', pairs);
        assert.equal(retry.status, 200, retry.text);
        assert.equal(svc.runs.get('CreateThing'), 1);
      });

      it('killed while the handler runs: its result is still answered (reported); restarted: service resumes', async () => {
        const store = new RedisStore({ client: await connect(), prefix: `killed-${randomUUID()}:`, commandTimeoutMs: 500 });
        const reports: Array<[unknown, ClientTokenErrorInfo]> = [];
        const svc = protectedService({ idempotency: clientTokenGuard({ store, onError: (e, info) => reports.push([e, info]) }) });
        const g = gate();
        svc.behaviour.create = async (params, run) => (await g.promise, { ThingId: `thing-${run}`, Name: params.Name });
        const pairs = { AccessKeyId: 'ak1', ClientToken: 'killed', Name: 'n' };
        const first = request(svc.server).get(`/?${query('CreateThing', pairs)}`).then((r) => r);
        await eventually('handler started', async () => svc.runs.get('CreateThing') === 1);
        await server.kill('SIGKILL');
        let res;
        try {
          g.open();
          res = await first;
          // Meanwhile other tokens are refused with 503 (fail closed), never served unguarded.
          const other = readError(await get(svc, 'CreateThing', { ...pairs, ClientToken: 'other' }));
          assert.equal(other.Code, 'ServiceUnavailable');
        } finally {
          await server.restart();
        }
        assert.equal(res.status, 200);
        assert.equal(JSON.parse(res.text).ThingId, 'thing-1');
        const stored = reports.find(([, info]) => info.phase === 'store-result');
        assert.ok(stored !== undefined && isStoreUnavailableError(stored[0]), JSON.stringify(reports.map(([, i]) => i)));
        await eventually('served again', async () => (await get(svc, 'CreateThing', { ...pairs, ClientToken: 'after-restart' })).status === 200);
      });
    });
  });
}
