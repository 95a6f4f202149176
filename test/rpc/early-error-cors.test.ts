/**
 * CORS on every error: with the envelope's `cors` option (the same value as the API's), an error
 * answered before the RPC layer runs (bad Format, body over the limit, malformed encoding, too
 * many parameters) carries the same CORS headers as one answered inside it, on Koa and Express.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import Koa from 'koa';
import express from 'express';
import request from 'supertest';
import { createRpcApi, envelope, koaRpc, type CorsOptions } from '../../lib/index.js';
import { envelope as expressEnvelope, errorHandler, expressRpc, type ExpressRpcContext } from '../../lib/express/index.js';

const VERSION = '2014-05-26';
const CORS: CorsOptions = { origin: 'https://console.example.com' };
const FORM = 'application/x-www-form-urlencoded';

function koaService(): http.Server {
  const api = createRpcApi<Koa.Context>({ version: VERSION, cors: CORS });
  api.action('DescribeRegions', { handler: () => ({ Regions: {} }) });
  const app = new Koa();
  app.use(envelope({ cors: CORS, bodyLimit: 64, maxParameters: 5 }));
  app.use(koaRpc(api));
  app.silent = true;
  return http.createServer(app.callback());
}

function expressService(): http.Server {
  const api = createRpcApi<ExpressRpcContext>({ version: VERSION, cors: CORS });
  api.action('DescribeRegions', { handler: () => ({ Regions: {} }) });
  const app = express();
  app.use(expressEnvelope({ cors: CORS, bodyLimit: 64, maxParameters: 5, onError: () => undefined }));
  app.use(expressRpc(api));
  app.use(errorHandler());
  return http.createServer(app);
}

/** Early errors: answered by the envelope, before koaRpc / expressRpc run. */
const EARLY: ReadonlyArray<{ name: string; send: (server: http.Server) => request.Test; status: number; code: string }> = [
  { name: 'a bad Format', send: (s) => request(s).get(`/?Action=DescribeRegions&Version=${VERSION}&Format=YAML`), status: 400, code: 'InvalidParameter' },
  { name: 'malformed percent-encoding', send: (s) => request(s).get('/?Action=%ZZ'), status: 400, code: 'InvalidParameter' },
  { name: 'invalid UTF-8', send: (s) => request(s).get('/?Action=%C3%28'), status: 400, code: 'InvalidParameter' },
  { name: 'too many parameters', send: (s) => request(s).get('/?a=1&b=2&c=3&d=4&e=5&f=6'), status: 400, code: 'InvalidParameter' },
  {
    name: 'a form body over the limit',
    send: (s) => request(s).post('/').set('content-type', FORM).send(`Action=DescribeRegions&Pad=${'x'.repeat(100)}`),
    status: 400,
    code: 'InvalidParameter',
  },
  {
    name: 'malformed encoding in the form body',
    send: (s) => request(s).post('/').set('content-type', FORM).send('Action=%E2%28'),
    status: 400,
    code: 'InvalidParameter',
  },
];

function assertCors(res: request.Response): void {
  assert.equal(res.headers['access-control-allow-origin'], 'https://console.example.com');
  assert.equal(res.headers['access-control-expose-headers'], 'x-acs-request-id, x-acs-retry-after');
}

for (const [framework, make] of [
  ['Koa', koaService],
  ['Express', expressService],
] as const) {
  describe(`CORS on early errors (${framework})`, () => {
    const server = make();
    for (const early of EARLY) {
      it(`${early.name}: ${early.status} ${early.code} with the CORS headers`, async () => {
        const res = await early.send(server).buffer(true);
        assert.equal(res.status, early.status);
        assert.match(res.text, new RegExp(`<Code>${early.code.replace('.', '\\.')}</Code>`));
        assertCors(res);
      });
    }

    it('an error inside the RPC layer carries the same headers (unknown Action)', async () => {
      const res = await request(server).get(`/?Action=Nope&Version=${VERSION}&Format=JSON`);
      assert.equal(res.status, 403);
      assert.equal(res.body.Code, 'InvalidAction');
      assertCors(res);
    });

    it('a success carries them once (not repeated by the API)', async () => {
      const res = await request(server).get(`/?Action=DescribeRegions&Version=${VERSION}&Format=JSON`);
      assert.equal(res.status, 200);
      assertCors(res); // a repeated header would arrive joined ("a, a") and fail this
    });
  });
}

describe('CORS off by default on the envelope', () => {
  it('an early error has no CORS header when the envelope has no cors option', async () => {
    const app = new Koa();
    app.use(envelope());
    const res = await request(http.createServer(app.callback())).get('/?Format=YAML');
    assert.equal(res.status, 400);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  it('envelope({ cors: true }) sends origin *', async () => {
    const app = express();
    app.use(expressEnvelope({ cors: true }));
    app.use(errorHandler());
    const res = await request(app).get('/?Format=YAML');
    assert.equal(res.status, 400);
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });

  it("Express: an error raised before envelope() takes errorHandler({ cors })'s policy", async () => {
    const app = express();
    app.use(express.json());
    app.use(expressEnvelope({ cors: CORS }));
    app.use(errorHandler({ cors: CORS }));
    const res = await request(app).post('/').set('content-type', 'application/json').send('{"broken');
    assert.equal(res.status, 400);
    assert.match(res.text, /<Code>InvalidParameter<\/Code>/);
    assertCors(res);
  });
});
