/**
 * Per-caller limits over HTTP (issue 13 item 5): a caller counted across every Action
 * (`perCaller`), per Action (`limit`, `actions`), or both at once, in memory and in a real Redis
 * with ioredis and node-redis. Both counters take a point of every request; the stricter answers,
 * and `x-acs-retry-after` is the later of the refusing windows' ends.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { rateLimitThrottler, type RateLimitThrottlerOptions, type RedisClientLike, type Throttler } from '../../lib/index.js';
import { readError } from '../support/http.js';
import { get, protectedService, type ProtectedService } from '../support/protected-service.js';
import { REDIS_KITS } from '../support/redis-kits.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';

/** `200` or `<status> <Code>` of a response. */
function outcome(res: Response): string {
  return res.status === 200 ? '200' : `${res.status} ${readError(res).Code}`;
}

async function sequence(svc: ProtectedService, calls: ReadonlyArray<readonly [string, string]>): Promise<string[]> {
  const out: string[] = [];
  for (const [action, ak] of calls) out.push(outcome(await get(svc, action, { AccessKeyId: ak })));
  return out;
}

function retryAfter(res: Response): number {
  const value = Number(res.headers['x-acs-retry-after']);
  assert.ok(Number.isSafeInteger(value) && value >= 1, String(res.headers['x-acs-retry-after']));
  return value;
}

/** The same cases in memory and in Redis: `make` builds a throttler from options. */
function perCallerCases(make: (options: RateLimitThrottlerOptions) => Throttler): void {
  it('perCaller alone: one budget for all of a caller\'s Actions; other callers have their own', async () => {
    const svc = protectedService({ throttle: make({ perCaller: { points: 3, durationSeconds: 60 } }) });
    assert.deepEqual(
      await sequence(svc, [['DescribeThings', 'ak1'], ['Free', 'ak1'], ['CreateThing', 'ak1'], ['Free', 'ak1'], ['DescribeThings', 'ak2']]),
      ['200', '200', '200', '400 Throttling', '200'],
    );
    const refused = await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' });
    assert.equal(outcome(refused), '400 Throttling');
    assert.ok(retryAfter(refused) <= 60_000);
  });

  it('perCaller with limit: the stricter answers (per Action first, then the caller\'s total)', async () => {
    const svc = protectedService({ throttle: make({ limit: { points: 2, durationSeconds: 60 }, perCaller: { points: 4, durationSeconds: 60 } }) });
    // DescribeThings: 1, 2, 3 (over its 2); caller total 1..3. Free: caller total 4, then 5 (over 4).
    assert.deepEqual(
      await sequence(svc, [['DescribeThings', 'ak1'], ['DescribeThings', 'ak1'], ['DescribeThings', 'ak1'], ['Free', 'ak1'], ['Free', 'ak1']]),
      ['200', '200', '400 Throttling', '200', '400 Throttling'],
    );
    // Another caller is untouched by both.
    assert.deepEqual(await sequence(svc, [['DescribeThings', 'ak2'], ['Free', 'ak2']]), ['200', '200']);
  });

  it('an exempt Action (false) is counted by neither limit', async () => {
    const svc = protectedService({ throttle: make({ perCaller: { points: 1, durationSeconds: 60 }, actions: { Free: false } }) });
    assert.deepEqual(await sequence(svc, [['Free', 'ak1'], ['Free', 'ak1'], ['DescribeThings', 'ak1'], ['Free', 'ak1'], ['DescribeThings', 'ak1']]), [
      '200',
      '200',
      '200',
      '200',
      '400 Throttling',
    ]);
  });

  for (const [longer, shorter] of [
    ['perCaller', 'action'],
    ['action', 'perCaller'],
  ] as const) {
    it(`x-acs-retry-after is the later of the two windows (the ${longer} window is the longer)`, async () => {
      const long = { points: 1, durationSeconds: 120 };
      const short = { points: 1, durationSeconds: 5 };
      const svc = protectedService({
        throttle: make({
          perCaller: longer === 'perCaller' ? long : short,
          limit: { points: 1000, durationSeconds: 60 },
          actions: { DescribeThings: shorter === 'action' ? short : long },
        }),
      });
      assert.equal(outcome(await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' })), '200');
      const refused = await get(svc, 'DescribeThings', { AccessKeyId: 'ak1' });
      assert.equal(outcome(refused), '400 Throttling');
      const wait = retryAfter(refused);
      assert.ok(wait > 5_000 && wait <= 120_000, `retry after ${wait} ms, expected the 120 s window`);
    });
  }

  it('options: at least one of limit and perCaller; perCaller is validated like limit', () => {
    assert.throws(() => make({} as RateLimitThrottlerOptions), /give limit .* perCaller/);
    assert.throws(() => make({ perCaller: { points: 0, durationSeconds: 1 } }), /perCaller\.points must be a positive integer/);
    assert.throws(() => make({ perCaller: { points: 1, durationSeconds: 1.5 } }), /perCaller\.durationSeconds must be a positive integer/);
  });
}

describe('throttle: per-caller limits over HTTP (memory)', () => {
  perCallerCases((options) => rateLimitThrottler(options));
});

for (const kit of REDIS_KITS) {
  describe(`throttle: per-caller limits over HTTP (Redis, ${kit.library})`, () => {
    let server: RedisServer;
    let client: RedisClientLike;
    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
      client = await kit.connect(server.port);
    });
    after(async () => {
      if (client !== undefined) await kit.close(client);
      await server?.stop();
    });

    perCallerCases((options) => rateLimitThrottler({ ...options, redis: client, keyPrefix: `pc-${randomUUID()}` }));

    it('both counters of a caller live under its hash tag: <keyPrefix>:{ak:…} and <keyPrefix>:{ak:…}:<Action>', async () => {
      const keyPrefix = `pc-layout-${randomUUID()}`;
      const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 5, durationSeconds: 60 }, perCaller: { points: 9, durationSeconds: 30 }, redis: client, keyPrefix }) });
      await sequence(svc, [['DescribeThings', 'ak1'], ['Free', 'ak1'], ['Free', 'ak1']]);
      assert.equal(await kit.raw(client, 'GET', [`${keyPrefix}:{ak:ak1}`]), '3');
      assert.equal(await kit.raw(client, 'GET', [`${keyPrefix}:{ak:ak1}:Free`]), '2');
      const ttl = Number(await kit.raw(client, 'PTTL', [`${keyPrefix}:{ak:ak1}`]));
      assert.ok(ttl > 0 && ttl <= 30_000, String(ttl));
    });
  });
}
