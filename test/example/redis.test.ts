/**
 * The example with REDIS_URL: two services (one Koa, one Express) on one redis-server behave as one
 * service, as the SDKs see it: instances, status changes, ClientTokens, nonces and throttling are
 * shared. And a Redis that stops answering is ServiceUnavailable (503), not a hang or a 500.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signedUrl } from '../../examples/ecs/sign-url.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { DEMO, bodyOf, failureOf, httpGet, instancesOf, openApiClient, popCore, startExample, type Outcome, type RunningExample, type SdkClient } from './support.js';

const LIMIT = 4;

describe('example/redis: two services sharing one Redis behave as one', () => {
  let redis: RedisServer;
  let koa: RunningExample;
  let express: RunningExample;
  let onKoa: SdkClient;
  let onExpress: SdkClient;

  before(async function () {
    requireRedisServer(this);
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url };
    koa = await startExample({ ...env, FRAMEWORK: 'koa' });
    express = await startExample({ ...env, FRAMEWORK: 'express' });
    onKoa = popCore('POST').client(koa.endpoint, DEMO);
    onExpress = openApiClient('V3').client(express.endpoint, DEMO);
  });
  after(async () => {
    await koa?.close();
    await express?.close();
    await redis?.stop();
  });

  it('keeps its state in Redis', () => {
    assert.equal(koa.service.state.kind, 'redis');
    assert.equal(express.service.state.kind, 'redis');
  });

  it('an instance created on one is described, started, stopped and deleted on the other', async () => {
    const id = String(bodyOf(await onKoa.call('CreateInstance', { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', InstanceName: '共享 😀' }), 'create on Koa').InstanceId);
    const described = instancesOf(bodyOf(await onExpress.call('DescribeInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': id }), 'describe on Express'));
    assert.deepEqual(
      described.map((i) => [i.InstanceId, i.InstanceName, i.Status]),
      [[id, '共享 😀', 'Stopped']],
    );
    bodyOf(await onExpress.call('StartInstance', { InstanceId: id }), 'start on Express');
    assert.equal(failureOf(await onKoa.call('StartInstance', { InstanceId: id }), 'start again on Koa').code, 'IncorrectInstanceStatus');
    assert.equal(failureOf(await onKoa.call('DeleteInstance', { InstanceId: id }), 'delete Running on Koa').code, 'IncorrectInstanceStatus');
    bodyOf(await onKoa.call('StopInstance', { InstanceId: id }), 'stop on Koa');
    bodyOf(await onExpress.call('DeleteInstance', { InstanceId: id }), 'delete on Express');
    assert.equal(failureOf(await onKoa.call('DeleteInstance', { InstanceId: id }), 'delete again on Koa').code, 'InvalidInstanceId.NotFound');
    assert.equal(bodyOf(await onKoa.call('DescribeInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': id }), 'gone').TotalCount, 0);
  });

  it('concurrent starts of one instance through both services: exactly one succeeds', async () => {
    const id = String(bodyOf(await onKoa.call('CreateInstance', { RegionId: 'cn-shanghai', InstanceType: 'ecs.g7.large' }), 'create').InstanceId);
    const outcomes = await Promise.all([onKoa, onExpress, onKoa, onExpress].map((client) => client.call('StartInstance', { InstanceId: id })));
    assert.equal(outcomes.filter((o) => o.ok).length, 1);
    assert.deepEqual(
      outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok).map((o) => o.code),
      ['IncorrectInstanceStatus', 'IncorrectInstanceStatus', 'IncorrectInstanceStatus'],
    );
  });

  it('a ClientToken used on one is honoured on the other (same InstanceId; other parameters → IdempotentParameterMismatch)', async () => {
    const params = { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', ClientToken: randomUUID() };
    const first = bodyOf(await onKoa.call('CreateInstance', params), 'first on Koa');
    // A different SDK retries: the business parameters are the same, so the result is replayed.
    const retry = bodyOf(await popCore('GET').client(express.endpoint, DEMO).call('CreateInstance', params), 'retry on Express');
    assert.equal(retry.InstanceId, first.InstanceId);
    const mismatch = await onExpress.call('CreateInstance', { ...params, InstanceType: 'ecs.c7.large' });
    assert.equal(failureOf(mismatch, 'mismatch on Express').code, 'IdempotentParameterMismatch');
  });

  it('a signature nonce used on one is refused by the other (SignatureNonceUsed)', async () => {
    const url = signedUrl({ Action: 'DescribeRegions', Format: 'JSON' }, { endpoint: koa.endpoint, ...DEMO });
    const first = await httpGet(url);
    assert.equal(first.status, 200, first.text);
    const replayed = await httpGet(url.replace(koa.endpoint, express.endpoint));
    assert.equal(replayed.status, 400);
    assert.equal((JSON.parse(replayed.text) as { Code: string }).Code, 'SignatureNonceUsed');
  });

  it('a Redis that does not answer → ServiceUnavailable (503) within the store timeout; served again once it answers', async () => {
    redis.pause();
    let outcome: Outcome;
    try {
      outcome = await onExpress.call('DescribeRegions');
    } finally {
      redis.resume();
    }
    const failure = failureOf(outcome, 'Redis paused');
    assert.equal(failure.code, 'ServiceUnavailable');
    assert.equal(failure.status, 503);
    // The nonce was released with the 503 (or never stored), so a fresh call is served.
    bodyOf(await onExpress.call('DescribeRegions'), 'Redis back');
  });
});

describe('example/redis: throttling counted in Redis', () => {
  let redis: RedisServer;
  let koa: RunningExample;
  let express: RunningExample;
  let koaThrottled: SdkClient;
  let expressThrottled: SdkClient;

  before(async function () {
    requireRedisServer(this);
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, ECS_THROTTLE_PER_SECOND: String(LIMIT) };
    koa = await startExample({ ...env, FRAMEWORK: 'koa' });
    express = await startExample({ ...env, FRAMEWORK: 'express' });
    koaThrottled = popCore('POST').client(koa.endpoint, DEMO);
    expressThrottled = openApiClient('V3').client(express.endpoint, DEMO);
  });
  after(async () => {
    await koa?.close();
    await express?.close();
    await redis?.stop();
  });

  it(`throttling counts calls to both services together (${LIMIT} per second per key and Action)`, async () => {
    // LIMIT calls on Koa open a window; the next call on Express is the (LIMIT + 1)th in that window
    // when both count in Redis. If a slow machine let the window close in between, try again with
    // another Action (a fresh counter); separate counters would never throttle Express here.
    const actions: Array<[string, Record<string, string>]> = [
      ['DescribeRegions', {}],
      ['DescribeInstances', { RegionId: 'cn-hangzhou' }],
      ['DescribeInstances', { RegionId: 'cn-hangzhou' }],
    ];
    let throttledOnExpress = 0;
    for (const [round, [action, params]] of actions.entries()) {
      if (round === 2) await new Promise((resolve) => setTimeout(resolve, 1100)); // DescribeInstances again: let its window close
      for (let i = 0; i < LIMIT; i++) bodyOf(await koaThrottled.call(action, params), `${action} #${i + 1} on Koa`);
      const next = await expressThrottled.call(action, params);
      if (!next.ok) {
        assert.equal(next.code, 'Throttling');
        assert.equal(next.status, 400);
        throttledOnExpress++;
        break;
      }
    }
    assert.equal(throttledOnExpress, 1, 'Express saw the calls made on Koa');
  });
});
