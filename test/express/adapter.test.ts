/**
 * Express idioms of the adapter, on Express 5 and Express 4: body parsers before and after the
 * envelope, `handle()` results and failures, `sendData()`, `next(err)`, `errorHandler()` without an
 * envelope, mounting on routers, late failures. (Protocol bytes are compared with Koa in
 * parity.test.ts.)
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { parse as legacyUrlParse } from 'node:url';
import express from 'express';
import express4 from 'express4';
import type { Express, Request } from 'express';
import request from 'supertest';
import {
  envelope,
  handle,
  sendData,
  errorHandler,
  openapiState,
  errors,
  type ExpressEnvelopeOptions,
  type ReportedError,
} from '../../lib/express/index.js';
import { querystringOf } from '../../lib/core/request-target.js';
import { parseUrlencoded } from '../../lib/core/params/urlencoded.js';
import { readError, JSON_TYPE, XML_TYPE, REQUEST_ID } from '../support/http.js';
import { parseXmlStrict } from '../support/xml.js';
import { listen } from './raw-http.js';

const frameworks = [
  { label: 'Express 5', create: () => express(), urlencoded: express.urlencoded, json: express.json, raw: express.raw, Router: express.Router },
  { label: 'Express 4', create: () => express4(), urlencoded: express4.urlencoded, json: express4.json, raw: express4.raw, Router: express4.Router },
] as const;

/** The parameters and raw body the envelope saw, and what later middleware sees as req.body. */
const echo = handle(async (req, res) => {
  const state = openapiState(res);
  return {
    All: Object.keys(state.params.all).map((name) => ({ Name: name, Value: state.params.all[name] })),
    Raw: state.rawBody?.toString('utf8'),
    ReqBody: JSON.stringify(req.body ?? null),
    ReqBodyNullProto: typeof req.body === 'object' && req.body !== null && Object.getPrototypeOf(req.body) === null,
  };
});

type Echo = { All: Array<{ Name: string; Value: string | string[] }>; Raw?: string; ReqBody: string; ReqBodyNullProto: boolean };

function body(res: request.Response): Echo & Record<string, unknown> {
  assert.equal(res.headers['content-type'], JSON_TYPE, res.text);
  return JSON.parse(res.text) as Echo & Record<string, unknown>;
}

for (const fw of frameworks) {
  describe(`Express adapter idioms (${fw.label})`, () => {
    function app(options: ExpressEnvelopeOptions = {}): { app: Express; reported: ReportedError[] } {
      const a = fw.create();
      const reported: ReportedError[] = [];
      a.use(envelope({ hostId: 'adapter.test', onError: (err) => reported.push(err), ...options }));
      return { app: a, reported };
    }

    describe('state and form bodies', () => {
      it('exposes the RequestId on res.locals and the header, and the state on res.locals.openapi', async () => {
        const { app: a } = app();
        a.get('/', handle(async (_req, res) => ({ Same: res.locals.openapi === openapiState(res), Id: res.locals.requestId })));
        a.use(errorHandler());
        const res = await request(a).get('/?Format=JSON');
        const data = body(res);
        assert.equal(data.Same, true);
        assert.equal(data.Id, res.headers['x-acs-request-id']);
        assert.equal(data.RequestId, data.Id);
        assert.match(String(data.Id), REQUEST_ID);
      });

      it('reads the form itself, leaves it as a null-prototype req.body, and body parsers after it skip it', async () => {
        const { app: a } = app();
        a.use(fw.urlencoded({ extended: false }));
        a.use(fw.json());
        a.post('/', echo);
        a.use(errorHandler());
        const data = body(await request(a).post('/?Format=JSON').type('form').send('A=1&A=2&__proto__=p&B=x%20y'));
        assert.deepEqual(data.All, [{ Name: 'Format', Value: 'JSON' }, { Name: 'A', Value: ['1', '2'] }, { Name: '__proto__', Value: 'p' }, { Name: 'B', Value: 'x y' }]);
        assert.equal(data.Raw, 'A=1&A=2&__proto__=p&B=x%20y');
        assert.equal(data.ReqBody, '{"A":["1","2"],"__proto__":"p","B":"x y"}');
        assert.equal(data.ReqBodyNullProto, true);
      });

      it('leaves JSON bodies to express.json() mounted after it', async () => {
        const { app: a } = app();
        a.use(fw.json());
        a.post('/', echo);
        a.use(errorHandler());
        const data = body(await request(a).post('/?Format=JSON').send({ Format: 'XML', Deep: { A: 1 } }));
        assert.deepEqual(data.All, [{ Name: 'Format', Value: 'JSON' }]);
        assert.equal(data.ReqBody, '{"Format":"XML","Deep":{"A":1}}');
        assert.equal(data.Raw, undefined);
      });

      it('uses a form body express.urlencoded() parsed before it, with the raw bytes a verify hook kept', async () => {
        const a = fw.create();
        a.use(fw.urlencoded({ extended: false, verify: (req, _res, buf) => { (req as Request & { rawBody?: Buffer }).rawBody = Buffer.from(buf); } }));
        a.use(envelope());
        a.post('/', echo);
        a.use(errorHandler());
        const data = body(await request(a).post('/').type('form').send('Format=JSON&A=1&A=2'));
        assert.deepEqual(data.All, [{ Name: 'Format', Value: 'JSON' }, { Name: 'A', Value: ['1', '2'] }]);
        assert.equal(data.Raw, 'Format=JSON&A=1&A=2');
      });

      it('parses a form body express.raw() read before it, with the same strict rules', async () => {
        const a = fw.create();
        a.use(fw.raw({ type: 'application/x-www-form-urlencoded' }));
        a.use(envelope({ maxParameters: 3 }));
        a.post('/', echo);
        a.use(errorHandler());
        const data = body(await request(a).post('/').type('form').send('Format=JSON&__proto__=1&N=a+b'));
        assert.deepEqual(data.All, [{ Name: 'Format', Value: 'JSON' }, { Name: '__proto__', Value: '1' }, { Name: 'N', Value: 'a b' }]);
        assert.equal(data.Raw, 'Format=JSON&__proto__=1&N=a+b');
        const tooMany = await request(a).post('/?Format=JSON').type('form').send('A=1&B=2&C=3');
        assert.match(readError(tooMany).Message, /more than 3 parameters/);
        const malformed = await request(a).post('/?Format=JSON').type('form').send('A=%zz');
        assert.equal(readError(malformed).Code, 'InvalidParameter');
      });

      it('still reads the form when a JSON parser before it left a placeholder req.body', async () => {
        const a = fw.create();
        a.use(fw.json());
        a.use(envelope());
        a.post('/', echo);
        a.use(errorHandler());
        const data = body(await request(a).post('/').type('form').send('Format=JSON&A=1'));
        assert.deepEqual(data.All, [{ Name: 'Format', Value: 'JSON' }, { Name: 'A', Value: '1' }]);
        assert.equal(data.ReqBody, '{"Format":"JSON","A":"1"}');
      });

      it('takes the query from the original URL when mounted inside a router under a prefix', async () => {
        const a = fw.create();
        const router = fw.Router();
        router.use(envelope());
        router.get('/regions', handle(async () => ({ Ok: true })));
        a.use('/api', router);
        a.use(errorHandler());
        const res = await request(a).get('/api/regions?Format=JSON');
        assert.equal(res.headers['content-type'], JSON_TYPE);
        assert.equal(JSON.parse(res.text).Ok, true);
      });

      it('begins one exchange when mounted twice (app and router): one RequestId, the body read once', async () => {
        const { app: a } = app();
        const router = fw.Router();
        router.use(envelope());
        router.post('/', echo);
        a.use(router);
        a.use(errorHandler());
        const res = await request(a).post('/?Format=JSON').type('form').send('A=1');
        const data = body(res);
        assert.equal(data.RequestId, res.headers['x-acs-request-id']);
        assert.deepEqual(data.All, [{ Name: 'Format', Value: 'JSON' }, { Name: 'A', Value: '1' }]);
      });
    });

    describe('handle() and sendData()', () => {
      it('catches rejections and synchronous throws and renders them (Express 4 would hang otherwise)', async () => {
        const { app: a } = app();
        a.get('/rejects', handle(async () => { throw new errors.MissingParameter('RegionId'); }));
        a.get('/throws', handle(() => { throw new errors.InvalidParameter('PageSize'); }));
        a.use(errorHandler());
        const rejects = readError(await request(a).get('/rejects?Format=JSON'));
        assert.equal(rejects.Code, 'MissingParameter');
        assert.equal(rejects.status, 400);
        const throws = readError(await request(a).get('/throws'));
        assert.equal(throws.Code, 'InvalidParameter');
        assert.equal(throws.HostId, 'adapter.test');
      });

      it('renders values next() would ignore or treat as routing (null, undefined, "route") as InternalError', async () => {
        const { app: a, reported } = app();
        a.get('/null', handle(async () => Promise.reject(null)));
        a.get('/undefined', handle(async () => Promise.reject(undefined)));
        a.get('/route', handle(() => { throw 'route'; }));
        a.get('/route', handle(async () => ({ Skipped: 'to the next route' })));
        a.use(errorHandler());
        for (const [path, text] of [['/null', 'null'], ['/undefined', 'undefined'], ['/route', '"route"']] as const) {
          reported.length = 0;
          const res = await request(a).get(path);
          const view = readError(res);
          assert.equal(view.Code, 'InternalError', path);
          assert.equal(reported.length, 1);
          assert.equal(reported[0]!.message, `Non-error thrown: ${text}`);
          assert.equal(reported[0]!.requestId, view.RequestId);
        }
      });

      it('treats a returned array, string or class instance as a bug, and undefined or res as "answered"', async () => {
        const { app: a, reported } = app();
        a.get('/array', handle(async () => [1, 2]));
        a.get('/instance', handle(async () => new Map()));
        a.get('/answered', handle(async (_req, res) => res.type('text/plain').send('plain text')));
        a.get('/next', handle(async (_req, _res, next) => { next(); }));
        a.get('/next', (_req, res) => { sendData(res, { Second: true }, { action: 'Second' }); });
        a.use(errorHandler());
        for (const [path, what] of [['/array', 'an array'], ['/instance', 'an instance of Map']] as const) {
          reported.length = 0;
          assert.equal(readError(await request(a).get(path)).Code, 'InternalError');
          assert.equal(reported.length, 1);
          assert.match(reported[0]!.message, new RegExp(`returned ${what}; return a plain object or undefined`));
        }
        const answered = await request(a).get('/answered');
        assert.equal(answered.text, 'plain text');
        assert.match(answered.headers['x-acs-request-id'], REQUEST_ID);
        const next = await request(a).get('/next');
        assert.equal(parseXmlStrict(next.text).name, 'SecondResponse');
      });

      it('sends the status a handler set when it is 2xx, and the Action from res.locals or the option', async () => {
        const { app: a } = app();
        a.post('/', handle(async (_req, res) => {
          res.status(202);
          res.locals.action = 'StartInstance';
          return { Started: true };
        }));
        a.get('/redirected', (_req, res) => {
          res.status(302);
          sendData(res, { A: 1 }, { action: 'Explicit' });
        });
        a.use(errorHandler());
        const res = await request(a).post('/');
        assert.equal(res.status, 202);
        assert.equal(parseXmlStrict(res.text).name, 'StartInstanceResponse');
        const redirected = await request(a).get('/redirected');
        assert.equal(redirected.status, 200);
        assert.equal(parseXmlStrict(redirected.text).name, 'ExplicitResponse');
      });

      it('renders next(err) from classic handlers: typed errors, status errors, bugs', async () => {
        const { app: a, reported } = app();
        a.get('/typed', (_req, _res, next) => next(new errors.Throttling({ headers: { 'x-acs-retry-after': '10' } })));
        a.get('/status', (_req, _res, next) => next(Object.assign(new Error('gone fishing'), { status: 404, expose: true })));
        a.get('/bug', () => { throw new Error('sync bug'); });
        a.use(errorHandler());
        const typed = await request(a).get('/typed?Format=JSON');
        assert.equal(readError(typed).Code, 'Throttling');
        assert.equal(typed.headers['x-acs-retry-after'], '10');
        const status = readError(await request(a).get('/status'));
        assert.deepEqual([status.status, status.Code, status.Message], [403, 'InvalidAction', 'gone fishing']);
        const bug = readError(await request(a).get('/bug'));
        assert.equal(bug.Code, 'InternalError');
        assert.equal(reported.length, 1);
        assert.equal(reported[0]!.requestId, bug.RequestId);
      });

      it('answers HEAD on a GET route with the headers of the envelope and no body', async () => {
        const { app: a } = app();
        a.get('/', handle(async () => ({ A: 1 })));
        a.use(errorHandler());
        const get = await request(a).get('/');
        const head = await request(a).head('/');
        assert.equal(head.status, 200);
        assert.equal(head.headers['content-type'], XML_TYPE);
        assert.equal(head.headers['content-length'], get.headers['content-length']);
        assert.equal(head.text, undefined);
      });

      it('closes the connection when a handler fails after the response started, and reports it', async () => {
        const { app: a, reported } = app();
        a.get('/', handle(async (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial');
          throw new Error('late failure');
        }));
        a.use(errorHandler());
        const server = await listen(a);
        try {
          const outcome = await new Promise<string>((resolve) => {
            http.get({ port: server.port, host: '127.0.0.1', path: '/' }, (res) => {
              res.on('data', () => undefined);
              res.on('end', () => resolve('ended'));
              res.on('error', () => resolve('reset'));
              res.on('aborted', () => resolve('reset'));
            }).on('error', () => resolve('reset'));
          });
          assert.equal(outcome, 'reset');
          assert.equal(reported.length, 1);
          assert.equal(reported[0]!.message, 'late failure');
        } finally {
          await server.close();
        }
      });
    });

    describe('errorHandler()', () => {
      it('answers InvalidAction 403 when no route answered, or lets the request pass with noRoute: false', async () => {
        const { app: a } = app();
        a.use(errorHandler());
        const res = await request(a).post('/missing?Format=JSON').type('form').send('Action=Nope');
        assert.deepEqual([res.status, readError(res).Code], [403, 'InvalidAction']);
        const { app: b } = app();
        b.use(errorHandler({ noRoute: false }));
        b.use((_req, res) => { res.status(404).type('text/plain').send('custom 404'); });
        const passed = await request(b).get('/missing');
        assert.deepEqual([passed.status, passed.text], [404, 'custom 404']);
      });

      it('leaves alone a response that was answered before next() reached it', async () => {
        const { app: a } = app();
        a.get('/', (_req, res, next) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('answered, ');
          next(); // reaches errorHandler()'s no-route handler synchronously
          res.end('then finished');
        });
        a.use(errorHandler());
        const res = await request(a).get('/');
        assert.deepEqual([res.status, res.text], [200, 'answered, then finished']);
      });

      it('keeps answering when the onError reporter itself throws', async () => {
        const { app: a } = app({ onError: () => { throw new Error('reporter down'); } });
        a.get('/', handle(async () => { throw new Error('bug'); }));
        a.use(errorHandler());
        const original = console.error;
        const logged: unknown[][] = [];
        console.error = (...args: unknown[]) => { logged.push(args); };
        try {
          const res = await request(a).get('/');
          assert.deepEqual([res.status, readError(res).Code], [500, 'InternalError']);
        } finally {
          console.error = original;
        }
        assert.equal(logged.length, 1);
        assert.equal((logged[0]![2] as Error).message, 'reporter down');
      });

      it('renders errors of body parsers mounted before the envelope, in the format the query asks for', async () => {
        const a = fw.create();
        const reported: ReportedError[] = [];
        a.use(fw.json());
        a.use(fw.urlencoded({ extended: false, limit: 100 }));
        a.use(envelope());
        a.post('/', echo);
        a.use(errorHandler({ hostId: 'late.test', onError: (err) => reported.push(err) }));
        const malformed = await request(a).post('/?Format=JSON').set('content-type', 'application/json').send('{"A":');
        const view = readError(malformed);
        assert.deepEqual([malformed.status, view.Code, view.HostId], [400, 'InvalidParameter', 'late.test']);
        assert.equal(malformed.headers['content-type'], JSON_TYPE);
        const large = await request(a).post('/?Format=XML').type('form').send(`A=${'x'.repeat(200)}`);
        const largeView = readError(large);
        assert.deepEqual([large.status, largeView.Code, largeView.Message], [400, 'InvalidParameter', 'request entity too large']);
        assert.equal(large.headers['content-type'], XML_TYPE);
        const badFormat = await request(a).post('/?Format=yaml').set('content-type', 'application/json').send('{');
        assert.equal(badFormat.headers['content-type'], XML_TYPE, 'a bad Format falls back to the header format');
        assert.equal(readError(badFormat).Code, 'InvalidParameter');
        assert.equal(reported.length, 0);
      });

      it('renders Express router errors (a malformed path parameter)', async () => {
        const { app: a } = app();
        a.get('/items/:id', handle(async (req) => ({ Id: req.params.id })));
        a.use(errorHandler());
        const ok = await request(a).get('/items/i-1?Format=JSON');
        assert.equal(JSON.parse(ok.text).Id, 'i-1');
        const bad = await request(a).get('/items/%E0%A4%A?Format=JSON');
        assert.deepEqual([bad.status, readError(bad).Code], [400, 'InvalidParameter']);
      });

      it('serves errors without any envelope() from its own options (sendData and openapiState refuse)', async () => {
        const a = fw.create();
        const reported: ReportedError[] = [];
        a.get('/send', handle(async (_req, res) => { sendData(res, { A: 1 }); }));
        a.get('/state', handle(async (_req, res) => openapiState(res)));
        a.use(errorHandler({ hostId: 'alone.test', defaultFormat: 'JSON', onError: (err) => reported.push(err) }));
        for (const path of ['/send', '/state']) {
          reported.length = 0;
          const res = await request(a).get(path);
          const view = readError(res);
          assert.deepEqual([res.status, view.Code, view.HostId], [500, 'InternalError', 'alone.test']);
          assert.equal(res.headers['content-type'], JSON_TYPE);
          assert.equal(reported.length, 1);
          assert.match(reported[0]!.message, /envelope\(\) must be mounted before this handler/);
        }
        const none = await request(a).get('/nothing?Format=XML');
        assert.equal(none.headers['content-type'], XML_TYPE);
        assert.equal(readError(none).Code, 'InvalidAction');
      });

      it('writes reported bugs to stderr by default', async () => {
        const a = fw.create();
        a.use(envelope());
        a.get('/', handle(async () => { throw new Error('logged bug'); }));
        a.use(errorHandler());
        const original = console.error;
        const logged: unknown[][] = [];
        console.error = (...args: unknown[]) => { logged.push(args); };
        let id: string;
        try {
          id = readError(await request(a).get('/')).RequestId;
        } finally {
          console.error = original;
        }
        assert.equal(logged.length, 1);
        assert.ok(String(logged[0]![0]).includes(id), String(logged[0]![0]));
        assert.equal((logged[0]![1] as Error).message, 'logged bug');
      });
    });
  });
}

describe('Express adapter: start-up checks', () => {
  it('refuses bad options and non-function handlers at start-up', () => {
    assert.throws(() => envelope({ onError: 'log' as unknown as () => void }), TypeError);
    assert.throws(() => envelope({ defaultFormat: 'YAML' as 'XML' }), TypeError);
    assert.throws(() => errorHandler({ bodyLimit: -1 }), TypeError);
    assert.throws(() => handle(undefined as unknown as () => undefined), TypeError);
  });
});

describe('querystringOf()', () => {
  const targets = [
    '/', '/?', '/?a=1', '/p?a=1&b=2', '/?a=1#frag', '/#frag?a=1', '/?a=1?b=2', '/?a=%zz&b=<x>', '/p/q?x=%23#y',
    "/?a='q'&b=`", '/?Format=JSON&Format=XML', '/a?b=c+d&e=%20', '/?&&a=&=b',
  ];
  for (const target of targets) {
    it(`decodes ${JSON.stringify(target)} as Node's url.parse (Koa's ctx.querystring) does`, () => {
      const expected = legacyUrlParse(target).query ?? '';
      assert.equal(querystringOf(target), expected);
      const limits = { maxParameters: 100 };
      let ours: unknown;
      let theirs: unknown;
      try { ours = { ...parseUrlencoded(querystringOf(target), limits) }; } catch (err) { ours = (err as Error).message; }
      try { theirs = { ...parseUrlencoded(expected, limits) }; } catch (err) { theirs = (err as Error).message; }
      assert.deepEqual(ours, theirs);
    });
  }
});
