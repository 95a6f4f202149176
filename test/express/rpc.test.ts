/**
 * `expressRpc(api)` on Express 5 and 4, beyond the parity table: the handler's context
 * (`{ req, res }`), `res.locals.action` / `res.locals.caller` before the handler runs, one API
 * object served by Koa and Express at once, mounting under a path (Signature V3 signs the whole
 * path), routing to later middleware, body parsers, and the mistakes reported at start-up or per
 * request.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Koa from 'koa';
import express from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import request from 'supertest';
import fc from 'fast-check';
import { createRpcApi, envelope as koaEnvelope, koaRpc, p, signatureAuthenticator, staticCredentials, MemoryStore, type RpcApi } from '../../lib/index.js';
import {
  envelope,
  errorHandler,
  expressRpc,
  handle,
  canonicalRequestV3,
  sha256Hex,
  signV3,
  stringToSignV3,
  type Caller,
  type ExpressRpcContext,
  type ReportedError,
} from '../../lib/express/index.js';
import { rpcPathMatcher } from '../../lib/rpc/path-matcher.js';
import { requestTarget, pathOf } from '../../lib/core/request-target.js';
import { JSON_TYPE, readError } from '../support/http.js';
import { isoSeconds, v1Request, v3Request, wire } from './signing.js';
import { listen, rawExchange } from './raw-http.js';
import { NOW, VERSION, rpcApi } from './rpc-services.js';

const frameworks = [
  { label: 'Express 5', create: () => express(), urlencoded: express.urlencoded },
  { label: 'Express 4', create: () => express4(), urlencoded: express4.urlencoded },
] as const;

const KEYS = { 'mount-ak': { secret: 'mount-secret-Zq7' } };

function json(res: request.Response): Record<string, unknown> {
  assert.equal(res.headers['content-type'], JSON_TYPE, res.text);
  return JSON.parse(res.text) as Record<string, unknown>;
}

function authenticator() {
  const clock = (): number => NOW;
  return signatureAuthenticator({ credentials: staticCredentials(KEYS), clock, nonceStore: new MemoryStore({ maxEntries: 100, sweepIntervalMs: 0, now: clock }) });
}

/** A V3 GET signed with lib/auth over an arbitrary path (the reference signer only signs `/`). */
function signedV3Get(path: string, action: string, query: Array<[string, string]>, nonce: string): { target: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    host: 'rpc.example.test',
    'x-acs-action': action,
    'x-acs-version': VERSION,
    'x-acs-date': isoSeconds(NOW),
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': sha256Hex(''),
  };
  const signedHeaders = Object.keys(headers).sort();
  const params = Object.create(null) as Record<string, string>;
  for (const [name, value] of query) params[name] = value;
  const canonical = canonicalRequestV3({ method: 'GET', path, query: params, headers, signedHeaders, hashedPayload: headers['x-acs-content-sha256'] as string });
  const signature = signV3(KEYS['mount-ak'].secret, stringToSignV3(canonical));
  headers.authorization = `ACS3-HMAC-SHA256 Credential=mount-ak,SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  return { target: `${path}?${wire(query)}`, headers };
}

for (const fw of frameworks) {
  describe(`expressRpc on ${fw.label}`, () => {
    function app(api: RpcApi<ExpressRpcContext>, reported: ReportedError[] = [], mount?: (app: Express) => void): Express {
      const a = fw.create();
      a.use(envelope({ onError: (err) => reported.push(err) }));
      if (mount) mount(a);
      else a.use(expressRpc(api));
      a.use(errorHandler());
      return a;
    }

    it('gives handlers { req, res } with res.locals.action and res.locals.caller already set', async () => {
      const api = createRpcApi<ExpressRpcContext>({ version: VERSION, authenticate: authenticator() });
      const seen: Array<{ action: unknown; caller: Caller | undefined; path: string; sameRes: boolean }> = [];
      api.action('WhoAmI', {
        handler: (_params, { req, res }, { caller }) => {
          seen.push({ action: res.locals.action, caller: res.locals.caller, path: req.path, sameRes: res.req === req });
          return { AccessKeyId: caller?.accessKeyId ?? '' };
        },
      });
      api.action('Ping', { anonymous: true, handler: (_params, { res }) => ({ Caller: String(res.locals.caller), Action: String(res.locals.action) }) });
      const a = app(api);
      const signed = v1Request({ action: 'WhoAmI', accessKeyId: 'mount-ak', secret: KEYS['mount-ak'].secret, nonce: 'n-ctx', timestamp: NOW });
      const res = await request(a).get(signed.target);
      assert.equal(json(res).AccessKeyId, 'mount-ak');
      assert.deepEqual(seen, [{ action: 'WhoAmI', caller: { accessKeyId: 'mount-ak', signatureVersion: 'V1' }, path: '/', sameRes: true }]);
      const ping = json(await request(a).get(`/?${wire([['Action', 'Ping'], ['Version', VERSION], ['Format', 'JSON']])}`));
      assert.equal(ping.Action, 'Ping');
      assert.equal(ping.Caller, 'undefined', 'an anonymous action has no caller');
    });

    it('serves one API object mounted on Koa and on Express at the same time', async () => {
      const api = createRpcApi({ version: VERSION }); // no context type: handlers use params and call only
      api.action('Echo', { params: { Name: p.string({ required: true }) }, handler: ({ Name }, _ctx, { request: req }) => ({ Name, Path: req.path }) });
      const koa = new Koa();
      koa.use(koaEnvelope());
      koa.use(koaRpc(api));
      const target = `/?${wire([['Action', 'Echo'], ['Version', VERSION], ['Format', 'JSON'], ['Name', 'n 1']])}`;
      const fromKoa = json(await request(koa.callback()).get(target));
      const fromExpress = json(await request(app(api)).get(target));
      assert.deepEqual({ ...fromKoa, RequestId: '' }, { Name: 'n 1', Path: '/', RequestId: '' });
      assert.deepEqual({ ...fromExpress, RequestId: '' }, { ...fromKoa, RequestId: '' });
      assert.deepEqual(readError(await request(app(api)).get('/?Action=Echo&Version=2014-05-26&Format=JSON')).Code, 'MissingParameter');
    });

    it('under a mount path: matches the rest of the path, hands the whole path to the pipeline (Signature V3 verifies)', async () => {
      const api = createRpcApi<ExpressRpcContext>({ version: VERSION, path: '/rpc', authenticate: authenticator() });
      api.action('WhoAmI', { handler: (_params, { req }, { caller, request: r }) => ({ AccessKeyId: caller?.accessKeyId ?? '', Path: r.path, ExpressPath: req.path }) });
      const a = app(api, [], (x) => x.use('/ecs/v1', expressRpc(api)));
      const signed = signedV3Get('/ecs/v1/rpc', 'WhoAmI', [['Format', 'JSON'], ['Q', 'a b']], 'n-mount');
      let t = request(a).get(signed.target);
      for (const [name, value] of Object.entries(signed.headers)) t = t.set(name, value);
      const body = json(await t);
      assert.deepEqual({ ...body, RequestId: '' }, { RequestId: '', AccessKeyId: 'mount-ak', Path: '/ecs/v1/rpc', ExpressPath: '/rpc' });
      // Signed over the path relative to the mount point instead: refused.
      const wrong = signedV3Get('/rpc', 'WhoAmI', [['Format', 'JSON']], 'n-mount-2');
      let w = request(a).get(`/ecs/v1${wrong.target}`);
      for (const [name, value] of Object.entries(wrong.headers)) w = w.set(name, value);
      assert.equal(readError(await w).Code, 'SignatureDoesNotMatch');
      assert.equal(readError(await request(a).get('/rpc?Format=JSON')).Code, 'InvalidAction', 'outside the mount path: no route');
    });

    it('passes other paths on to the next middleware', async () => {
      const api = createRpcApi<ExpressRpcContext>({ version: VERSION, path: '/rpc' });
      api.action('Ping', { handler: () => ({ Pong: true }) });
      const a = app(api, [], (x) => {
        x.use(expressRpc(api));
        x.get('/health', handle(() => ({ Healthy: true })));
      });
      assert.equal(json(await request(a).get('/health?Format=JSON')).Healthy, true);
      assert.equal(json(await request(a).get('/RPC?Action=Ping&Version=2014-05-26&Format=JSON')).Pong, true);
      assert.equal(readError(await request(a).get('/rpc/more?Action=Ping&Version=2014-05-26')).Code, 'InvalidAction');
    });

    it('reads the form itself before or after express.urlencoded(); V3 needs the raw body kept', async () => {
      const seen: string[] = [];
      const make = (parser: 'none' | 'before' | 'before-verify') => {
        const api = createRpcApi<ExpressRpcContext>({ version: VERSION });
        api.action('Echo', { params: { A: p.string() }, handler: ({ A }, _ctx, { request: r }) => (seen.push(r.state.rawBody?.toString() ?? '-'), { A: A ?? '' }) });
        const a = fw.create();
        if (parser === 'before') a.use(fw.urlencoded({ extended: false }));
        if (parser === 'before-verify') a.use(fw.urlencoded({ extended: false, verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }));
        a.use(envelope({ onError: () => undefined }));
        a.use(expressRpc(api));
        a.use(errorHandler());
        return a;
      };
      const body = wire([['Action', 'Echo'], ['Version', VERSION], ['Format', 'JSON'], ['A', 'x y']]);
      for (const parser of ['none', 'before', 'before-verify'] as const) {
        const res = await request(make(parser)).post('/').type('form').send(body);
        assert.equal(json(res).A, 'x y', parser);
      }
      assert.deepEqual(seen, [body, '-', body]);
    });

    it('Signature V3 behind a body parser: verified against the raw bytes it kept, refused (InternalError) when it kept none', async () => {
      const make = (verify: boolean): Express => {
        const a = fw.create();
        a.use(verify ? fw.urlencoded({ extended: false, verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }) : fw.urlencoded({ extended: false }));
        a.use(envelope({ onError: (err) => reported.push(err) }));
        a.use(expressRpc(rpcApi('signed')));
        a.use(errorHandler());
        return a;
      };
      const reported: ReportedError[] = [];
      const signed = v3Request({ action: 'WhoAmI', accessKeyId: 'parity-ak', secret: 'parity-secret-Zq7', nonce: 'n-parser', timestamp: NOW, body: 'Extra=a%20b' });
      const kept = await listen(make(true));
      const lost = await listen(make(false));
      try {
        const ok = await rawExchange(kept.port, signed);
        assert.equal(ok.status, 200, ok.body.toString());
        assert.equal((JSON.parse(ok.body.toString()) as Record<string, unknown>).SignatureVersion, 'V3');
        const refused = await rawExchange(lost.port, signed);
        assert.equal(refused.status, 500, refused.body.toString());
        assert.equal(reported.length, 1);
        assert.equal(reported[0]?.name, 'RawBodyUnavailableError');
      } finally {
        await kept.close();
        await lost.close();
      }
    });

    it('without envelope() before it: InternalError, reported with a message saying so', async () => {
      const api = createRpcApi<ExpressRpcContext>({ version: VERSION });
      api.action('Ping', { handler: () => ({}) });
      const a = fw.create();
      const reported: ReportedError[] = [];
      a.use(expressRpc(api));
      a.use(errorHandler({ onError: (err) => reported.push(err) }));
      const res = await request(a).get('/?Action=Ping&Version=2014-05-26&Format=JSON');
      assert.equal(readError(res).Code, 'InternalError');
      assert.match(String(reported[0]?.message), /envelope\(\) must be mounted/);
    });

    it('refuses, at start-up, a path with route syntax (createRpcApi itself refuses it, for both frameworks)', () => {
      for (const path of ['/:id', '/a*', '/{x}', '/a(b)', '/a+', '/a?', '/a!', '/a[b]']) {
        assert.throws(() => expressRpc(createRpcApi<ExpressRpcContext>({ version: VERSION, path })), TypeError, path);
      }
    });

    it('the shared declarations run their handlers on Express (a smoke test of the parity services)', async () => {
      const runs = new Map<string, number>();
      const res = await request(app(rpcApi('open', runs))).get(`/?${wire([['Action', 'RunInstances'], ['Version', VERSION], ['Format', 'JSON'], ['InstanceType', 't'], ['ClientToken', 'c']])}`);
      assert.equal(json(res).Run, 1);
      assert.equal(runs.get('RunInstances'), 1);
    });
  });
}

describe('rpcPathMatcher (koaRpc\'s path matching, for Express)', () => {
  const require = createRequire(__filename);
  // @koa/router's own matcher (path-to-regexp 8 with its defaults): the oracle.
  const { pathToRegexp } = require('path-to-regexp') as { pathToRegexp: (path: string, options: object) => { regexp: RegExp } };
  const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{1,6}$/);
  const literalPath = fc.array(segment, { minLength: 0, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
  const requestPath = fc.oneof(
    literalPath,
    literalPath.map((path) => `${path}/`),
    literalPath.map((path) => path.toUpperCase()),
    fc.array(fc.constantFrom('/', 'a', 'A', '.', '%', 'b', '//'), { maxLength: 8 }).map((chars) => `/${chars.join('')}`),
  );

  it('accepts exactly what @koa/router accepts for a literal path', () => {
    fc.assert(
      fc.property(literalPath, requestPath, fc.boolean(), (path, candidate, reuse) => {
        const probe = reuse ? path + (candidate.length % 2 === 0 ? '/' : '') : candidate;
        const oracle = pathToRegexp(path, { sensitive: false, end: true, trailing: true }).regexp.test(probe);
        assert.equal(rpcPathMatcher(path)(probe), oracle, `${path} vs ${probe}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('examples', () => {
    const matches = rpcPathMatcher('/api');
    assert.deepEqual(['/api', '/API', '/api/', '/api//', '/api/x', '/apix', '/'].map(matches), [true, true, true, false, false, false, false]);
    assert.deepEqual(['/', '//', '/x'].map(rpcPathMatcher('/')), [true, true, false]);
  });
});

describe('requestTarget (Koa\'s ctx.path / ctx.querystring, for Express)', () => {
  const require = createRequire(__filename);
  // Koa computes both with parseurl: the oracle.
  const parseurl = require('parseurl') as (req: { url: string }) => { pathname: string | null; query: string | null } | undefined;
  const char = fc.constantFrom('/', '?', '#', 'a', 'B', '%', '2', '0', '<', '"', "'", '\\', ' ', '\u00a0', '\ufeff', '&', '=', 'é', '\t', ':', '@', '.', '{', '|', '^', '`');

  it('equals parseurl for any target it parses (fast path and url.parse fallback alike), and does not throw where parseurl does', () => {
    const anyTarget = fc
      .tuple(fc.array(char, { maxLength: 16 }), fc.boolean())
      .map(([rest, slash]) => `${slash ? '/' : ''}${rest.join('')}`);
    // `scheme:` then a blank: Node's url.parse, and so parseurl, refuses about one in five of these.
    const schemeLike = fc
      .tuple(fc.constantFrom('a:', 'B:', '0:', '.:'), fc.constantFrom(' ', '\ufeff', '\t'), fc.array(char, { maxLength: 12 }))
      .map(([scheme, blank, rest]) => `${scheme}${blank}${rest.join('')}`);
    let parseurlThrew = 0;
    fc.assert(
      fc.property(fc.oneof(anyTarget, schemeLike), (target) => {
        let expected: { pathname: string | null; query: string | null } | undefined;
        try {
          expected = parseurl({ url: target });
        } catch {
          // parseurl throws (Koa would answer 500); requestTarget must not, and splits the text
          // before the first `#` at its first `?` instead.
          parseurlThrew += 1;
          const head = target.split('#')[0] ?? '';
          const question = head.indexOf('?');
          const split = question === -1 ? { path: head, querystring: '' } : { path: head.slice(0, question), querystring: head.slice(question + 1) };
          assert.deepEqual(requestTarget(target), split, `split of ${JSON.stringify(target)}`);
          return;
        }
        const ours = requestTarget(target);
        assert.equal(ours.path, expected?.pathname ?? '', `path of ${JSON.stringify(target)}`);
        assert.equal(ours.querystring, typeof expected?.query === 'string' ? expected.query : '', `query of ${JSON.stringify(target)}`);
      }),
      { numRuns: 5000 },
    );
    // About 500 are expected; the bound only proves the branch above ran.
    assert.ok(parseurlThrew >= 50, `only ${parseurlThrew} targets made parseurl throw`);
  });

  it('examples, and never throws', () => {
    assert.deepEqual(requestTarget('/?Action=A&Format=JSON'), { path: '/', querystring: 'Action=A&Format=JSON' });
    assert.deepEqual(requestTarget('/a\\b?x="1"#f'), { path: '/a/b', querystring: 'x=%221%22' });
    assert.deepEqual(requestTarget('http://h.example/p?x=1'), { path: '/p', querystring: 'x=1' });
    assert.equal(pathOf('/api/v1?Action=A'), '/api/v1');
    assert.doesNotThrow(() => requestTarget('a: /?x#y'));
  });
});
