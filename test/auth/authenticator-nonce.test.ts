/**
 * Nonce replay protection over HTTP: once per (AccessKeyId, nonce), atomic under concurrency, released
 * when the request ends in a 5xx, fail-closed when the store is down.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { signatureAuthenticator, onResponseSettled, NonceGuard, staticCredentials } from '../../lib/index.js';
import { MemoryStore, StoreUnavailableError, type Store } from '../../lib/stores/index.js';
import { KEYS, assertError, assertOk, authService, commonV1, sendV1, sendV3, signedV1, signedV3, type Pairs } from './auth-service.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');

/** A Store that records calls and can be told to fail. */
class ScriptedStore implements Store {
  readonly inner = new MemoryStore({ sweepIntervalMs: 0, now: () => NOW });
  readonly calls: Array<{ op: string; key: string; ttlMs?: number }> = [];
  failSetIfAbsent: Error | undefined;
  failCompareAndDelete: Error | undefined;
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.calls.push({ op: 'setIfAbsent', key, ttlMs });
    if (this.failSetIfAbsent) throw this.failSetIfAbsent;
    return this.inner.setIfAbsent(key, value, ttlMs);
  }
  get(key: string) {
    return this.inner.get(key);
  }
  set(key: string, value: string, ttlMs: number) {
    return this.inner.set(key, value, ttlMs);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  compareAndSet(key: string, expected: string, value: string, ttlMs: number) {
    return this.inner.compareAndSet(key, expected, value, ttlMs);
  }
  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    this.calls.push({ op: 'compareAndDelete', key });
    if (this.failCompareAndDelete) throw this.failCompareAndDelete;
    return this.inner.compareAndDelete(key, expected);
  }
}

function signed(action: string, accessKeyId = 'mock-ak', secret = 'mock-secret-Zq7', extra: Pairs = []): Pairs {
  return signedV1(commonV1(action, accessKeyId, NOW, extra), secret);
}

function withNonce(pairs: Pairs, nonce: string): Pairs {
  return pairs.map(([n, v]) => [n, n === 'SignatureNonce' ? nonce : v] as const);
}

describe('auth/authenticator nonces', () => {
  it('20 concurrent copies of one signed request: exactly one is served', async () => {
    const service = authService(NOW);
    const pairs = signed('DescribeRegions');
    const responses = await Promise.all(Array.from({ length: 20 }, () => sendV1(service, pairs)));
    const codes = responses.map((r) => (r.status === 200 ? 'OK' : (JSON.parse(r.text) as { Code: string }).Code)).sort();
    assert.deepEqual(codes, ['OK', ...Array<string>(19).fill('SignatureNonceUsed')]);
    assert.equal(service.runs.get('DescribeRegions'), 1);
  });

  it('nonces are scoped per AccessKeyId, across V1 and V3', async () => {
    const service = authService(NOW);
    const a = signedV1(withNonce(commonV1('DescribeRegions', 'mock-ak', NOW), 'shared-nonce'), 'mock-secret-Zq7');
    const b = signedV1(withNonce(commonV1('DescribeRegions', 'testid', NOW), 'shared-nonce'), 'testsecret');
    assertOk(await sendV1(service, a), 'mock-ak');
    assertOk(await sendV1(service, b), 'testid');
    const v3 = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW, nonce: 'shared-nonce' });
    assertError(await sendV3(service, v3), 400, 'SignatureNonceUsed');
  });

  it('store keys are fixed-length hashes (not the nonce), written with the 31-minute TTL', async () => {
    const store = new ScriptedStore();
    const service = authService(NOW, { nonceStore: store });
    const longNonce = 'n'.repeat(5000);
    assertOk(await sendV1(service, signedV1(withNonce(commonV1('DescribeRegions', 'mock-ak', NOW), longNonce), 'mock-secret-Zq7')), 'mock-ak');
    assert.equal(store.calls.length, 1);
    const call = store.calls[0] as { key: string; ttlMs: number };
    assert.match(call.key, /^nonce:\{ak:mock-ak\}[A-Za-z0-9_-]{43}$/); // the caller's hash tag, then the digest
    assert.equal(call.ttlMs, 31 * 60_000);
    const guard = new NonceGuard({ store, ttlMs: 1000 });
    assert.equal(guard.keyOf('mock-ak', longNonce), call.key);
    // No separator ambiguity: ("ab", "c") and ("a", "bc") differ.
    assert.notEqual(guard.keyOf('ab', 'c'), guard.keyOf('a', 'bc'));
    const prefixed = authService(NOW, { nonceStore: store, nonceKeyPrefix: 'svc1:n:' });
    assertOk(await sendV1(prefixed, signed('DescribeRegions')), 'mock-ak');
    assert.match(store.calls.at(-1)?.key ?? '', /^svc1:n:\{ak:mock-ak\}[A-Za-z0-9_-]{43}$/);
  });

  it('a failed check never records the nonce: the corrected request with the same nonce is served', async () => {
    const service = authService(NOW);
    const pairs = commonV1('DescribeRegions', 'mock-ak', NOW);
    assertError(await sendV1(service, signedV1(pairs, 'wrong-secret')), 400, 'SignatureDoesNotMatch');
    assertOk(await sendV1(service, signedV1(pairs, 'mock-secret-Zq7')), 'mock-ak');
  });

  describe('5xx: the nonce is released (releaseNonceOnServerError, default true)', () => {
    it('a handler bug (500) and ServiceUnavailable (503): the same request can be retried and runs again', async () => {
      const service = authService(NOW);
      const boom = signed('Boom');
      assertError(await sendV1(service, boom), 500, 'InternalError');
      assertError(await sendV1(service, boom), 500, 'InternalError');
      assert.equal(service.runs.get('Boom'), 2);
      const unavailable = signed('Unavailable');
      assertError(await sendV1(service, unavailable), 503, 'ServiceUnavailable');
      assertError(await sendV1(service, unavailable), 503, 'ServiceUnavailable');
      assert.equal(service.runs.get('Unavailable'), 2);
    });

    it('a 4xx or a success keeps the nonce', async () => {
      const service = authService(NOW);
      const refuse = signed('Refuse');
      assertError(await sendV1(service, refuse), 400, 'InvalidParameter');
      assertError(await sendV1(service, refuse), 400, 'SignatureNonceUsed');
      const ok = signed('DescribeRegions');
      assertOk(await sendV1(service, ok), 'mock-ak');
      assertError(await sendV1(service, ok), 400, 'SignatureNonceUsed');
      assert.equal(service.runs.get('Refuse'), 1);
    });

    it('releaseNonceOnServerError: false keeps the nonce of a 5xx', async () => {
      const service = authService(NOW, { releaseNonceOnServerError: false });
      const boom = signed('Boom');
      assertError(await sendV1(service, boom), 500, 'InternalError');
      assertError(await sendV1(service, boom), 400, 'SignatureNonceUsed');
      assert.equal(service.runs.get('Boom'), 1);
    });

    it('a release only removes its own claim, and a failing release is harmless', async () => {
      const store = new ScriptedStore();
      const service = authService(NOW, { nonceStore: store });
      const boom = signed('Boom');
      store.failCompareAndDelete = new StoreUnavailableError({ operation: 'compareAndDelete', reason: 'timeout' });
      assertError(await sendV1(service, boom), 500, 'InternalError');
      assertError(await sendV1(service, boom), 400, 'SignatureNonceUsed'); // not released: still safe
      assert.equal(service.reported.length, 1); // only the handler bug; the failed release is not an error
      const guard = new NonceGuard({ store: store.inner, ttlMs: 60_000 });
      const first = await guard.claim('ak', 'n');
      await store.inner.delete(guard.keyOf('ak', 'n'));
      await guard.claim('ak', 'n'); // someone else's claim now
      await first.release();
      await assert.rejects(guard.claim('ak', 'n'), { code: 'SignatureNonceUsed' });
    });

    it('onResponseSettled reports the final status once, or undefined when the connection closed first', () => {
      const fake = (finished: boolean): ServerResponse => Object.assign(new EventEmitter(), { writableFinished: finished, statusCode: 503 }) as unknown as ServerResponse;
      const done = fake(true);
      const seen: Array<number | undefined> = [];
      onResponseSettled(done)((s) => seen.push(s));
      done.emit('finish');
      done.emit('close');
      const aborted = fake(false);
      onResponseSettled(aborted)((s) => seen.push(s));
      aborted.emit('close');
      assert.deepEqual(seen, [503, undefined]);
      assert.equal(done.listenerCount('close'), 0);
    });
  });

  describe('store failures fail closed', () => {
    it('setIfAbsent unavailable → ServiceUnavailable 503, the handler does not run', async () => {
      const store = new ScriptedStore();
      store.failSetIfAbsent = new StoreUnavailableError({ operation: 'setIfAbsent', reason: 'not-connected' });
      const service = authService(NOW, { nonceStore: store });
      assertError(await sendV1(service, signed('DescribeRegions')), 503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
      assert.equal(service.runs.size, 0);
      assert.equal(service.reported.length, 0);
    });

    it('any other store failure is a server bug: InternalError 500, reported', async () => {
      const store = new ScriptedStore();
      store.failSetIfAbsent = new TypeError('broken store');
      const service = authService(NOW, { nonceStore: store });
      assertError(await sendV1(service, signed('DescribeRegions')), 500, 'InternalError');
      assert.equal(service.runs.size, 0);
      assert.deepEqual(service.reported.map((e) => e.message), ['broken store']);
    });
  });

  describe('defaults and options', () => {
    it('without nonceStore a private bounded MemoryStore is used: replays are caught', async () => {
      const service = authService(NOW, { nonceStore: undefined });
      const pairs = signed('DescribeRegions');
      assertOk(await sendV1(service, pairs), 'mock-ak');
      assertError(await sendV1(service, pairs), 400, 'SignatureNonceUsed');
      // Two authenticators do not share the default store.
      const other = authService(NOW, { nonceStore: undefined });
      assertOk(await sendV1(other, pairs), 'mock-ak');
    });

    it('nonceTtlMs must cover twice the timestamp window', () => {
      const credentials = staticCredentials(KEYS);
      assert.throws(() => signatureAuthenticator({ credentials, nonceTtlMs: 29 * 60_000 }), /nonceTtlMs must be a safe integer >= 2 × timestampWindowMs/);
      assert.throws(() => signatureAuthenticator({ credentials, timestampWindowMs: 60 * 60_000, nonceTtlMs: 31 * 60_000 }), RangeError);
      signatureAuthenticator({ credentials, timestampWindowMs: 60 * 60_000 }); // default TTL follows the window
      signatureAuthenticator({ credentials, nonceTtlMs: 30 * 60_000 });
      assert.throws(() => signatureAuthenticator({ credentials, timestampWindowMs: -1 }), RangeError);
      assert.throws(() => new NonceGuard({ store: new MemoryStore(), ttlMs: 0 }), RangeError);
    });

    it('with a longer window the default TTL grows with it (2 × window + 1 min)', async () => {
      const store = new ScriptedStore();
      const service = authService(NOW, { nonceStore: store, timestampWindowMs: 60 * 60_000 });
      assertOk(await sendV1(service, signed('DescribeRegions')), 'mock-ak');
      assert.equal(store.calls[0]?.ttlMs, 121 * 60_000);
    });
  });
});
