/**
 * ClientToken idempotency over HTTP (Koa + envelope() + koaRpc): what a client observes. Replays
 * carry the same data (byte for byte, in either format) under a new RequestId; signing fields and
 * Format are not compared; mismatches, in-flight retries, failures, malformed tokens and store
 * failures each give their envelope.
 */
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { clientTokenGuard, errors, MemoryStore } from '../../lib/index.js';
import { JSON_TYPE, XML_TYPE, readError } from '../support/http.js';
import { gate, get, post, protectedService, type ProtectedService } from '../support/protected-service.js';
import { ScriptedStore, unavailable } from './support.js';

const AK = { AccessKeyId: 'ak1' };
const TOKEN = '0c593ea1-3bea-11e9-b96b-88e9fe637760';

/** The body with its RequestId blanked (the only part a replay changes). */
function withoutRequestId(res: Response): string {
  return res.text.replace(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/, 'REQUEST-ID');
}

function guarded(): { svc: ProtectedService; store: ScriptedStore; reports: unknown[] } {
  const store = new ScriptedStore(new MemoryStore({ sweepIntervalMs: 0 }));
  const reports: unknown[] = [];
  const svc = protectedService({ idempotency: clientTokenGuard({ store, onError: (e) => reports.push(e) }) });
  return { svc, store, reports };
}

describe('idempotency over HTTP (Koa + koaRpc)', () => {
  for (const format of ['JSON', 'XML'] as const) {
    it(`a retry gets the same response (${format}) with a new RequestId; the handler ran once`, async () => {
      const { svc } = guarded();
      const pairs = { ...AK, ClientToken: TOKEN, Name: 'web', Size: '20' };
      const first = await get(svc, 'CreateThing', pairs, format);
      assert.equal(first.status, 200);
      assert.equal(first.headers['content-type'], format === 'JSON' ? JSON_TYPE : XML_TYPE);
      const again = await get(svc, 'CreateThing', pairs, format);
      const third = await post(svc, 'CreateThing', pairs, format); // POST form body: the same parameters
      assert.equal(svc.runs.get('CreateThing'), 1);
      for (const retry of [again, third]) {
        assert.equal(retry.status, 200);
        assert.equal(withoutRequestId(retry), withoutRequestId(first));
        assert.notEqual(retry.headers['x-acs-request-id'], first.headers['x-acs-request-id']);
      }
      if (format === 'JSON') {
        assert.match(first.text, /"Quota":9007199254740993,"CreatedAt":"2024-01-02T03:04:05Z"/);
        assert.doesNotMatch(first.text, /Nothing/);
      }
    });
  }

  it('a retry in the other Format renders what that Format would have rendered first', async () => {
    const pairs = { ...AK, ClientToken: TOKEN, Name: 'web', Size: '20' };
    const direct = guarded().svc;
    const xmlFirst = await get(direct, 'CreateThing', pairs, 'XML');
    const crossed = guarded().svc;
    await get(crossed, 'CreateThing', pairs, 'JSON');
    const xmlRetry = await get(crossed, 'CreateThing', pairs, 'XML');
    assert.equal(crossed.runs.get('CreateThing'), 1);
    assert.equal(withoutRequestId(xmlRetry), withoutRequestId(xmlFirst));
  });

  it('signing fields (Signature*, Timestamp) and Format are not compared; business parameters are', async () => {
    const { svc } = guarded();
    const base = { ...AK, ClientToken: TOKEN, Name: 'web' };
    await get(svc, 'CreateThing', { ...base, SignatureNonce: 'n1', Timestamp: '2024-01-01T00:00:00Z', Signature: 'a', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0' });
    const replay = await get(svc, 'CreateThing', { ...base, SignatureNonce: 'n2', Timestamp: '2024-01-01T00:00:09Z', Signature: 'b' }, 'XML');
    assert.equal(replay.status, 200);
    assert.equal(svc.runs.get('CreateThing'), 1);
    for (const changed of [{ Name: 'db' }, { Size: '21' }, { Extra: 'x' }] as Array<Record<string, string>>) {
      const view = readError(await get(svc, 'CreateThing', { ...base, ...changed }));
      assert.equal(view.status, 400);
      assert.equal(view.Code, 'IdempotentParameterMismatch');
    }
    // Leaving a parameter out is a difference too.
    assert.equal(readError(await get(svc, 'CreateThing', { ...AK, ClientToken: TOKEN })).Code, 'IdempotentParameterMismatch');
    assert.equal(svc.runs.get('CreateThing'), 1);
  });

  for (const format of ['JSON', 'XML'] as const) {
    it(`a retry while the first still runs → LastTokenProcessing 403 (${format}); then the result`, async () => {
      const { svc } = guarded();
      const g = gate();
      svc.behaviour.create = async (params, run) => (await g.promise, { ThingId: `thing-${run}`, Name: params.Name });
      const pairs = { ...AK, ClientToken: TOKEN, Name: 'web' };
      const first = get(svc, 'CreateThing', pairs, format).then((r) => r);
      // Wait (bounded) until the first request holds the token.
      let view;
      for (let i = 0; i < 100; i++) {
        view = readError(await get(svc, 'CreateThing', pairs, format));
        if (view.Code === 'LastTokenProcessing') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(view?.Code, 'LastTokenProcessing');
      assert.equal(view?.status, 403);
      g.open();
      const done = await first;
      assert.equal(done.status, 200);
      const replay = await get(svc, 'CreateThing', pairs, format);
      assert.equal(withoutRequestId(replay), withoutRequestId(done));
      assert.equal(svc.runs.get('CreateThing'), 1);
    });
  }

  it('a first attempt that failed (ApiError or bug) frees the token: the retry runs and succeeds', async () => {
    const { svc } = guarded();
    const pairs = { ...AK, ClientToken: TOKEN, Name: 'web' };
    svc.behaviour.create = () => {
      throw new errors.ServiceUnavailable();
    };
    assert.equal(readError(await get(svc, 'CreateThing', pairs)).Code, 'ServiceUnavailable');
    svc.behaviour.create = () => {
      throw new Error('handler bug');
    };
    assert.equal(readError(await get(svc, 'CreateThing', pairs)).Code, 'InternalError');
    svc.behaviour.create = (params, run) => ({ ThingId: `thing-${run}`, Name: params.Name });
    const ok = await get(svc, 'CreateThing', pairs);
    assert.equal(JSON.parse(ok.text).ThingId, 'thing-3');
    assert.equal(JSON.parse((await get(svc, 'CreateThing', pairs)).text).ThingId, 'thing-3');
    assert.equal(svc.runs.get('CreateThing'), 3);
  });

  it('a parameter error is answered before the token is reserved (the token stays free)', async () => {
    const { svc, store } = guarded();
    assert.equal(readError(await get(svc, 'CreateThing', { ...AK, ClientToken: TOKEN, Size: '0' })).Code, 'InvalidParameter');
    assert.equal(store.calls.setIfAbsent, 0);
    assert.equal((await get(svc, 'CreateThing', { ...AK, ClientToken: TOKEN, Size: '1' })).status, 200);
  });

  it('a malformed ClientToken → InvalidParameter "ClientToken" (65 characters, non-ASCII, control, repeated)', async () => {
    const { svc, store } = guarded();
    const bad = ['x'.repeat(65), 'jeton-é', 'a\u0001b', '令牌'];
    for (const token of bad) {
      const view = readError(await get(svc, 'CreateThing', { ...AK, ClientToken: token }));
      assert.equal(view.Code, 'InvalidParameter', token);
      assert.equal(view.Message, 'The specified parameter "ClientToken" is not valid.');
    }
    const repeated = await post(svc, 'CreateThing', AK).send('ClientToken=a&ClientToken=b');
    assert.equal(readError(repeated).Code, 'InvalidParameter');
    assert.match(readError(repeated).Message, /"ClientToken"/);
    assert.equal(svc.runs.get('CreateThing'), undefined);
    assert.equal(store.calls.setIfAbsent, 0);
    // 64 printable characters are fine.
    assert.equal((await get(svc, 'CreateThing', { ...AK, ClientToken: `${'~'.repeat(63)} ` })).status, 200);
  });

  it('no ClientToken, or an empty one: no idempotency (runs every time)', async () => {
    const { svc } = guarded();
    await get(svc, 'CreateThing', AK);
    await get(svc, 'CreateThing', AK);
    await get(svc, 'CreateThing', { ...AK, ClientToken: '' });
    assert.equal(svc.runs.get('CreateThing'), 3);
  });

  it('an action that is not idempotent ignores ClientToken', async () => {
    const { svc, store } = guarded();
    await get(svc, 'DescribeThings', { ...AK, ClientToken: TOKEN });
    await get(svc, 'DescribeThings', { ...AK, ClientToken: TOKEN });
    assert.equal(svc.runs.get('DescribeThings'), 2);
    assert.equal(store.calls.setIfAbsent, 0);
  });

  it('the same token from another caller is another token; tokens are case-sensitive', async () => {
    const { svc } = guarded();
    await get(svc, 'CreateThing', { ...AK, ClientToken: 'Token', Name: 'a' });
    await get(svc, 'CreateThing', { AccessKeyId: 'ak2', ClientToken: 'Token', Name: 'b' });
    await get(svc, 'CreateThing', { ...AK, ClientToken: 'token', Name: 'c' });
    assert.equal(svc.runs.get('CreateThing'), 3);
  });

  for (const format of ['JSON', 'XML'] as const) {
    it(`the store cannot answer → ServiceUnavailable 503 (${format}), the handler does not run, nothing wrong is answered`, async () => {
      const { svc, store, reports } = guarded();
      const pairs = { ...AK, ClientToken: TOKEN, Name: 'web' };
      store.override.setIfAbsent = () => unavailable('setIfAbsent');
      const res = await get(svc, 'CreateThing', pairs, format);
      const view = readError(res);
      assert.equal(view.status, 503);
      assert.equal(view.Code, 'ServiceUnavailable');
      assert.equal(svc.runs.get('CreateThing'), undefined);
      assert.equal(reports.length, 1);
      delete store.override.setIfAbsent;
      assert.equal((await get(svc, 'CreateThing', pairs, format)).status, 200);
    });
  }
});
