/**
 * The example's InstanceRepository contract, run against the memory implementation and the Redis
 * one (a real redis-server): creation, filters, conditional status changes, the per-region bound,
 * and that of many concurrent changes of one instance (from two Redis connections, i.e. two
 * processes) exactly one wins. Plus the Redis layout (JSON attributes) and a Redis that stops
 * answering (ServiceUnavailable).
 */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { isApiError } from '../../lib/index.js';
import {
  MemoryInstanceRepository,
  RedisInstanceRepository,
  newInstanceId,
  type ChangeOutcome,
  type InstanceRepository,
} from '../../examples/ecs/instances.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';

interface Backend {
  /** Two repositories over the same data (for Redis: two connections, as two processes would have). */
  pair(options?: { maxInstancesPerRegion?: number }): [InstanceRepository, InstanceRepository];
}

function assertApiError(err: unknown, code: string): true {
  assert.ok(isApiError(err), `an ApiError, got ${String(err)}`);
  assert.equal(err.code, code);
  return true;
}

function contract(name: string, backend: () => Backend): void {
  describe(`example/instances: ${name}`, () => {
    it('creates Stopped instances with an ECS-style id, the given attributes and copies of the tags', async () => {
      const [repo] = backend().pair();
      const tags = [{ Key: 'env', Value: 'prod' }];
      const before = Date.now();
      const created = await repo.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', InstanceName: 'web 1', Tags: tags });
      tags[0] = { Key: 'changed', Value: 'later' };
      assert.match(created.InstanceId, /^i-[a-z0-9]{20}$/);
      assert.equal(created.Status, 'Stopped');
      assert.ok(created.CreationTime.getTime() >= before - 1 && created.CreationTime.getTime() <= Date.now() + 1);
      const page = await repo.find({ RegionId: 'cn-hangzhou', InstanceIds: [created.InstanceId], offset: 0, limit: 10 });
      assert.equal(page.TotalCount, 1);
      assert.deepEqual(page.Instances[0], { ...created, Tags: [{ Key: 'env', Value: 'prod' }] });
      const unnamed = await repo.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', Tags: [] });
      assert.equal(unnamed.InstanceName, unnamed.InstanceId);
    });

    it('finds by region, ids and tags (all tags must match; a filter without value matches any), oldest first, paged', async () => {
      const [a, b] = backend().pair();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const tags = [{ Key: 'n', Value: String(i) }, ...(i % 2 === 0 ? [{ Key: 'even', Value: '' }] : [])];
        ids.push((await (i % 2 === 0 ? a : b).create({ RegionId: 'cn-shanghai', InstanceType: 'ecs.g7.large', Tags: tags })).InstanceId);
      }
      await a.create({ RegionId: 'cn-beijing', InstanceType: 'ecs.g7.large', Tags: [{ Key: 'even', Value: '' }] });
      const all = await b.find({ RegionId: 'cn-shanghai', offset: 0, limit: 100 });
      assert.deepEqual(all.Instances.map((i) => i.InstanceId), ids);
      const page = await a.find({ RegionId: 'cn-shanghai', offset: 3, limit: 2 });
      assert.equal(page.TotalCount, 7);
      assert.deepEqual(page.Instances.map((i) => i.InstanceId), ids.slice(3, 5));
      const even = await a.find({ RegionId: 'cn-shanghai', Tags: [{ Key: 'even' }], offset: 0, limit: 100 });
      assert.deepEqual(even.Instances.map((i) => i.InstanceId), [0, 2, 4, 6].map((i) => ids[i]));
      const both = await a.find({ RegionId: 'cn-shanghai', Tags: [{ Key: 'even' }, { Key: 'n', Value: '4' }], offset: 0, limit: 100 });
      assert.deepEqual(both.Instances.map((i) => i.InstanceId), [ids[4]]);
      const byIds = await b.find({ RegionId: 'cn-shanghai', InstanceIds: [String(ids[5]), String(ids[1]), 'i-none'], offset: 0, limit: 100 });
      assert.deepEqual(byIds.Instances.map((i) => i.InstanceId), [ids[1], ids[5]]);
      const none = await b.find({ RegionId: 'cn-shanghai', InstanceIds: [], offset: 0, limit: 100 });
      assert.equal(none.TotalCount, 0);
      const beyond = await b.find({ RegionId: 'cn-shanghai', offset: 7, limit: 10 });
      assert.deepEqual({ total: beyond.TotalCount, listed: beyond.Instances.length }, { total: 7, listed: 0 });
    });

    it('changes status only from the expected one; removes only in the expected status', async () => {
      const [a, b] = backend().pair();
      const { InstanceId: id } = await a.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', Tags: [] });
      assert.equal(await b.changeStatus(id, 'Running', 'Stopped'), 'incorrect-status');
      assert.equal(await b.changeStatus(id, 'Stopped', 'Running'), 'done');
      assert.equal((await a.find({ RegionId: 'cn-hangzhou', InstanceIds: [id], offset: 0, limit: 1 })).Instances[0]?.Status, 'Running');
      assert.equal(await a.remove(id, 'Stopped'), 'incorrect-status');
      assert.equal(await a.changeStatus(id, 'Running', 'Stopped'), 'done');
      assert.equal(await b.remove(id, 'Stopped'), 'done');
      assert.equal(await a.remove(id, 'Stopped'), 'not-found');
      assert.equal(await a.changeStatus(id, 'Stopped', 'Running'), 'not-found');
      assert.equal((await b.find({ RegionId: 'cn-hangzhou', InstanceIds: [id], offset: 0, limit: 1 })).TotalCount, 0);
      assert.equal(await a.changeStatus(newInstanceId(), 'Stopped', 'Running'), 'not-found');
    });

    it('of 20 concurrent starts (or deletes) of one instance from two connections, exactly one succeeds', async () => {
      const [a, b] = backend().pair();
      const { InstanceId: id } = await a.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', Tags: [] });
      const starts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).changeStatus(id, 'Stopped', 'Running')));
      assert.deepEqual(count(starts), { done: 1, 'incorrect-status': 19 });
      assert.equal(await a.changeStatus(id, 'Running', 'Stopped'), 'done');
      const removals = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? b : a).remove(id, 'Stopped')));
      assert.deepEqual(count(removals), { done: 1, 'not-found': 19 });
    });

    it('bounds the instances of a region (QuotaExceed.Instance); other regions and freed places are usable', async () => {
      const [a, b] = backend().pair({ maxInstancesPerRegion: 3 });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await (i === 1 ? b : a).create({ RegionId: 'ap-southeast-1', InstanceType: 'ecs.g7.large', Tags: [] })).InstanceId);
      await assert.rejects(b.create({ RegionId: 'ap-southeast-1', InstanceType: 'ecs.g7.large', Tags: [] }), (err) => assertApiError(err, 'QuotaExceed.Instance'));
      await a.create({ RegionId: 'cn-beijing', InstanceType: 'ecs.g7.large', Tags: [] });
      assert.equal(await a.remove(String(ids[0]), 'Stopped'), 'done');
      await b.create({ RegionId: 'ap-southeast-1', InstanceType: 'ecs.g7.large', Tags: [] });
    });
  });
}

function count(outcomes: readonly ChangeOutcome[]): Partial<Record<ChangeOutcome, number>> {
  const counts: Partial<Record<ChangeOutcome, number>> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

contract('MemoryInstanceRepository', () => ({
  pair(options) {
    const repo = new MemoryInstanceRepository(options);
    return [repo, repo];
  },
}));

describe('example/instances: Redis', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  let prefixCounter = 0;

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  function client(): Redis {
    const redis = new Redis(server.port, '127.0.0.1', { commandTimeout: 500, maxRetriesPerRequest: 1 });
    redis.on('error', () => {}); // the fault test below stops the server on purpose
    clients.push(redis);
    return redis;
  }

  contract('RedisInstanceRepository (two connections)', () => ({
    pair(options) {
      const prefix = `t${++prefixCounter}:`;
      return [new RedisInstanceRepository(client(), { ...options, prefix }), new RedisInstanceRepository(client(), { ...options, prefix })];
    },
  }));

  it('keeps each instance as JSON attributes plus a status field, and a per-region index in creation order', async () => {
    const redis = client();
    const repo = new RedisInstanceRepository(redis, { prefix: 'layout:' });
    const created = await repo.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', InstanceName: '名字 😀', Tags: [{ Key: 'k', Value: 'v' }] });
    const hash = await redis.hgetall(`layout:instance:${created.InstanceId}`);
    assert.equal(hash.status, 'Stopped');
    assert.deepEqual(JSON.parse(String(hash.attributes)), {
      InstanceId: created.InstanceId,
      InstanceName: '名字 😀',
      InstanceType: 'ecs.g7.large',
      RegionId: 'cn-hangzhou',
      CreationTime: created.CreationTime.getTime(),
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    assert.deepEqual(await redis.zrange('layout:region:cn-hangzhou:instances', '0', '-1'), [created.InstanceId]);
    assert.equal(await repo.remove(created.InstanceId, 'Stopped'), 'done');
    assert.deepEqual(await redis.keys('layout:*'), ['layout:instance-sequence']);
  });

  it('a Redis that does not answer makes operations fail with ServiceUnavailable, then work again', async () => {
    const repo = new RedisInstanceRepository(client(), { prefix: 'fault:' });
    const { InstanceId: id } = await repo.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', Tags: [] });
    server.pause();
    try {
      await assert.rejects(repo.changeStatus(id, 'Stopped', 'Running'), (err) => assertApiError(err, 'ServiceUnavailable'));
      await assert.rejects(repo.find({ RegionId: 'cn-hangzhou', offset: 0, limit: 10 }), (err) => assertApiError(err, 'ServiceUnavailable'));
    } finally {
      server.resume();
    }
    // The timed-out change may still have been applied once Redis resumed: either way the status is consistent.
    const [instance] = (await repo.find({ RegionId: 'cn-hangzhou', InstanceIds: [id], offset: 0, limit: 1 })).Instances;
    assert.ok(instance !== undefined && (instance.Status === 'Running' || instance.Status === 'Stopped'));
  });
});
