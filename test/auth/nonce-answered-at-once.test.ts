/**
 * With a MemoryStore the nonce is recorded at once: NonceGuard.claimThen and signatureAuthenticator
 * return their value itself, not a promise (a signed request then waits for no promise turn), while
 * every refusal is still a rejected promise and any other store still answers with a promise.
 */
import assert from 'node:assert/strict';
import { NonceGuard, signatureAuthenticator, staticCredentials } from '../../lib/index.js';
import { MemoryStore } from '../../lib/stores/index.js';
import type { ActionInfo, Caller, RpcRequest } from '../../lib/rpc/pipeline.js';
import { KEYS, commonV1, signedV1 } from './auth-service.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const ACTION: ActionInfo = { name: 'DescribeRegions', version: '2014-05-26', known: true };

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A V1 GET as koaRpc hands it to the authenticator. */
function v1Request(nonce?: string): RpcRequest {
  const pairs = signedV1(
    commonV1('DescribeRegions', 'mock-ak', NOW).map(([n, v]) => [n, n === 'SignatureNonce' && nonce !== undefined ? nonce : v] as const),
    KEYS['mock-ak']?.secret as string,
  );
  const all = Object.create(null) as Record<string, string>;
  for (const [name, value] of pairs) all[name] = value;
  return {
    method: 'GET',
    path: '/',
    querystring: '',
    headers: { host: 'ecs.example.com' },
    state: { requestId: 'R', format: 'JSON', params: { query: all, body: Object.create(null), all }, rawBody: undefined },
    clientIp: '127.0.0.1',
  };
}

/** A MemoryStore that counts its setIfAbsent calls. */
class CountingStore extends MemoryStore {
  calls = 0;
  override setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.calls += 1;
    return super.setIfAbsent(key, value, ttlMs);
  }
}

describe('auth/nonces answered at once (MemoryStore)', () => {
  it('claimThen returns what onClaimed returns; a replay and a throwing onClaimed are rejected promises', async () => {
    const guard = new NonceGuard({ store: new MemoryStore({ sweepIntervalMs: 0 }), ttlMs: 60_000 });
    const first = guard.claimThen('ak', 'n1', undefined, () => 'served');
    assert.equal(first, 'served');
    const replay = guard.claimThen('ak', 'n1', undefined, () => 'served again');
    assert.equal(isThenable(replay), true);
    await assert.rejects(Promise.resolve(replay), { code: 'SignatureNonceUsed' });
    const failing = guard.claimThen('ak', 'n2', undefined, () => {
      throw new Error('onClaimed failed');
    });
    await assert.rejects(Promise.resolve(failing), /onClaimed failed/);
    // the nonce was recorded before onClaimed ran: it stays used
    await assert.rejects(guard.claim('ak', 'n2'), { code: 'SignatureNonceUsed' });
  });

  it('a store argument error is a rejected promise, never a synchronous throw', async () => {
    const guard = new NonceGuard({ store: new MemoryStore({ sweepIntervalMs: 0 }), ttlMs: 60_000 });
    let answer: unknown;
    assert.doesNotThrow(() => {
      answer = guard.claimThen('\uD800', 'n', undefined, () => 'served'); // a lone surrogate in the key's hash tag
    });
    await assert.rejects(Promise.resolve(answer), TypeError);
  });

  it('claim() still returns a promise; release() forgets the nonce', async () => {
    const guard = new NonceGuard({ store: new MemoryStore({ sweepIntervalMs: 0 }), ttlMs: 60_000 });
    const pending = guard.claim('ak', 'n');
    assert.equal(isThenable(pending), true);
    await (await pending).release();
    await guard.claim('ak', 'n');
  });

  it('a subclass that overrides setIfAbsent is called through it, with a promise', async () => {
    const store = new CountingStore({ sweepIntervalMs: 0 });
    const guard = new NonceGuard({ store, ttlMs: 60_000 });
    const answer = guard.claimThen('ak', 'n', undefined, () => 'served');
    assert.equal(isThenable(answer), true);
    assert.equal(await answer, 'served');
    assert.equal(store.calls, 1);
    await assert.rejects(guard.claim('ak', 'n'), { code: 'SignatureNonceUsed' });
    assert.equal(store.calls, 2);
  });

  it('signatureAuthenticator returns the caller itself with its default store, a promise with another', async () => {
    const credentials = staticCredentials(KEYS);
    const inMemory = signatureAuthenticator({ credentials, clock: () => NOW });
    const request = v1Request();
    const caller = inMemory(request, ACTION);
    assert.equal(isThenable(caller), false);
    assert.equal((caller as Caller).accessKeyId, 'mock-ak');
    assert.equal((caller as Caller).signatureVersion, 'V1');
    const replay = inMemory(request, ACTION);
    assert.equal(isThenable(replay), true);
    await assert.rejects(Promise.resolve(replay), { code: 'SignatureNonceUsed' });

    const counted = signatureAuthenticator({ credentials, clock: () => NOW, nonceStore: new CountingStore({ sweepIntervalMs: 0 }) });
    const later = counted(v1Request(), ACTION);
    assert.equal(isThenable(later), true);
    assert.equal((await later).accessKeyId, 'mock-ak');
  });

  it('a refused signature is a rejected promise and records no nonce', async () => {
    const authenticate = signatureAuthenticator({ credentials: staticCredentials(KEYS), clock: () => NOW });
    const request = v1Request('fixed-nonce');
    const tampered: RpcRequest = { ...request, method: 'POST' };
    let answer: unknown;
    assert.doesNotThrow(() => {
      answer = authenticate(tampered, ACTION);
    });
    await assert.rejects(Promise.resolve(answer), { code: 'SignatureDoesNotMatch' });
    assert.equal((authenticate(request, ACTION) as Caller).accessKeyId, 'mock-ak');
  });
});
