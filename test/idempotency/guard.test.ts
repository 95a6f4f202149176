/**
 * clientTokenGuard, called directly (what RpcApi calls for idempotent actions with a ClientToken):
 * run once, replay, mismatch, in-flight, release on failure, validation, scoping, retention, the
 * reservation lease, and every store failure (fail closed before the handler runs; after it ran,
 * the result is answered and the problem reported).
 */
import assert from 'node:assert/strict';
import {
  ClientTokenGuardError,
  clientTokenGuard,
  errors,
  isApiError,
  isStoreUnavailableError,
  MemoryStore,
  type ClientTokenErrorInfo,
  type ClientTokenGuardOptions,
  type IdempotencyGuard,
  type IdempotentCall,
  type RpcResult,
} from '../../lib/index.js';
import { fingerprintDigest, tokenKey } from '../../lib/idempotency/token-key.js';
import { pendingEntry } from '../../lib/idempotency/token-entry.js';
import type { OpenApiState } from '../../lib/core/exchange.js';
import type { RpcRequest } from '../../lib/rpc/pipeline.js';
import { gate } from '../support/protected-service.js';
import { ScriptedStore, caller, idempotentCall, unavailable } from './support.js';

const request: RpcRequest = { method: 'POST', path: '/', querystring: '', headers: {}, state: {} as OpenApiState, clientIp: '192.0.2.1' };

/** A handler that counts its runs and returns a result naming the run. */
function counter(result: (n: number) => RpcResult = (n) => ({ data: { ThingId: `thing-${n}`, Quota: 10n ** 20n }, status: 200 })) {
  let runs = 0;
  return {
    run: async (): Promise<RpcResult> => result(++runs),
    get runs() {
      return runs;
    },
  };
}

/** The ApiError a guarded call ends with, or its result. */
async function outcome(guard: IdempotencyGuard, call: IdempotentCall, run: () => Promise<RpcResult>): Promise<RpcResult | { code: string; status: number }> {
  try {
    return await guard(request, call, run);
  } catch (err) {
    if (!isApiError(err)) throw err;
    return { code: err.code, status: err.status };
  }
}

const MISMATCH = { code: 'IdempotentParameterMismatch', status: 400 };
const PROCESSING = { code: 'LastTokenProcessing', status: 403 };
const UNAVAILABLE = { code: 'ServiceUnavailable', status: 503 };
const INVALID = { code: 'InvalidParameter', status: 400 };

describe('idempotency: clientTokenGuard', () => {
  let store: ScriptedStore;
  let reports: Array<[unknown, ClientTokenErrorInfo]>;
  let guard: IdempotencyGuard;
  const make = (options: ClientTokenGuardOptions = {}) => clientTokenGuard({ store, onError: (e, info) => reports.push([e, info]), ...options });
  beforeEach(() => {
    store = new ScriptedStore();
    reports = [];
    guard = make();
  });

  it('the first request runs; a retry with the same parameters gets the stored result without running', async () => {
    const h = counter((n) => ({ data: { ThingId: `thing-${n}`, Quota: 10n ** 20n, At: new Date(0) }, status: 202 }));
    const first = await guard(request, idempotentCall('t-1'), h.run);
    assert.deepEqual(first.data, { ThingId: 'thing-1', Quota: 10n ** 20n, At: new Date(0) });
    assert.equal(first.replayed, undefined);
    for (let i = 0; i < 3; i++) {
      const again = await guard(request, idempotentCall('t-1'), h.run);
      // `replayed` tells the RPC API (and so `onExchange`) that the stored result was answered.
      assert.deepEqual(again, { data: { ThingId: 'thing-1', Quota: 10n ** 20n, At: '1970-01-01T00:00:00Z' }, status: 202, replayed: true });
    }
    assert.equal(h.runs, 1);
    assert.deepEqual(reports, []);
  });

  it('the same token with other parameters → IdempotentParameterMismatch 400, after and during the first', async () => {
    const h = counter();
    await guard(request, idempotentCall('t-1', 'A'), h.run);
    assert.deepEqual(await outcome(guard, idempotentCall('t-1', 'B'), h.run), MISMATCH);
    const g = gate();
    const running = guard(request, idempotentCall('t-2', 'A'), async () => (await g.promise, h.run()));
    assert.deepEqual(await outcome(guard, idempotentCall('t-2', 'B'), h.run), MISMATCH);
    g.open();
    await running;
    assert.equal(h.runs, 2);
  });

  it('a retry while the first still runs → LastTokenProcessing 403; afterwards it gets the result', async () => {
    const h = counter();
    const g = gate();
    const first = guard(request, idempotentCall('t-1'), async () => (await g.promise, h.run()));
    assert.deepEqual(await outcome(guard, idempotentCall('t-1'), h.run), PROCESSING);
    g.open();
    const result = await first;
    assert.deepEqual((await guard(request, idempotentCall('t-1'), h.run)).data, result.data);
    assert.equal(h.runs, 1);
  });

  it('a first attempt that fails frees the token: the error is passed on as it was, and a retry runs again', async () => {
    const failure = new errors.InvalidParameter('Name');
    await assert.rejects(
      guard(request, idempotentCall('t-1'), async () => {
        throw failure;
      }),
      (err: unknown) => err === failure,
    );
    const crash = new RangeError('handler bug');
    await assert.rejects(
      guard(request, idempotentCall('t-1'), async () => {
        throw crash;
      }),
      (err: unknown) => err === crash,
    );
    const h = counter();
    assert.equal((await guard(request, idempotentCall('t-1'), h.run)).data.constructor, Object);
    assert.equal(h.runs, 1);
    assert.equal(store.calls.compareAndDelete, 2);
  });

  it('a malformed ClientToken → InvalidParameter "ClientToken"; nothing runs and the store is not touched', async () => {
    const h = counter();
    for (const token of ['x'.repeat(65), 'jeton-é', 'a\tb', '\u0000', '😀']) {
      const result = await guard(request, idempotentCall(token), h.run).then(
        () => assert.fail('accepted'),
        (err: unknown) => err,
      );
      assert.ok(isApiError(result));
      assert.deepEqual({ code: result.code, status: result.status }, INVALID);
      assert.equal(result.message, new errors.InvalidParameter('ClientToken').message);
    }
    assert.equal(h.runs, 0);
    assert.equal(store.calls.setIfAbsent, 0);
    assert.equal((await guard(request, idempotentCall('x'.repeat(64)), h.run)).status, 200);
  });

  it('tokens are case-sensitive and scoped by caller and Action; anonymous calls are a scope of their own', async () => {
    const h = counter();
    const calls = [
      idempotentCall('Token'),
      idempotentCall('token'),
      idempotentCall('Token', undefined, caller('ak2')),
      idempotentCall('Token', undefined, caller('ak1'), 'CreateDisk'),
      { ...idempotentCall('Token'), caller: undefined },
    ];
    for (const call of calls) await guard(request, call, h.run);
    assert.equal(h.runs, 5);
    for (const call of calls) await guard(request, call, h.run);
    assert.equal(h.runs, 5);
  });

  it('50 concurrent requests with one token: the handler runs once; every answer is its result or LastTokenProcessing', async () => {
    const h = counter();
    const g = gate();
    const outcomes = Promise.all(Array.from({ length: 50 }, () => outcome(guard, idempotentCall('t-1'), async () => (await g.promise, h.run()))));
    setImmediate(g.open);
    const all = await outcomes;
    assert.equal(h.runs, 1);
    const results = all.filter((o): o is RpcResult => 'data' in o);
    assert.ok(results.length >= 1);
    for (const r of results) assert.deepEqual(r.data, { ThingId: 'thing-1', Quota: 10n ** 20n });
    for (const o of all) if (!('data' in o)) assert.deepEqual(o, PROCESSING);
  });

  it('stores a reservation while running and the result afterwards; neither holds the token itself', async () => {
    const g = gate();
    const token = 'secret-looking-token-123';
    const running = guard(request, idempotentCall(token), async () => (await g.promise, { data: { A: 1 }, status: 200 }));
    const key = tokenKey('ct:', caller('ak1'), 'CreateThing', token);
    const pending = await store.inner.get(key);
    assert.match(String(pending), /^p1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
    g.open();
    await running;
    const done = String(await store.inner.get(key));
    assert.ok(done.startsWith('d1.') && done.endsWith('.200.{"d":{"A":1}}'), done);
    assert.ok(!pending?.includes(token) && !done.includes(token) && !key.includes(token));
  });

  describe('retention and the reservation lease (MemoryStore clock)', () => {
    let now: number;
    beforeEach(() => {
      now = 1_000_000;
      store = new ScriptedStore(new MemoryStore({ sweepIntervalMs: 0, now: () => now }));
    });

    it('a result is replayed for retentionMs, then the token is free again', async () => {
      const g2 = make({ retentionMs: 60_000 });
      const h = counter();
      await g2(request, idempotentCall('t-1'), h.run);
      now += 59_000;
      assert.deepEqual(await outcome(g2, idempotentCall('t-1', 'other parameters, still within retention'), h.run), MISMATCH);
      assert.equal(h.runs, 1);
      now += 2_000;
      await g2(request, idempotentCall('t-1', 'other parameters'), h.run);
      assert.equal(h.runs, 2);
    });

    it('a running handler keeps its reservation past leaseMs (renewed every third of it)', async () => {
      const g2 = make({ leaseMs: 300 });
      const h = counter();
      const g = gate();
      const first = g2(request, idempotentCall('t-1'), async () => (await g.promise, h.run()));
      for (let i = 0; i < 3; i++) {
        now += 250; // most of a lease: without a renewal since the last step, the reservation would expire
        const renewals = store.calls.compareAndSet;
        for (let tries = 0; store.calls.compareAndSet === renewals && tries < 200; tries++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(store.calls.compareAndSet > renewals, 'the reservation was renewed');
        assert.deepEqual(await outcome(g2, idempotentCall('t-1'), h.run), PROCESSING);
      }
      g.open();
      await first;
      assert.equal(h.runs, 1);
    });

    it('a reservation nobody renews (its instance died) frees the token after leaseMs', async () => {
      const g2 = make({ leaseMs: 30_000 });
      const h = counter();
      // What a crashed instance leaves behind: a reservation for the same parameters.
      await store.inner.setIfAbsent(tokenKey('ct:', caller('ak1'), 'CreateThing', 't-1'), pendingEntry(fingerprintDigest('[["Name","a"]]'), 'dead-1'), 30_000);
      assert.deepEqual(await outcome(g2, idempotentCall('t-1'), h.run), PROCESSING);
      now += 30_001;
      assert.equal((await g2(request, idempotentCall('t-1'), h.run)).status, 200);
      assert.equal(h.runs, 1);
    });
  });

  describe('store failures', () => {
    it('the store cannot reserve → ServiceUnavailable 503 (fail closed), the handler does not run; reported', async () => {
      store.override.setIfAbsent = () => unavailable('setIfAbsent');
      const h = counter();
      assert.deepEqual(await outcome(guard, idempotentCall('t-1'), h.run), UNAVAILABLE);
      assert.equal(h.runs, 0);
      assert.equal(reports[0]?.[1].phase, 'reserve');
      assert.ok(isStoreUnavailableError(reports[0]?.[0]));
    });

    it('a reservation that timed out but was written after all is taken back (no orphan blocks the retry)', async () => {
      // As with a paused Redis: the SET runs, but its answer comes too late.
      store.override.setIfAbsent = async (key, value, ttl) => {
        await store.inner.setIfAbsent(key, value, ttl);
        return unavailable('setIfAbsent');
      };
      const h = counter();
      assert.deepEqual(await outcome(guard, idempotentCall('t-1'), h.run), UNAVAILABLE);
      await new Promise((r) => setImmediate(r));
      assert.equal(await store.inner.get(tokenKey('ct:', caller('ak1'), 'CreateThing', 't-1')), undefined);
      delete store.override.setIfAbsent;
      assert.equal((await guard(request, idempotentCall('t-1'), h.run)).status, 200);
      assert.equal(h.runs, 1);
    });

    it('the store cannot read a token in use → ServiceUnavailable 503; reported', async () => {
      const h = counter();
      await guard(request, idempotentCall('t-1'), h.run);
      store.override.get = () => unavailable('get');
      assert.deepEqual(await outcome(guard, idempotentCall('t-1'), h.run), UNAVAILABLE);
      assert.equal(reports[0]?.[1].phase, 'read');
      assert.equal(h.runs, 1);
    });

    it('the result cannot be stored after the handler ran → the result is still answered; reported (store-result)', async () => {
      store.override.compareAndSet = () => unavailable('compareAndSet');
      const h = counter();
      const result = await guard(request, idempotentCall('t-1'), h.run);
      assert.equal((result.data as { ThingId: string }).ThingId, 'thing-1');
      assert.deepEqual(
        reports.map(([e, info]) => [isStoreUnavailableError(e), info.phase, info.action]),
        [[true, 'store-result', 'CreateThing']],
      );
      // The reservation stays until its lease ends: a retry meanwhile is LastTokenProcessing, not a second run.
      delete store.override.compareAndSet;
      assert.deepEqual(await outcome(guard, idempotentCall('t-1'), h.run), PROCESSING);
      assert.equal(h.runs, 1);
    });

    it('the token cannot be freed after a failure → the failure is still answered; reported (release)', async () => {
      store.override.compareAndDelete = () => unavailable('compareAndDelete');
      const failure = new errors.InvalidParameter('Name');
      await assert.rejects(guard(request, idempotentCall('t-1'), () => Promise.reject(failure)), (err: unknown) => err === failure);
      assert.equal(reports[0]?.[1].phase, 'release');
    });

    it('an entry this guard did not write (shared prefix, damaged) → ServiceUnavailable, never a replay of it', async () => {
      const key = tokenKey('ct:', caller('ak1'), 'CreateThing', 't-1');
      const h = counter();
      const digest = fingerprintDigest('[["Name","a"]]');
      for (const foreign of ['1', `d1.${digest}.200.not json`, 'd1.abc.200.{"d":{}}', 'p1.x', `d1.${digest}.999.{"d":{}}`, `d1.${digest}.200.{"d":[]}`]) {
        await store.inner.set(key, foreign, 60_000);
        const result = await outcome(guard, idempotentCall('t-1'), h.run);
        if (foreign === 'd1.abc.200.{"d":{}}') assert.deepEqual(result, MISMATCH, foreign); // ours in form; other parameters
        else assert.deepEqual(result, UNAVAILABLE, foreign);
      }
      assert.equal(h.runs, 0);
      assert.ok(reports.every(([e, info]) => e instanceof ClientTokenGuardError && e.problem === 'foreign-entry' && info.phase === 'read'));
    });

    it('a result larger than maxResultBytes is answered, not stored; reported', async () => {
      const g2 = make({ maxResultBytes: 1024 });
      const result = await g2(request, idempotentCall('t-1'), async () => ({ data: { Blob: 'x'.repeat(2000) }, status: 200 }));
      assert.equal((result.data as { Blob: string }).Blob.length, 2000);
      const [error, info] = reports[0] as [unknown, ClientTokenErrorInfo];
      assert.ok(error instanceof ClientTokenGuardError && error.problem === 'result-too-large');
      assert.equal(info.phase, 'store-result');
    });

    it('a result the renderers cannot render is answered as it is (the envelope reports it), not stored', async () => {
      const result = await guard(request, idempotentCall('t-1'), async () => ({ data: { At: new Date(Number.NaN) }, status: 200 }));
      assert.ok(Number.isNaN((result.data as { At: Date }).At.getTime()));
      assert.ok(reports[0]?.[0] instanceof ClientTokenGuardError && (reports[0][0] as ClientTokenGuardError).problem === 'result-not-storable');
    });

    it('the reservation was lost before the result was stored (evicted) → answered; reported reservation-lost', async () => {
      const h = counter();
      const result = await guard(request, idempotentCall('t-1'), async () => {
        await store.inner.delete(tokenKey('ct:', caller('ak1'), 'CreateThing', 't-1'));
        return h.run();
      });
      assert.equal((result.data as { ThingId: string }).ThingId, 'thing-1');
      assert.ok(reports[0]?.[0] instanceof ClientTokenGuardError && (reports[0][0] as ClientTokenGuardError).problem === 'reservation-lost');
    });

    it('an onError that throws changes nothing', async () => {
      store.override.setIfAbsent = () => unavailable('setIfAbsent');
      const g2 = clientTokenGuard({
        store,
        onError: () => {
          throw new Error('reporter bug');
        },
      });
      assert.deepEqual(await outcome(g2, idempotentCall('t-1'), counter().run), UNAVAILABLE);
    });

    it('a store bug (not StoreUnavailableError) is not disguised as 503: it propagates', async () => {
      store.override.setIfAbsent = () => Promise.reject(new TypeError('bug'));
      await assert.rejects(guard(request, idempotentCall('t-1'), counter().run), TypeError);
    });
  });

  it('options are checked at start-up', () => {
    for (const options of [{ retentionMs: 0 }, { leaseMs: 1.5 }, { maxResultBytes: -1 }, { keyPrefix: 1 as unknown as string }]) {
      assert.throws(() => clientTokenGuard(options), /clientTokenGuard/);
    }
  });

  it('defaults to a private MemoryStore', async () => {
    const g2 = clientTokenGuard();
    const h = counter();
    await g2(request, idempotentCall('t-1'), h.run);
    await g2(request, idempotentCall('t-1'), h.run);
    assert.equal(h.runs, 1);
  });
});
