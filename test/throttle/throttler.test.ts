/**
 * rateLimitThrottler, called directly: limits per caller and Action, overrides and exemptions,
 * the Throttling error and its x-acs-retry-after, option checks, the store-failure policy (with
 * fake Redis clients that fail or hang), and the bound of the in-memory table.
 */
import assert from 'node:assert/strict';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  errors,
  isApiError,
  isStoreUnavailableError,
  rateLimitThrottler,
  ThrottleTableFullError,
  type RateLimitThrottlerOptions,
  type ThrottleErrorInfo,
} from '../../lib/index.js';
import { MemoryCounter } from '../../lib/throttle/memory-counter.js';
import { attempt, caller, fakeIoRedis, passes, rpcRequest } from './support.js';

describe('throttle: rateLimitThrottler (memory)', () => {
  it('lets `points` requests per window through, then answers Throttling 400 with x-acs-retry-after in ms', async () => {
    const throttle = rateLimitThrottler({ limit: { points: 3, durationSeconds: 60 } });
    assert.equal(await passes(throttle, 3, 'DescribeThings', 'ak1'), 3);
    const refused = await attempt(throttle, 'DescribeThings', 'ak1');
    assert.notEqual(refused, 'pass');
    if (refused === 'pass') return;
    assert.equal(refused.code, 'Throttling');
    assert.equal(refused.status, 400);
    assert.match(String(refused.retryAfter), /^[1-9]\d*$/);
    const ms = Number(refused.retryAfter);
    assert.ok(ms >= 1 && ms <= 60_000, `retry after ${ms} ms`);
  });

  it('the refused request is the Throttling of the catalogue (same code, status and message)', async () => {
    const throttle = rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 } });
    await throttle(rpcRequest(), { caller: caller('ak1'), action: 'A' });
    const error = await throttle(rpcRequest(), { caller: caller('ak1'), action: 'A' }).then(
      () => assert.fail('not refused'),
      (err: unknown) => err,
    );
    const expected = new errors.Throttling();
    assert.ok(isApiError(error));
    assert.equal(error.code, expected.code);
    assert.equal(error.status, expected.status);
    assert.equal(error.message, expected.message);
  });

  it('counts each caller separately, and each Action separately', async () => {
    const throttle = rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 } });
    assert.equal(await passes(throttle, 5, 'DescribeThings', 'ak1'), 2);
    assert.equal(await passes(throttle, 5, 'DescribeThings', 'ak2'), 2);
    assert.equal(await passes(throttle, 5, 'CreateThing', 'ak1'), 2);
  });

  it('counts anonymous requests per client address, apart from authenticated callers', async () => {
    const throttle = rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 } });
    assert.equal(await passes(throttle, 4, 'Ping', undefined, '198.51.100.1'), 2);
    assert.equal(await passes(throttle, 4, 'Ping', undefined, '198.51.100.2'), 2);
    // An AccessKeyId that looks like an address is still another identity.
    assert.equal(await passes(throttle, 4, 'Ping', '198.51.100.1'), 2);
  });

  it('applies per-Action overrides, exempts actions set to false, and the default elsewhere', async () => {
    const throttle = rateLimitThrottler({
      limit: { points: 3, durationSeconds: 60 },
      actions: { CreateThing: { points: 1, durationSeconds: 60 }, Free: false, constructor: { points: 2, durationSeconds: 60 } },
    });
    assert.equal(await passes(throttle, 5, 'CreateThing', 'ak1'), 1);
    assert.equal(await passes(throttle, 50, 'Free', 'ak1'), 50);
    assert.equal(await passes(throttle, 5, 'DescribeThings', 'ak1'), 3);
    assert.equal(await passes(throttle, 5, 'constructor', 'ak1'), 2);
    assert.equal(await passes(throttle, 5, 'toString', 'ak1'), 3);
  });

  it('identify() can count several AccessKeys together (e.g. per account)', async () => {
    const throttle = rateLimitThrottler({
      limit: { points: 3, durationSeconds: 60 },
      identify: (_req, key) => `account:${key.caller?.accessKeyId.split('-')[0] ?? 'anonymous'}`,
    });
    let passed = 0;
    for (const ak of ['acct1-a', 'acct1-b', 'acct1-c', 'acct1-d', 'acct1-e']) passed += await passes(throttle, 1, 'DescribeThings', ak);
    assert.equal(passed, 3);
    assert.equal(await passes(throttle, 1, 'DescribeThings', 'acct2-a'), 1);
  });

  it('an identify() that returns no identity is a bug (TypeError), not a pass', async () => {
    const throttle = rateLimitThrottler({ limit: { points: 3, durationSeconds: 60 }, identify: () => '' });
    await assert.rejects(throttle(rpcRequest(), { caller: undefined, action: 'A' }), TypeError);
  });

  it('a very long identity (a forged forwarded address) is hashed, and still counted', async () => {
    const throttle = rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 } });
    const long = `203.0.113.7,${'x'.repeat(10_000)}`;
    assert.equal(await passes(throttle, 4, 'Ping', undefined, long), 2);
    assert.equal(await passes(throttle, 4, 'Ping', undefined, `${long}y`), 2);
  });

  describe('options are checked at start-up', () => {
    const bad: Array<[string, () => unknown, RegExp]> = [
      ['no options', () => rateLimitThrottler(undefined as unknown as RateLimitThrottlerOptions), /options are required/],
      ['points 0', () => rateLimitThrottler({ limit: { points: 0, durationSeconds: 1 } }), /points must be a positive integer/],
      ['fractional seconds', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 0.5 } }), /durationSeconds must be a positive integer/],
      ['a bad override', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, actions: { A: { points: 1.5, durationSeconds: 1 } } }), /actions\.A\.points/],
      ['an unknown policy', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, onStoreError: 'ignore' as 'fail-open' }), /onStoreError/],
      ['timeoutMs without Redis', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, timeoutMs: 10 }), /Redis only/],
      ['maxKeys 0', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, maxKeys: 0 }), /maxKeys/],
      ['maxKeys with Redis', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, redis: fakeIoRedis('reject').client, maxKeys: 5 }), /in-memory table only/],
      ['timeoutMs 0', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, redis: fakeIoRedis('reject').client, timeoutMs: 0 }), /timeoutMs must be a positive number/],
      ['not a Redis client', () => rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 }, redis: {} as never }), /ioredis client/],
    ];
    for (const [what, build, message] of bad) {
      it(`refuses ${what}`, () => assert.throws(build, message));
    }
  });

  describe('store failures follow onStoreError, and are never Throttling', () => {
    for (const behaviour of ['reject', 'hang'] as const) {
      const reason = behaviour === 'reject' ? 'command-failed' : 'timeout';
      it(`Redis that ${behaviour === 'reject' ? 'fails' : 'never answers'}: fail-closed (default) → ServiceUnavailable 503, reported (${reason})`, async () => {
        const seen: Array<[unknown, ThrottleErrorInfo]> = [];
        const throttle = rateLimitThrottler({
          limit: { points: 1, durationSeconds: 60 },
          redis: fakeIoRedis(behaviour).client,
          timeoutMs: 50,
          onError: (err, info) => seen.push([err, info]),
        });
        for (let i = 0; i < 3; i++) {
          const outcome = await attempt(throttle, 'DescribeThings', 'ak1');
          assert.deepEqual(outcome, { code: 'ServiceUnavailable', status: 503, retryAfter: undefined });
        }
        assert.equal(seen.length, 3);
        const [error, info] = seen[0] as [unknown, ThrottleErrorInfo];
        assert.ok(isStoreUnavailableError(error));
        assert.equal(error.reason, reason);
        assert.doesNotMatch(error.message, /secret/);
        assert.deepEqual(info, { action: 'DescribeThings', caller: caller('ak1'), policy: 'fail-closed' });
      });

      it(`Redis that ${behaviour === 'reject' ? 'fails' : 'never answers'}: fail-open → every request passes, each failure reported`, async () => {
        const seen: ThrottleErrorInfo[] = [];
        const throttle = rateLimitThrottler({
          limit: { points: 1, durationSeconds: 60 },
          redis: fakeIoRedis(behaviour).client,
          timeoutMs: 50,
          onStoreError: 'fail-open',
          onError: (_err, info) => seen.push(info),
        });
        assert.equal(await passes(throttle, 3, 'DescribeThings', 'ak1'), 3);
        assert.equal(seen.length, 3);
        assert.equal(seen[0]?.policy, 'fail-open');
      });
    }

    it('a client that is reconnecting fails at once (nothing is sent or queued)', async () => {
      const fake = fakeIoRedis('hang');
      fake.client.status = 'reconnecting';
      const seen: unknown[] = [];
      const throttle = rateLimitThrottler({ limit: { points: 1, durationSeconds: 60 }, redis: fake.client, timeoutMs: 60_000, onError: (err) => seen.push(err) });
      assert.deepEqual(await attempt(throttle, 'A', 'ak1'), { code: 'ServiceUnavailable', status: 503, retryAfter: undefined });
      assert.equal(fake.sent(), 0);
      assert.ok(isStoreUnavailableError(seen[0]) && seen[0].reason === 'not-connected');
    });

    it('an onError that throws changes nothing', async () => {
      const throttle = rateLimitThrottler({
        limit: { points: 1, durationSeconds: 60 },
        redis: fakeIoRedis('reject').client,
        onStoreError: 'fail-open',
        onError: () => {
          throw new Error('reporter bug');
        },
      });
      assert.equal(await attempt(throttle, 'A', 'ak1'), 'pass');
    });
  });

  describe('bounded memory', () => {
    it('a full table is a store failure: fail-closed → 503, fail-open → pass; both reported as ThrottleTableFullError', async () => {
      for (const policy of ['fail-closed', 'fail-open'] as const) {
        const seen: unknown[] = [];
        const throttle = rateLimitThrottler({ limit: { points: 5, durationSeconds: 3600 }, maxKeys: 3, onStoreError: policy, onError: (err) => seen.push(err) });
        for (const ak of ['a', 'b', 'c']) assert.equal(await attempt(throttle, 'A', ak), 'pass');
        const outcome = await attempt(throttle, 'A', 'd');
        assert.deepEqual(outcome, policy === 'fail-open' ? 'pass' : { code: 'ServiceUnavailable', status: 503, retryAfter: undefined });
        assert.ok(seen[0] instanceof ThrottleTableFullError);
        // Keys already held are still counted (and still throttled) while the table is full.
        assert.equal(await passes(throttle, 10, 'A', 'a'), 4);
      }
    });

    describe('200,000 distinct callers', () => {
      const realNow = Date.now;
      let now = realNow();
      /** Keys the library was asked to count and not told to forget: an upper bound on its records. */
      const held = new Set<string>();
      let largestHeld = 0;
      const realConsume = RateLimiterMemory.prototype.consume;
      const realDelete = RateLimiterMemory.prototype.delete;
      before(() => {
        Date.now = () => now; // rate-limiter-flexible and the table read the same clock
        RateLimiterMemory.prototype.consume = function (this: RateLimiterMemory, key: string | number, ...rest: unknown[]) {
          held.add(String(key));
          largestHeld = Math.max(largestHeld, held.size);
          return realConsume.call(this, key, ...(rest as [number?, object?]));
        };
        RateLimiterMemory.prototype.delete = function (this: RateLimiterMemory, key: string | number, ...rest: unknown[]) {
          held.delete(String(key));
          return realDelete.call(this, key, ...(rest as [object?]));
        };
      });
      after(() => {
        Date.now = realNow;
        RateLimiterMemory.prototype.consume = realConsume;
        RateLimiterMemory.prototype.delete = realDelete;
      });

      it('never hold more than maxKeys keys (windows that ended are dropped first), then refuse new keys while all are live', async function () {
        this.timeout(120_000);
        const counter = new MemoryCounter(50_000);
        const limit = { id: '5/1', points: 5, durationSeconds: 1 };
        let largest = 0;
        // 10,000 new callers per (fake) second: at most 10,000 live at once.
        for (let i = 0; i < 200_000; i++) {
          if (i > 0 && i % 10_000 === 0) now += 1_001;
          const outcome = await counter.consume([{ limit, key: `A:ak:caller-${i}` }]);
          assert.equal(outcome.allowed, true);
          largest = Math.max(largest, counter.size);
        }
        assert.equal(largest, 50_000);
        assert.ok(largestHeld <= 50_000, `the library held up to ${largestHeld} keys`);
        // Now 50,000 callers inside one window: the 50,001st is refused, not counted.
        now += 1_001;
        for (let i = 0; i < 50_000; i++) await counter.consume([{ limit, key: `A:ak:burst-${i}` }]);
        await assert.rejects(counter.consume([{ limit, key: 'A:ak:one-too-many' }]), ThrottleTableFullError);
        assert.equal(counter.size, 50_000);
        assert.ok(largestHeld <= 50_000, `the library held up to ${largestHeld} keys`);
        // A caller already held is still counted.
        for (let i = 0; i < 4; i++) assert.equal((await counter.consume([{ limit, key: 'A:ak:burst-0' }])).allowed, true);
        assert.equal((await counter.consume([{ limit, key: 'A:ak:burst-0' }])).allowed, false);
      });
    });
  });
});
