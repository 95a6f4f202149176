/**
 * Two instances of a protected service in separate processes (one on ioredis, one on node-redis)
 * sharing one real redis-server, as behind a load balancer: nonces, ClientTokens and throttling
 * counts hold across them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { alive, ask, signedQuery, startInstance, stopInstance, summary, type Answer, type Instance } from '../support/two-instances.js';

describe('two instances in separate processes sharing one Redis', function () {
  this.timeout(60_000);
  let server: RedisServer;
  let instances: Instance[] = [];
  let redis: Redis;

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
    instances = await Promise.all([startInstance('a', server.url, 'ioredis'), startInstance('b', server.url, 'node-redis')]);
    redis = new Redis(server.port, '127.0.0.1');
  });
  after(async () => {
    redis?.disconnect();
    await Promise.all(instances.map(stopInstance));
    await server?.stop();
  });
  const [a, b] = [() => instances[0] as Instance, () => instances[1] as Instance];

  it('a nonce used on one instance is rejected on the other (SignatureNonceUsed), both ways', async () => {
    for (const [first, second] of [
      [a(), b()],
      [b(), a()],
    ] as const) {
      const query = signedQuery('DescribeThings');
      assert.equal(summary(await ask(first, query)), '200');
      assert.equal(summary(await ask(second, query)), '400 SignatureNonceUsed');
      assert.equal(summary(await ask(first, query)), '400 SignatureNonceUsed');
    }
  });

  it('50 concurrent requests with one ClientToken over both: the handler runs exactly once; every answer is its result or LastTokenProcessing', async () => {
    const token = `tok-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(i % 2 === 0 ? a() : b(), signedQuery('CreateThing', { ClientToken: token, Name: 'web' }))));
    assert.equal(await redis.get(`two:runs:${token}`), '1');
    const ok = answers.filter((x) => x.status === 200);
    assert.ok(ok.length >= 1);
    const thing = ok[0]?.body.ThingId;
    for (const x of answers) {
      if (x.status === 200) assert.equal(x.body.ThingId, thing);
      else assert.equal(summary(x), '403 LastTokenProcessing');
    }
    const requestIds = new Set(answers.map((x) => x.requestId));
    assert.equal(requestIds.size, 50);
    // Afterwards, retries on either instance replay it (the handler still ran once).
    for (const instance of [a(), b(), a(), b()]) {
      const again = await ask(instance, signedQuery('CreateThing', { ClientToken: token, Name: 'web' }));
      assert.equal(summary(again), '200');
      assert.equal(again.body.ThingId, thing);
      assert.equal(again.body.Run, 1);
    }
    assert.equal(summary(await ask(b(), signedQuery('CreateThing', { ClientToken: token, Name: 'db' }))), '400 IdempotentParameterMismatch');
    assert.equal(await redis.get(`two:runs:${token}`), '1');
  });

  it('throttling holds across both: 20 per 60 s → exactly 20 of 60 requests pass (one window, counted atomically in Redis)', async () => {
    const answers: Answer[] = [];
    for (let batch = 0; batch < 6; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => ask(i % 2 === 0 ? a() : b(), signedQuery('Limited', {}, 'ak-2'))))));
    }
    const counts = new Map<string, number>();
    for (const x of answers) counts.set(summary(x), (counts.get(summary(x)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(counts), { '200': 20, '400 Throttling': 40 });
    const served = new Set(answers.filter((x) => x.status === 200).map((x) => x.body.Instance));
    assert.deepEqual([...served].sort(), ['a', 'b']);
  });

  it('throttling holds the rate across both: 10 per 1 s over ~3 s of continuous requests (tolerance: the windows the run touched)', async () => {
    let passed = 0;
    let sent = 0;
    const started = Date.now();
    // Bounded: at most 3,000 requests or 3 seconds, whichever comes first; 4 in flight.
    while (Date.now() - started < 3_000 && sent < 3_000) {
      const batch = await Promise.all(Array.from({ length: 4 }, (_, i) => ask(i % 2 === 0 ? a() : b(), signedQuery('Rate', {}, 'ak-1'))));
      sent += batch.length;
      for (const x of batch) {
        if (x.status === 200) passed++;
        else assert.equal(summary(x), '400 Throttling');
      }
    }
    const seconds = (Date.now() - started) / 1_000;
    // Fixed 1 s windows, each starting at its first request: the run touched at most floor(T) + 1 of
    // them, and (sending continuously) filled at least floor(T) - 1.
    const upper = 10 * (Math.floor(seconds) + 1);
    const lower = 10 * (Math.floor(seconds) - 1);
    assert.ok(passed <= upper && passed >= lower, `${passed} passed in ${seconds.toFixed(2)} s (${sent} sent); expected ${lower}..${upper}`);
  });

  it('neither instance crashed', () => {
    for (const instance of instances) assert.ok(alive(instance), `${instance.name}: ${instance.stderr()}`);
  });
});
