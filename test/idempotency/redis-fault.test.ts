/**
 * Fault test: two instances (separate processes, ioredis and node-redis) under continuous load while
 * their Redis is killed and restarted. Every response in the gap is a well-formed envelope:
 * ServiceUnavailable 503 for everything that fails closed (signed requests: nonce, throttling,
 * ClientToken; an anonymous action throttled fail-closed), served for the anonymous action throttled
 * fail-open. No instance crashes, and normal service resumes by itself within seconds.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { alive, anonymousQuery, ask, signedQuery, startInstance, stopInstance, summary, type Instance } from '../support/two-instances.js';

type Kind = 'signed' | 'create' | 'ping' | 'open-ping';
const KINDS: readonly Kind[] = ['signed', 'create', 'ping', 'open-ping'];

interface Sample {
  readonly kind: Kind;
  readonly instance: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: string;
}

function queryFor(kind: Kind): string {
  switch (kind) {
    case 'signed':
      return signedQuery('DescribeThings');
    case 'create':
      return signedQuery('CreateThing', { ClientToken: `fault-${randomUUID()}`, Name: 'n' });
    case 'ping':
      return anonymousQuery('Ping');
    case 'open-ping':
      return anonymousQuery('OpenPing');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (polling every 50 ms, at most `tries` times) until `done()`. */
async function until(what: string, done: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (done()) return;
    await sleep(50);
  }
  throw new Error(`${what}: not within ${tries * 50} ms`);
}

describe('Redis killed and restarted under load (two instances)', function () {
  this.timeout(90_000);
  let server: RedisServer;
  let instances: Instance[] = [];

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
    instances = await Promise.all([startInstance('a', server.url, 'ioredis'), startInstance('b', server.url, 'node-redis')]);
  });
  after(async () => {
    await Promise.all(instances.map(stopInstance));
    await server?.stop();
  });

  it('every answer is an envelope (503 or served fail-open) while Redis is gone; no crash; service resumes by itself', async () => {
    const samples: Sample[] = [];
    const failures: unknown[] = [];
    let stop = false;
    let next = 0;
    const worker = async (): Promise<void> => {
      // Bounded: at most 20,000 requests per worker.
      for (let i = 0; i < 20_000 && !stop; i++) {
        const n = next++;
        const kind = KINDS[n % KINDS.length] as Kind;
        const instance = instances[Math.floor(n / KINDS.length) % instances.length] as Instance;
        const startedAt = Date.now();
        try {
          const answer = await ask(instance, queryFor(kind));
          samples.push({ kind, instance: instance.name, startedAt, endedAt: Date.now(), outcome: summary(answer) });
        } catch (error) {
          failures.push(error); // a refused connection (crash), a timeout, or a malformed envelope
          await sleep(10);
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    try {
      await until('normal service', () => samples.filter((s) => s.outcome === '200').length >= 40);

      await server.kill('SIGKILL');
      const killedAt = Date.now();
      await until('load during the outage', () => samples.filter((s) => s.startedAt >= killedAt).length >= 200);
      await sleep(300);
      const restartAt = Date.now();
      await server.restart();
      const restartedAt = Date.now();

      // Normal service resumes by itself: every kind served by every instance, started after the restart.
      await until(
        'recovery',
        () => KINDS.every((kind) => instances.every((inst) => samples.some((s) => s.kind === kind && s.instance === inst.name && s.startedAt >= restartedAt && s.outcome === '200'))),
        200,
      );
      const recoveredAt = Date.now();
      await until('steady after recovery', () => samples.filter((s) => s.startedAt >= recoveredAt + 500).length >= 40);
      stop = true;
      await Promise.all(workers);

      assert.deepEqual(failures.map(String), [], 'every request got a well-formed envelope');
      const gap = samples.filter((s) => s.startedAt >= killedAt && s.endedAt <= restartAt);
      for (const kind of KINDS) {
        const outcomes = new Set(gap.filter((s) => s.kind === kind).map((s) => s.outcome));
        assert.ok(outcomes.size > 0, `no ${kind} request in the gap`);
        assert.deepEqual([...outcomes], [kind === 'open-ping' ? '200' : '503 ServiceUnavailable'], `${kind} in the gap`);
      }
      // Nothing else was ever answered: no Throttling, no replay errors, no 500.
      const all = new Set(samples.map((s) => s.outcome));
      for (const outcome of all) {
        assert.ok(outcome === '200' || outcome === '503 ServiceUnavailable', `${outcome}: ${JSON.stringify(samples.filter((s) => s.outcome === outcome).slice(0, 3))}; ${instances.map((i) => i.stderr()).join('\n')}`);
      }
      const late = samples.filter((s) => s.startedAt >= recoveredAt + 500);
      assert.ok(late.every((s) => s.outcome === '200'), JSON.stringify(late.filter((s) => s.outcome !== '200').slice(0, 5)));
      for (const instance of instances) assert.ok(alive(instance), `${instance.name} crashed: ${instance.stderr()}`);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
  });

  it('a CreateThing refused with 503 during an outage is safe to retry with the same ClientToken afterwards', async () => {
    const token = `retry-${randomUUID()}`;
    await server.kill('SIGKILL');
    try {
      for (const instance of instances) assert.equal(summary(await ask(instance, signedQuery('CreateThing', { ClientToken: token, Name: 'n' }))), '503 ServiceUnavailable');
    } finally {
      await server.restart();
    }
    let answer;
    for (let i = 0; i < 100; i++) {
      answer = await ask(instances[i % 2] as Instance, signedQuery('CreateThing', { ClientToken: token, Name: 'n' }));
      if (answer.status === 200) break;
      await sleep(100);
    }
    assert.equal(answer?.status, 200);
    const redis = new Redis(server.port, '127.0.0.1');
    try {
      assert.equal(await redis.get(`two:runs:${token}`), '1');
    } finally {
      redis.disconnect();
    }
  });
});
