/**
 * The two-instance cases against a real Redis Cluster (three masters with a replica each,
 * test/support/redis-cluster.ts), both instances on ioredis `Cluster`; then a master failover
 * (`CLUSTER FAILOVER` on its replica) under load from both instances: every answer is a well-formed
 * envelope, no nonce is accepted twice and no ClientToken runs its handler twice.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { requireRedisCluster, startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { twoInstanceCases } from '../support/two-instance-cases.js';
import { alive, ask, signedQuery, startInstance, stopInstance, summary, type Answer, type Instance } from '../support/two-instances.js';

describe('two instances in separate processes sharing a Redis Cluster', function () {
  this.timeout(120_000);
  let cluster: RedisCluster;
  let instances: Instance[] = [];
  let redis: Cluster;

  before(async function () {
    this.timeout(120_000);
    requireRedisCluster(this);
    cluster = await startRedisCluster();
    const urls = cluster.urls.join(',');
    instances = await Promise.all([startInstance('a', urls, 'cluster'), startInstance('b', urls, 'cluster')]);
    redis = new Cluster([...cluster.startupNodes]);
    redis.on('error', () => undefined);
  });
  after(async () => {
    redis?.disconnect();
    await Promise.all(instances.map(stopInstance));
    await cluster?.stop();
  });

  twoInstanceCases({ instances: () => instances, read: (key) => redis.get(key) });

  it('a master fails over under load: only envelopes, no nonce accepted twice, no ClientToken run twice', async () => {
    const [a, b] = instances as [Instance, Instance];
    const outcomes = new Map<string, number>();
    const note = (answer: Answer): void => void outcomes.set(summary(answer), (outcomes.get(summary(answer)) ?? 0) + 1);
    const tokens: string[] = [];
    let failedOver = false;
    let afterFailover = 0;
    const worker = async (w: number): Promise<void> => {
      // Bounded: at most 400 rounds per worker; the load stops 20 rounds after the failover.
      for (let round = 0; round < 400 && afterFailover < 20 * 4; round++) {
        if (failedOver) afterFailover++;
        const [first, second] = (round + w) % 2 === 0 ? [a, b] : [b, a];
        // A signed request, then the same bytes on the other instance: a replay.
        const query = signedQuery('DescribeThings', {}, w % 2 === 0 ? 'ak-1' : 'ak-2');
        const served = await ask(first, query);
        note(served);
        const replay = await ask(second, query);
        note(replay);
        assert.ok(['200', '503 ServiceUnavailable'].includes(summary(served)), summary(served));
        // A 503 releases the nonce, so only a served request's replay must be refused.
        const allowed = served.status === 200 ? ['400 SignatureNonceUsed', '503 ServiceUnavailable'] : ['200', '400 SignatureNonceUsed', '503 ServiceUnavailable'];
        assert.ok(allowed.includes(summary(replay)), `replay of a ${summary(served)}: ${summary(replay)} (a nonce accepted twice?)`);
        // An idempotent create, sent to both instances at once.
        const token = `fo-${randomUUID()}`;
        tokens.push(token);
        const creates = await Promise.all([first, second].map((instance) => ask(instance, signedQuery('CreateThing', { ClientToken: token, Name: 'web' }))));
        for (const create of creates) {
          note(create);
          assert.ok(['200', '403 LastTokenProcessing', '503 ServiceUnavailable'].includes(summary(create)), summary(create));
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const masters = await cluster.masters();
    // Two of the three masters fail over, one after the other, while the workers run.
    await cluster.failover(masters[0]);
    await cluster.failover(masters[1]);
    failedOver = true;
    await load;
    // Every token ran its handler at most once; and exactly once if any answer was a success.
    for (const token of tokens) {
      const runs = Number((await redis.get(`two:runs:${token}`)) ?? 0);
      assert.ok(runs <= 1, `${token} ran ${runs} times`);
    }
    assert.ok((outcomes.get('200') ?? 0) > 0, JSON.stringify(Object.fromEntries(outcomes)));
    for (const instance of instances) assert.ok(alive(instance), `${instance.name}: ${instance.stderr()}`);
    // After the failover, both instances serve again.
    assert.equal(summary(await ask(a, signedQuery('DescribeThings'))), '200');
    assert.equal(summary(await ask(b, signedQuery('DescribeThings'))), '200');
  });
});
