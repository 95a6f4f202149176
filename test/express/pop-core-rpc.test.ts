/**
 * A real `@alicloud/pop-core` 1.8 client, signing with Signature V1 at the real time, against
 * `expressRpc(api)` with `signatureAuthenticator` (plus throttling and ClientToken idempotency) on
 * Express 5 and Express 4: typed parameters (lists, lists of structs, long, enum) reach the handler,
 * the caller is authenticated, and every refusal arrives as an Error with the right `code` and
 * `data.RequestId`.
 */
import assert from 'node:assert/strict';
import RPCClient from '@alicloud/pop-core';
import express from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import {
  createRpcApi,
  envelope,
  errorHandler,
  expressRpc,
  p,
  signatureAuthenticator,
  staticCredentials,
  rateLimitThrottler,
  clientTokenGuard,
  type ExpressRpcContext,
  type ReportedError,
} from '../../lib/express/index.js';
import { listen } from './raw-http.js';
import { REQUEST_ID } from '../support/http.js';

const VERSION = '2014-05-26';
const KEY = { id: 'pop-ak', secret: 'pop-secret-Zq7' };

interface PopError extends Error {
  code: string;
  data: Record<string, unknown> & { RequestId: string };
}

type Client = { request<T = Record<string, unknown>>(action: string, params: Record<string, unknown>, options: Record<string, unknown>): Promise<T> };

function service(createApp: () => Express): { app: Express; reported: ReportedError[]; runs: { n: number } } {
  const runs = { n: 0 };
  const api = createRpcApi<ExpressRpcContext>({
    version: VERSION,
    authenticate: signatureAuthenticator({ credentials: staticCredentials({ [KEY.id]: { secret: KEY.secret, principal: { account: '42' } } }) }),
    throttle: rateLimitThrottler({ limit: { points: 1000, durationSeconds: 60 }, actions: { DescribeLimited: { points: 1, durationSeconds: 3600 } } }),
    idempotency: clientTokenGuard(),
  });
  api.action('DescribeInstances', {
    params: {
      RegionId: p.string({ required: true }),
      InstanceId: p.list(p.string(), { maxItems: 10 }),
      Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 5 }),
      PageSize: p.integer({ min: 1, max: 100, default: 10 }),
      Status: p.enum(['Running', 'Stopped']),
    },
    handler: (params, { res }, { caller }) => ({
      Caller: caller?.accessKeyId ?? '',
      Account: String(caller?.principal?.account ?? ''),
      Locals: res.locals.caller === caller ? 'same caller' : 'different',
      RegionId: params.RegionId,
      PageSize: params.PageSize,
      Status: params.Status ?? '',
      OwnerId: 2n ** 63n - 1n,
      Instances: { Instance: (params.InstanceId ?? []).map((InstanceId) => ({ InstanceId })) },
      Tags: { Tag: (params.Tag ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' })) },
    }),
  });
  api.action('DescribeLimited', { handler: () => ({ Served: true }) });
  api.action('RunInstances', {
    idempotent: true,
    params: { InstanceType: p.string({ required: true }) },
    handler: (params) => {
      runs.n += 1;
      return { InstanceId: `i-${params.InstanceType}-${runs.n}` };
    },
  });
  api.action('Crash', { handler: () => { throw new Error('database exploded at /srv/db.js:1'); } });
  const app = createApp();
  const reported: ReportedError[] = [];
  app.use(envelope({ hostId: 'ecs.express.test', onError: (err) => reported.push(err) }));
  app.use(expressRpc(api));
  app.use(errorHandler());
  return { app, reported, runs };
}

/** json-bigint builds null-prototype objects: compare plain copies. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

async function rejection(promise: Promise<unknown>): Promise<PopError> {
  try {
    await promise;
  } catch (err) {
    return err as PopError;
  }
  throw new assert.AssertionError({ message: 'the client call succeeded; an error was expected' });
}

for (const [label, createApp] of [['Express 5', () => express()], ['Express 4', () => express4()]] as const) {
  describe(`@alicloud/pop-core (signed) against expressRpc on ${label}`, () => {
    let close: () => Promise<void>;
    let endpoint: string;
    let svc: ReturnType<typeof service>;
    const client = (key = KEY): Client =>
      new (RPCClient as unknown as new (cfg: Record<string, string>) => Client)({ accessKeyId: key.id, accessKeySecret: key.secret, endpoint, apiVersion: VERSION });

    before(async () => {
      svc = service(createApp);
      const server = await listen(svc.app);
      close = server.close;
      endpoint = `http://127.0.0.1:${server.port}`;
    });
    after(() => close());
    beforeEach(() => {
      svc.reported.length = 0;
    });

    for (const method of ['GET', 'POST'] as const) {
      it(`${method}: signed call, typed parameters, lists and lists of structs reach the handler`, async () => {
        const result = await client().request<Record<string, unknown> & { OwnerId: { toString(): string }; RequestId: string }>(
          'DescribeInstances',
          { RegionId: 'cn-hangzhou', InstanceId: ['i-1', "i 2*!'()"], Tag: [{ Key: '键 1', Value: 'v&=' }, { Key: 'k2' }], PageSize: 20, Status: 'Stopped' },
          { method },
        );
        assert.match(result.RequestId, REQUEST_ID);
        assert.equal(result.OwnerId.toString(), '9223372036854775807');
        assert.deepEqual(plain({ ...result, RequestId: '', OwnerId: '' }), {
          RequestId: '',
          Caller: 'pop-ak',
          Account: '42',
          Locals: 'same caller',
          RegionId: 'cn-hangzhou',
          PageSize: 20,
          Status: 'Stopped',
          OwnerId: '',
          Instances: { Instance: [{ InstanceId: 'i-1' }, { InstanceId: "i 2*!'()" }] },
          Tags: { Tag: [{ Key: '键 1', Value: 'v&=' }, { Key: 'k2', Value: '' }] },
        });
      });
    }

    it('a wrong secret is SignatureDoesNotMatch; an unknown key is InvalidAccessKeyId.NotFound', async () => {
      const wrong = await rejection(client({ id: KEY.id, secret: 'not-the-secret' }).request('DescribeInstances', { RegionId: 'cn-hangzhou' }, { method: 'POST' }));
      assert.equal(wrong.code, 'SignatureDoesNotMatch');
      assert.match(wrong.data.RequestId, REQUEST_ID);
      assert.ok(!JSON.stringify(wrong.data).includes(KEY.secret), 'no secret in the error');
      const unknown = await rejection(client({ id: 'nobody', secret: 'x' }).request('DescribeInstances', { RegionId: 'cn-hangzhou' }, { method: 'GET' }));
      assert.equal(unknown.code, 'InvalidAccessKeyId.NotFound');
    });

    it('parameter errors and unknown actions arrive with their codes', async () => {
      assert.equal((await rejection(client().request('DescribeInstances', {}, { method: 'POST' }))).code, 'MissingParameter');
      assert.equal((await rejection(client().request('DescribeInstances', { RegionId: 'r', PageSize: 101 }, { method: 'POST' }))).code, 'InvalidParameter');
      assert.equal((await rejection(client().request('DescribeInstances', { RegionId: 'r', Status: 'running' }, { method: 'GET' }))).code, 'InvalidParameter');
      assert.equal((await rejection(client().request('DescribeNothing', {}, { method: 'POST' }))).code, 'InvalidAction');
    });

    it('throttling arrives as Throttling', async () => {
      const first = await client().request<{ Served: boolean }>('DescribeLimited', {}, { method: 'POST' });
      assert.equal(first.Served, true);
      const err = await rejection(client().request('DescribeLimited', {}, { method: 'POST' }));
      assert.equal(err.code, 'Throttling');
      assert.match(err.data.RequestId, REQUEST_ID);
    });

    it('ClientToken: a retry (new nonce, new signature) gets the stored result; other parameters are a mismatch', async () => {
      const before = svc.runs.n;
      const a = await client().request<{ InstanceId: string; RequestId: string }>('RunInstances', { InstanceType: 'g7', ClientToken: 'pop-token-1' }, { method: 'POST' });
      const b = await client().request<{ InstanceId: string; RequestId: string }>('RunInstances', { InstanceType: 'g7', ClientToken: 'pop-token-1' }, { method: 'GET' });
      assert.equal(a.InstanceId, b.InstanceId);
      assert.notEqual(a.RequestId, b.RequestId);
      assert.equal(svc.runs.n, before + 1, 'the handler ran once');
      const err = await rejection(client().request('RunInstances', { InstanceType: 'c7', ClientToken: 'pop-token-1' }, { method: 'POST' }));
      assert.equal(err.code, 'IdempotentParameterMismatch');
    });

    it('a bug is InternalError without details, reported with the same RequestId', async () => {
      const err = await rejection(client().request('Crash', {}, { method: 'POST' }));
      assert.equal(err.code, 'InternalError');
      assert.ok(!JSON.stringify(err.data).includes('/srv/db.js'));
      assert.equal(svc.reported.length, 1);
      assert.equal(svc.reported[0]!.requestId, err.data.RequestId);
    });
  });
}
