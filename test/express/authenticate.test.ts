/**
 * `authenticate()` as plain Express middleware (no RPC API), on Express 5 and 4: sets
 * `res.locals.caller`, hands failures to `errorHandler()`, honours `anonymous`, releases the nonce
 * of a 5xx; and the same requests get the same bytes as from the Koa `authenticate()`.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import express from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import request from 'supertest';
import { authenticate as koaAuthenticate, envelope as koaEnvelope } from '../../lib/index.js';
import {
  authenticate,
  envelope,
  errorHandler,
  errors,
  handle,
  staticCredentials,
  MemoryStore,
  type AuthenticateOptions,
  type Authenticator,
  type Caller,
  type ReportedError,
} from '../../lib/express/index.js';
import { KEYS, assertError, commonV1, isoSeconds, signedV1, signedV3, wire, type V3Request } from '../auth/auth-service.js';
import { listen, rawExchange, headerOf, type RawRequest, type RawResponse } from './raw-http.js';
import { v1Request, v3Request } from './signing.js';
import { NOW as PARITY_NOW } from './rpc-services.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');

const frameworks = [
  { label: 'Express 5', create: () => express() },
  { label: 'Express 4', create: () => express4() },
] as const;

function send(app: Express, req: V3Request, path = '/'): request.Test {
  let test = request(app).post(path + (req.query.length ? '?' + wire(req.query) : ''));
  for (const [n, v] of Object.entries(req.headers)) test = test.set(n, v);
  return req.body.length ? test.send(req.body.toString()) : test;
}

for (const fw of frameworks) {
  describe(`authenticate() Express middleware on ${fw.label}`, () => {
    function app(options: Partial<AuthenticateOptions> | Authenticator = {}, mountEnvelope = true) {
      const seen: Array<Caller | undefined> = [];
      const reported: ReportedError[] = [];
      const runs = { n: 0 };
      const a = fw.create();
      if (mountEnvelope) a.use(envelope({ onError: (err) => reported.push(err) }));
      a.use(
        typeof options === 'function'
          ? authenticate(options)
          : authenticate({
              credentials: staticCredentials(KEYS),
              clock: () => NOW,
              nonceStore: new MemoryStore({ sweepIntervalMs: 0, now: () => NOW }),
              anonymous: (req) => req.path === '/health',
              ...options,
            }),
      );
      a.all(
        /.*/,
        handle((req, res) => {
          runs.n += 1;
          seen.push(res.locals.caller);
          if (req.query.fail === '1') throw new Error('downstream bug');
          if (req.query.fail === '4') throw new errors.InvalidParameter('x');
          res.locals.action = 'WhoAmI';
          return { AccessKeyId: res.locals.caller?.accessKeyId ?? '-' };
        }),
      );
      a.use(errorHandler({ onError: (err) => reported.push(err) }));
      return { app: a, seen, runs, reported };
    }

    it('V1 and V3 requests reach the next middleware with res.locals.caller', async () => {
      const { app: a, seen } = app();
      const v1 = await request(a).get('/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW), 'mock-secret-Zq7')));
      assert.equal(v1.status, 200, v1.text);
      assert.equal(JSON.parse(v1.text).AccessKeyId, 'mock-ak');
      const v3 = await send(a, signedV3({ action: 'WhoAmI', accessKeyId: 'testid', secret: 'testsecret', now: NOW, body: 'A=1' }));
      assert.equal(v3.status, 200, v3.text);
      assert.deepEqual(seen, [
        { accessKeyId: 'mock-ak', signatureVersion: 'V1', principal: { account: '1234' } },
        { accessKeyId: 'testid', signatureVersion: 'V3' },
      ]);
    });

    it('failures are rendered by errorHandler() and stop the chain', async () => {
      const { app: a, runs, reported } = app();
      assertError(await request(a).get('/?Format=JSON'), 400, 'MissingParameter', /"AccessKeyId"/);
      const old = commonV1('WhoAmI', 'mock-ak', NOW).map(([n, v]) => [n, n === 'Timestamp' ? isoSeconds(NOW - 20 * 60_000) : v] as const);
      assertError(await request(a).get('/?' + wire(signedV1(old, 'mock-secret-Zq7'))), 400, 'IllegalTimestamp');
      assertError(await request(a).get('/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW), 'nope'))), 400, 'SignatureDoesNotMatch');
      assertError(await request(a).get('/?' + wire(signedV1(commonV1('WhoAmI', 'disabled-ak', NOW), 'disabled-secret-Zq7'))), 403, 'Forbidden.AccessKeyDisabled');
      assert.equal(runs.n, 0);
      assert.equal(reported.length, 0, 'typed errors are not reported');
    });

    it('anonymous(req, res) lets requests through without a caller', async () => {
      const { app: a, seen } = app();
      const res = await request(a).get('/health?Format=JSON');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(seen, [undefined]);
    });

    it('a 5xx downstream releases the nonce; a 4xx keeps it', async () => {
      const { app: a, runs, reported } = app();
      const failing = '/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW, [['fail', '1']]), 'mock-secret-Zq7'));
      assertError(await request(a).get(failing), 500, 'InternalError');
      assertError(await request(a).get(failing), 500, 'InternalError');
      assert.equal(runs.n, 2);
      assert.equal(reported.length, 2);
      const refused = '/?' + wire(signedV1(commonV1('WhoAmI', 'mock-ak', NOW, [['fail', '4']]), 'mock-secret-Zq7'));
      assertError(await request(a).get(refused), 400, 'InvalidParameter');
      assertError(await request(a).get(refused), 400, 'SignatureNonceUsed');
    });

    it('accepts an Authenticator made elsewhere (Action and Version from parameters or x-acs-* headers)', async () => {
      const { app: a, seen } = app(async (req, action) => ({ accessKeyId: `${req.method}:${action.name}:${action.version}:${String(action.known)}`, signatureVersion: 'V1' }));
      const res = await request(a).get('/?Action=Hello&Version=v1&Format=JSON');
      assert.equal(JSON.parse(res.text).AccessKeyId, 'GET:Hello:v1:true');
      const v3 = await request(a).get('/?Format=JSON').set('x-acs-action', 'Hi').set('x-acs-version', 'v3');
      assert.equal(JSON.parse(v3.text).AccessKeyId, 'GET:Hi:v3:true');
      assert.equal(seen.length, 2);
    });

    it('accepts an authenticator that returns its caller synchronously (as Koa\'s await does)', async () => {
      const sync = ((_req: unknown, action: { name: string }) => ({ accessKeyId: `sync:${action.name}`, signatureVersion: 'V1' })) as unknown as Authenticator;
      const { app: a, seen } = app(sync);
      const res = await request(a).get('/?Action=Hello&Format=JSON');
      assert.equal(JSON.parse(res.text).AccessKeyId, 'sync:Hello');
      assert.deepEqual(seen, [{ accessKeyId: 'sync:Hello', signatureVersion: 'V1' }]);
    });

    it('an Authenticator that throws synchronously, or an anonymous() that throws, is an InternalError', async () => {
      const throwing: Authenticator = () => {
        throw new Error('sync failure');
      };
      const first = app(throwing);
      assertError(await request(first.app).get('/?Format=JSON'), 500, 'InternalError');
      assert.equal(first.reported[0]?.message, 'sync failure');
      const second = app({
        anonymous: () => {
          throw new Error('anonymous() failed');
        },
      });
      assertError(await request(second.app).get('/?Format=JSON'), 500, 'InternalError');
      assert.equal(second.runs.n, 0);
    });

    it('without envelope() before it: InternalError, reported with a message saying so', async () => {
      const { app: a, reported } = app({}, false);
      const res = await request(a).get('/?Format=JSON');
      assert.equal(res.status, 500);
      assert.match(String(reported[0]?.message), /authenticate\(\) needs envelope\(\) mounted before it/);
    });
  });
}

describe('authenticate(): Express sends what Koa sends', () => {
  const keys = { 'parity-ak': { secret: 'parity-secret-Zq7' } };
  const options = () => ({
    credentials: staticCredentials(keys),
    clock: () => PARITY_NOW,
    nonceStore: new MemoryStore({ sweepIntervalMs: 0, now: () => PARITY_NOW }),
  });
  const closers: Array<() => Promise<void>> = [];
  const ports: Array<{ label: string; port: number }> = [];

  before(async () => {
    const koa = new Koa();
    koa.silent = true;
    koa.use(koaEnvelope({ hostId: 'auth.parity' }));
    koa.use(koaAuthenticate({ ...options(), anonymous: (ctx) => ctx.path === '/health' }));
    koa.use((ctx) => {
      ctx.state.action = 'WhoAmI';
      ctx.body = { AccessKeyId: ctx.state.caller?.accessKeyId ?? '-', Version: ctx.state.caller?.signatureVersion ?? '-' };
    });
    const k = await listen(koa.callback());
    closers.push(k.close);
    ports.push({ label: 'Koa', port: k.port });
    for (const fw of frameworks) {
      const a = fw.create();
      a.disable('x-powered-by');
      a.use(envelope({ hostId: 'auth.parity', onError: () => undefined }));
      a.use(authenticate({ ...options(), anonymous: (req) => req.path === '/health' }));
      a.all(
        /.*/,
        handle((_req, res) => {
          res.locals.action = 'WhoAmI';
          return { AccessKeyId: res.locals.caller?.accessKeyId ?? '-', Version: res.locals.caller?.signatureVersion ?? '-' };
        }),
      );
      a.use(errorHandler());
      const s = await listen(a);
      closers.push(s.close);
      ports.push({ label: fw.label, port: s.port });
    }
  });
  after(async () => {
    await Promise.all(closers.map((close) => close()));
  });

  const secret = keys['parity-ak'].secret;
  const table: Array<[string, RawRequest, number]> = [
    ['V1 GET', v1Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret, nonce: 'a1', timestamp: PARITY_NOW }), 200],
    ['V1 GET replayed', v1Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret, nonce: 'a1', timestamp: PARITY_NOW }), 400],
    ['V1 POST (XML)', v1Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret, nonce: 'a2', timestamp: PARITY_NOW, method: 'POST', format: 'XML' }), 200],
    ['V3 POST', v3Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret, nonce: 'a3', timestamp: PARITY_NOW, body: 'A=1' }), 200],
    ['V3 tampered', v3Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret, nonce: 'a4', timestamp: PARITY_NOW, body: 'A=1', tamperedBody: 'A=3' }), 400],
    ['wrong secret', v1Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret: 'x', nonce: 'a5', timestamp: PARITY_NOW }), 400],
    ['stale timestamp', v1Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret, nonce: 'a6', timestamp: PARITY_NOW - 3_600_000 }), 400],
    ['unsigned', { method: 'GET', target: '/?Format=JSON' }, 400],
    ['anonymous path', { method: 'GET', target: '/health?Format=JSON' }, 200],
  ];

  function normalised(res: RawResponse): string {
    const id = headerOf(res, 'x-acs-request-id') ?? '';
    assert.ok(id.length > 0);
    return res.bytes.toString('latin1').split(id).join('<RequestId>').replace(/\r\nDate: [^\r]*\r\n/, '\r\nDate: <date>\r\n');
  }

  for (const [name, req, status] of table) {
    it(name, async () => {
      const responses: RawResponse[] = [];
      for (const { port } of ports) responses.push(await rawExchange(port, req));
      for (const res of responses) assert.equal(res.status, status, res.body.toString());
      const [koa, ...rest] = responses;
      rest.forEach((res, i) => assert.equal(normalised(res), normalised(koa!), `${ports[i + 1]?.label} sends what Koa sends`));
    });
  }
});
