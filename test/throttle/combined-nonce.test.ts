/**
 * One round trip per protected request (issue 11 item 3): with
 * `signatureAuthenticator({ nonceStore: RedisStore, combineWithThrottle })` the nonce and the
 * throttling count are one Lua script on the shared client, against a real redis-server, with
 * ioredis and with node-redis. The answers are those of two separate steps: a replay is refused and
 * not counted, a throttled request burns its nonce, a request refused between the two steps gets its
 * point back, a 5xx releases the nonce, a Redis failure is 503 and the handler does not run.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import request from 'supertest';
import {
  createRpcApi,
  envelope,
  errors,
  koaRpc,
  rateLimitThrottler,
  RedisStore,
  signatureAuthenticator,
  staticCredentials,
  type RateLimitThrottlerOptions,
  type RedisClientLike,
} from '../../lib/index.js';
import { readError } from '../support/http.js';
import { REDIS_KITS, eventually, type RedisKit } from '../support/redis-kits.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { TWO_INSTANCE_KEYS, TWO_INSTANCE_VERSION } from '../support/two-instance-service.js';
import { signedQuery } from '../support/two-instances.js';
import { fakeIoRedis } from './support.js';

/** Wraps a client so that the test sees every command it sends (both libraries' shapes). */
function counted(kit: RedisKit, client: RedisClientLike): { client: RedisClientLike; commands: string[] } {
  const commands: string[] = [];
  if (kit.library === 'ioredis') {
    const io = client as unknown as { status: string; call(c: string, a: string[]): Promise<unknown>; on(e: string, l: () => void): unknown };
    const wrapped = {
      get status() {
        return io.status;
      },
      call(command: string, args: string[]) {
        commands.push(command);
        return io.call(command, args);
      },
      on: (event: string, listener: () => void) => io.on(event, listener),
    };
    return { client: wrapped, commands };
  }
  const nr = client as unknown as { isOpen: boolean; isReady: boolean; sendCommand(a: string[]): Promise<unknown>; on(e: string, l: () => void): unknown };
  const wrapped = {
    get isOpen() {
      return nr.isOpen;
    },
    get isReady() {
      return nr.isReady;
    },
    sendCommand(args: string[]) {
      commands.push(args[0] as string);
      return nr.sendCommand(args);
    },
    on: (event: string, listener: () => void) => nr.on(event, listener),
  };
  return { client: wrapped, commands };
}

interface Service {
  readonly server: ReturnType<Koa['callback']>;
  readonly runs: () => number;
  fail: boolean;
}

function service(client: RedisClientLike, combine: boolean, throttleOptions: Partial<RateLimitThrottlerOptions> = {}, prefix = `c-${randomUUID()}:`): Service {
  const nonceStore = new RedisStore({ client, prefix });
  const throttle = rateLimitThrottler({ limit: { points: 1000, durationSeconds: 60 }, redis: client, keyPrefix: `${prefix}throttle`, ...throttleOptions });
  const authenticate = signatureAuthenticator({ credentials: staticCredentials(TWO_INSTANCE_KEYS), nonceStore, ...(combine ? { combineWithThrottle: throttle } : {}) });
  const api = createRpcApi<Koa.Context>({ version: TWO_INSTANCE_VERSION, authenticate, throttle });
  let runs = 0;
  const svc: Service = { server: undefined as unknown as Service['server'], runs: () => runs, fail: false };
  for (const name of ['DescribeThings', 'Limited']) {
    api.action(name, {
      handler: () => {
        runs += 1;
        if (svc.fail) throw new errors.ServiceUnavailable();
        return { Runs: runs };
      },
    });
  }
  const app = new Koa();
  app.silent = true;
  app.use(envelope());
  app.use(koaRpc(api));
  (svc as { server: Service['server'] }).server = app.callback();
  return svc;
}

async function send(svc: Service, query: string): Promise<string> {
  const res = await request(svc.server).get(`/?${query}`);
  return res.status === 200 ? '200' : `${res.status} ${readError(res).Code}`;
}

for (const kit of REDIS_KITS) {
  describe(`throttle + nonce in one round trip (Redis, ${kit.library})`, () => {
    let server: RedisServer;
    let raw: RedisClientLike;
    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
      raw = await kit.connect(server.port);
    });
    after(async () => {
      if (raw !== undefined) await kit.close(raw);
      await server?.stop();
    });

    it('one command per protected request when combined, two when not', async () => {
      for (const [combine, expected] of [
        [true, ['EVALSHA']],
        [false, ['SET', 'EVALSHA']],
      ] as const) {
        const { client, commands } = counted(kit, raw);
        const svc = service(client, combine);
        assert.equal(await send(svc, signedQuery('DescribeThings')), '200'); // loads the script (EVALSHA, NOSCRIPT, EVAL) if needed
        commands.length = 0;
        for (let i = 0; i < 5; i++) assert.equal(await send(svc, signedQuery('DescribeThings')), '200');
        assert.deepEqual(commands, Array.from({ length: 5 }, () => expected).flat(), `combine: ${combine}`);
      }
    });

    it('a replayed nonce is SignatureNonceUsed and is not counted; nonces hold across combined and separate instances', async () => {
      const prefix = `replay-${randomUUID()}:`;
      const combined = service(raw, true, { limit: { points: 3, durationSeconds: 60 } }, prefix);
      const separate = service(raw, false, { limit: { points: 3, durationSeconds: 60 } }, prefix);
      const query = signedQuery('DescribeThings');
      assert.equal(await send(combined, query), '200');
      for (let i = 0; i < 4; i++) assert.equal(await send(i % 2 === 0 ? combined : separate, query), '400 SignatureNonceUsed');
      const other = signedQuery('DescribeThings');
      assert.equal(await send(separate, other), '200');
      assert.equal(await send(combined, other), '400 SignatureNonceUsed');
      // Two requests counted, not six: the replays took no point.
      assert.equal(await kit.raw(raw, 'GET', [`${prefix}throttle:{ak:ak-1}:DescribeThings`]), '2');
      assert.equal(await send(combined, signedQuery('DescribeThings')), '200');
      assert.equal(await send(combined, signedQuery('DescribeThings')), '400 Throttling');
    });

    it('over the limit: Throttling with x-acs-retry-after, and the refused request\'s nonce stays used', async () => {
      const svc = service(raw, true, { limit: { points: 1, durationSeconds: 60 } });
      assert.equal(await send(svc, signedQuery('Limited', {}, 'ak-2')), '200');
      const query = signedQuery('Limited', {}, 'ak-2');
      const res = await request(svc.server).get(`/?${query}`);
      assert.equal(readError(res).Code, 'Throttling');
      const wait = Number(res.headers['x-acs-retry-after']);
      assert.ok(wait >= 1 && wait <= 60_000, String(wait));
      assert.equal(await send(svc, query), '400 SignatureNonceUsed');
      assert.equal(svc.runs(), 1);
    });

    it('refused between authentication and throttling (unsupported Version, InvalidOwner): the point is given back', async () => {
      const prefix = `refund-${randomUUID()}:`;
      const svc = service(raw, true, { limit: { points: 2, durationSeconds: 60 } }, prefix);
      const key = `${prefix}throttle:{ak:ak-1}:DescribeThings`;
      assert.equal(await send(svc, signedQuery('DescribeThings')), '200');
      assert.equal(await send(svc, signedQuery('DescribeThings', { Version: '1999-01-01' })), '400 InvalidParameter'); // "Action or Version"
      assert.equal(await send(svc, signedQuery('DescribeThings', { OwnerId: '1', OwnerAccount: 'x' })), '400 InvalidOwner');
      await eventually('both points given back', async () => (await kit.raw(raw, 'GET', [key])) === '1');
      assert.equal(await send(svc, signedQuery('DescribeThings')), '200');
      assert.equal(await send(svc, signedQuery('DescribeThings')), '400 Throttling');
    });

    it('a 5xx releases the nonce: the same request is served again', async () => {
      const svc = service(raw, true);
      const query = signedQuery('DescribeThings');
      svc.fail = true;
      assert.equal(await send(svc, query), '503 ServiceUnavailable');
      svc.fail = false;
      await eventually('the nonce is released', async () => (await send(svc, query)) === '200');
      assert.equal(await send(svc, query), '400 SignatureNonceUsed');
    });

    it('a custom identity in another hash tag: nonce and count go separately, with the same answers', async () => {
      const { client, commands } = counted(kit, raw);
      const svc = service(client, true, { limit: { points: 1, durationSeconds: 60 }, identify: () => 'account:42' });
      assert.equal(await send(svc, signedQuery('DescribeThings')), '200');
      commands.length = 0;
      const query = signedQuery('DescribeThings', {}, 'ak-2');
      assert.equal(await send(svc, query), '400 Throttling'); // the same account
      assert.deepEqual(commands, ['SET', 'EVALSHA']);
      assert.equal(await send(svc, query), '400 SignatureNonceUsed');
    });
  });
}

describe('throttle + nonce in one round trip: Redis failing', () => {
  it('the combined script failing is ServiceUnavailable 503 (fail closed, as the nonce), the handler does not run, the throttler is not told', async () => {
    const fake = fakeIoRedis('reject');
    const told: unknown[] = [];
    const svc = service(fake.client, true, { onStoreError: 'fail-open', onError: (e) => told.push(e) });
    assert.equal(await send(svc, signedQuery('DescribeThings')), '503 ServiceUnavailable');
    assert.equal(svc.runs(), 0);
    assert.equal(fake.sent(), 1);
    assert.deepEqual(told, []);
  });
});
