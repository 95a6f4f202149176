/**
 * `authenticate()` as plain Koa middleware (no RPC API): sets ctx.state.caller, renders failures through
 * envelope(), honours `anonymous`, releases the nonce of a 5xx.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import request from 'supertest';
import { MemoryStore } from '../../lib/stores/index.js';
import { authenticate, envelope, errors, staticCredentials, type AuthenticateOptions, type Authenticator, type Caller } from '../../lib/index.js';
import { KEYS, assertError, commonV1, isoSeconds, signedV1, signedV3, wire, type V3Request } from './auth-service.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');

function app(options: Partial<AuthenticateOptions> | Authenticator = {}, mountEnvelope = true): { app: Koa; seen: Array<Caller | undefined>; runs: { n: number } } {
  const seen: Array<Caller | undefined> = [];
  const runs = { n: 0 };
  const koa = new Koa();
  koa.silent = true;
  if (mountEnvelope) koa.use(envelope());
  const auth =
    typeof options === 'function'
      ? authenticate(options)
      : authenticate({
          credentials: staticCredentials(KEYS),
          clock: () => NOW,
          nonceStore: new MemoryStore({ sweepIntervalMs: 0, now: () => NOW }),
          anonymous: (ctx) => ctx.path === '/health',
          ...options,
        });
  koa.use(auth);
  koa.use((ctx) => {
    runs.n += 1;
    seen.push(ctx.state.caller);
    if (ctx.query.fail === '1') throw new Error('downstream bug');
    if (ctx.query.fail === '4') throw new errors.InvalidParameter('x');
    ctx.state.action = 'WhoAmI';
    ctx.body = { AccessKeyId: ctx.state.caller?.accessKeyId ?? '-' };
  });
  return { app: koa, seen, runs };
}

function send(koa: Koa, req: V3Request, path = '/'): request.Test {
  let test = request(koa.callback()).post(path + (req.query.length ? '?' + wire(req.query) : ''));
  for (const [n, v] of Object.entries(req.headers)) test = test.set(n, v);
  return req.body.length ? test.send(req.body.toString()) : test;
}

describe('auth/authenticate() Koa middleware', () => {
  it('V1 and V3 requests reach the next middleware with ctx.state.caller', async () => {
    const { app: koa, seen } = app();
    const v1 = await request(koa.callback()).get('/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW), 'mock-secret-Zq7')));
    assert.equal(v1.status, 200, v1.text);
    assert.equal(JSON.parse(v1.text).AccessKeyId, 'mock-ak');
    const v3 = await send(koa, signedV3({ action: 'WhoAmI', accessKeyId: 'testid', secret: 'testsecret', now: NOW, body: 'A=1' }));
    assert.equal(v3.status, 200, v3.text);
    assert.deepEqual(seen, [
      { accessKeyId: 'mock-ak', signatureVersion: 'V1', principal: { account: '1234' } },
      { accessKeyId: 'testid', signatureVersion: 'V3' },
    ]);
  });

  it('failures are rendered by envelope() and stop the chain', async () => {
    const { app: koa, runs } = app();
    assertError(await request(koa.callback()).get('/?Format=JSON'), 400, 'MissingParameter', /"AccessKeyId"/);
    const old = commonV1('WhoAmI', 'mock-ak', NOW).map(([n, v]) => [n, n === 'Timestamp' ? isoSeconds(NOW - 20 * 60_000) : v] as const);
    assertError(await request(koa.callback()).get('/?' + wire(signedV1(old, 'mock-secret-Zq7'))), 400, 'IllegalTimestamp');
    assertError(await request(koa.callback()).get('/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW), 'nope'))), 400, 'SignatureDoesNotMatch');
    assert.equal(runs.n, 0);
  });

  it('anonymous(ctx) lets requests through without a caller', async () => {
    const { app: koa, seen } = app();
    const res = await request(koa.callback()).get('/health?Format=JSON');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(seen, [undefined]);
  });

  it('a 5xx downstream releases the nonce; a 4xx keeps it', async () => {
    const { app: koa, runs } = app();
    const failing = '/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW, [['fail', '1']]), 'mock-secret-Zq7'));
    assertError(await request(koa.callback()).get(failing), 500, 'InternalError');
    assertError(await request(koa.callback()).get(failing), 500, 'InternalError');
    assert.equal(runs.n, 2);
    const refused = '/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW, [['fail', '4']]), 'mock-secret-Zq7'));
    assertError(await request(koa.callback()).get(refused), 400, 'InvalidParameter');
    assertError(await request(koa.callback()).get(refused), 400, 'SignatureNonceUsed');
  });

  it('accepts an Authenticator made elsewhere', async () => {
    const { app: koa, seen } = app(async (req, action) => ({ accessKeyId: `${req.method}:${action.name}:${action.version}`, signatureVersion: 'V1' }));
    const res = await request(koa.callback()).get('/?Action=Hello&Version=v1&Format=JSON');
    assert.equal(JSON.parse(res.text).AccessKeyId, 'GET:Hello:v1');
    const v3 = await request(koa.callback()).get('/?Format=JSON').set('x-acs-action', 'Hi').set('x-acs-version', 'v3');
    assert.equal(JSON.parse(v3.text).AccessKeyId, 'GET:Hi:v3');
    assert.equal(seen.length, 2);
  });

  it('without envelope() before it: a TypeError saying so', async () => {
    const { app: koa } = app({}, false);
    const errorsSeen: Error[] = [];
    koa.on('error', (err: Error) => errorsSeen.push(err));
    const res = await request(koa.callback()).get('/');
    assert.equal(res.status, 500);
    assert.match(String(errorsSeen[0]?.message), /authenticate\(\) needs envelope\(\) mounted before it/);
  });
});
