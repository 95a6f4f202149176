/**
 * Throttling over HTTP (Koa + envelope() + koaRpc): what a client observes. The Throttling
 * envelope in JSON and XML with `x-acs-retry-after`, the handler not run, other callers and
 * Actions unaffected, store failures as ServiceUnavailable (fail-closed) or served (fail-open),
 * and @alicloud/openapi-core reading the header as its ThrottlingError.retryAfter (and retrying
 * after it when configured to).
 */
import assert from 'node:assert/strict';
import OpenApiCoreClient, * as $Core from '@alicloud/openapi-core';
import { rateLimitThrottler, type ThrottleErrorInfo } from '../../lib/index.js';
import { readError, REQUEST_ID } from '../support/http.js';
import { listen, type Listening } from '../support/listen.js';
import { VERSION, get, post, protectedService } from '../support/protected-service.js';
import { fakeIoRedis } from './support.js';

describe('throttle over HTTP (Koa + koaRpc)', () => {
  for (const format of ['JSON', 'XML'] as const) {
    it(`over the limit → Throttling 400 envelope (${format}) with x-acs-retry-after, handler not run`, async () => {
      const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 } }) });
      for (let i = 0; i < 2; i++) assert.equal((await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' }, format)).status, 200);
      const res = await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' }, format);
      const view = readError(res);
      assert.equal(view.status, 400);
      assert.equal(view.Code, 'Throttling');
      assert.match(view.RequestId, REQUEST_ID);
      const retryAfter = res.headers['x-acs-retry-after'];
      assert.match(String(retryAfter), /^[1-9]\d*$/);
      assert.ok(Number(retryAfter) <= 60_000);
      assert.equal(svc.runs.get('DescribeThings'), 2);
      // Another caller, and another Action of the same caller, are not affected.
      assert.equal((await get(svc, 'DescribeThings', { AccessKeyId: 'ak2' }, format)).status, 200);
      assert.equal((await post(svc, 'Free', { AccessKeyId: 'ak1' }, format)).status, 200);
    });
  }

  it('a successful response carries no x-acs-retry-after', async () => {
    const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 } }) });
    const res = await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-acs-retry-after'], undefined);
  });

  it('anonymous actions are counted per client address', async () => {
    const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 3, durationSeconds: 60 } }) });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(svc, 'Ping')).status);
    assert.deepEqual(statuses, [200, 200, 200, 400, 400]);
    assert.equal(svc.runs.get('Ping'), 3);
  });

  it('a per-Action override applies to its Action only', async () => {
    const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 5, durationSeconds: 60 }, actions: { CreateThing: { points: 1, durationSeconds: 60 } } }) });
    const create = [];
    for (let i = 0; i < 3; i++) create.push((await get(svc, 'CreateThing', { AccessKeyId: 'ak1', Name: 'n' })).status);
    assert.deepEqual(create, [200, 400, 400]);
    assert.equal((await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' })).status, 200);
  });

  it('an unauthenticated request is refused before it is counted (authentication comes first)', async () => {
    const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 } }) });
    for (let i = 0; i < 3; i++) assert.equal(readError(await get(svc, 'DescribeThings')).Code, 'MissingParameter');
    assert.equal((await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' })).status, 200);
  });

  for (const format of ['JSON', 'XML'] as const) {
    it(`store failure, fail-closed → ServiceUnavailable 503 envelope (${format}), never Throttling; reported`, async () => {
      const seen: ThrottleErrorInfo[] = [];
      const svc = protectedService({
        throttle: rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 }, redis: fakeIoRedis('reject').client, onError: (_e, info) => seen.push(info) }),
      });
      for (let i = 0; i < 3; i++) {
        const res = await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' }, format);
        const view = readError(res);
        assert.equal(view.status, 503);
        assert.equal(view.Code, 'ServiceUnavailable');
        assert.doesNotMatch(res.text, /fake failure|secret/);
        assert.equal(res.headers['x-acs-retry-after'], undefined);
      }
      assert.equal(svc.runs.get('DescribeThings'), undefined);
      assert.equal(seen.length, 3);
    });
  }

  it('store failure, fail-open → served (the handler runs), reported', async () => {
    const seen: ThrottleErrorInfo[] = [];
    const svc = protectedService({
      throttle: rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 }, redis: fakeIoRedis('hang').client, timeoutMs: 30, onStoreError: 'fail-open', onError: (_e, info) => seen.push(info) }),
    });
    for (let i = 0; i < 3; i++) assert.equal((await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' })).status, 200);
    assert.equal(svc.runs.get('DescribeThings'), 3);
    assert.deepEqual(
      seen.map((s) => s.policy),
      ['fail-open', 'fail-open', 'fail-open'],
    );
  });

  describe('@alicloud/openapi-core reads x-acs-retry-after', () => {
    let srv: Listening;
    let svc: ReturnType<typeof protectedService>;
    let received = 0;
    before(async () => {
      // Anonymous (no authenticator): openapi-core sends V3 headers, counted per client address.
      svc = protectedService({ authenticate: null, throttle: rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 } }) });
      srv = await listen((req, res) => {
        received += 1;
        void svc.server(req, res);
      });
    });
    after(() => srv.close());

    type TeaClient = { callApi(p: unknown, r: unknown, rt: unknown): Promise<{ body: Record<string, unknown> }> };
    function client(retryOptions?: Record<string, unknown>): TeaClient {
      const Ctor = OpenApiCoreClient as unknown as new (c: unknown) => TeaClient;
      const config = new $Core.$OpenApiUtil.Config({
        accessKeyId: 'unused',
        accessKeySecret: 'unused',
        endpoint: srv.endpoint.replace('http://', ''),
        protocol: 'HTTP',
        readTimeout: 10_000,
        ...(retryOptions === undefined ? {} : { retryOptions }),
      });
      return new Ctor(config);
    }
    const params = () =>
      new $Core.$OpenApiUtil.Params({ action: 'DescribeThings', version: VERSION, protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'Anonymous', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
    const call = (c: TeaClient) => c.callApi(params(), new $Core.$OpenApiUtil.OpenApiRequest({}), {});

    it('as ThrottlingError.retryAfter (milliseconds), without retries by default', async () => {
      const plain = client();
      // Use up this window (it may already be partly used by nothing else: one point per second).
      const first = await call(plain).then(
        () => 'ok',
        (err: { name?: string }) => String(err.name),
      );
      assert.ok(first === 'ok' || first === 'ThrottlingError', first);
      const error = (await call(plain).then(
        () => assert.fail('the second request in the window must be throttled'),
        (err: unknown) => err,
      )) as { name: string; code: string; statusCode: number; retryAfter: unknown };
      assert.equal(error.name, 'ThrottlingError');
      assert.equal(error.code, 'Throttling');
      assert.equal(error.statusCode, 400);
      assert.equal(typeof error.retryAfter, 'number');
      assert.ok((error.retryAfter as number) >= 1 && (error.retryAfter as number) <= 1000, String(error.retryAfter));
    });

    it('and, when retries are configured for ThrottlingError, waits that long and then succeeds', async () => {
      const runsBefore = svc.runs.get('DescribeThings') ?? 0;
      await call(client()).catch(() => undefined); // make sure this window is used up
      // The shape of @darabonba/typescript's RetryOptions (a dependency of openapi-core, not ours).
      const retrying = client({ retryable: true, noRetryCondition: [], retryCondition: [{ maxAttempts: 3, exception: ['ThrottlingError'], errorCode: [], maxDelay: 5_000 }] });
      const before = received;
      const result = await call(retrying);
      assert.equal(typeof result.body.Count, 'number');
      assert.ok(received - before >= 2, `the client sent ${received - before} request(s): it did not retry`);
      assert.ok((svc.runs.get('DescribeThings') ?? 0) > runsBefore);
    });
  });
});
