/**
 * The two-instance cases (test/support/two-instance-service.ts in two processes), run against one
 * redis-server and against a Redis Cluster: a nonce used on one instance is refused by the other,
 * 50 concurrent requests with one ClientToken run once, throttling counts are exact across both.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { alive, ask, signedQuery, summary, type Answer, type Instance } from './two-instances.js';

/** What the cases need: the two running instances, and a way to read a key of the shared Redis. */
export interface TwoInstanceContext {
  instances(): readonly Instance[];
  read(key: string): Promise<string | null>;
}

/**
 * Declares the cases (mocha `it`s) in the calling `describe`.
 *
 * @example
 * twoInstanceCases({ instances: () => instances, read: (key) => redis.get(key) });
 */
export function twoInstanceCases(context: TwoInstanceContext): void {
  const a = (): Instance => context.instances()[0] as Instance;
  const b = (): Instance => context.instances()[1] as Instance;
  const redis = { get: (key: string) => context.read(key) };

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
    for (const instance of context.instances()) assert.ok(alive(instance), `${instance.name}: ${instance.stderr()}`);
  });
}
