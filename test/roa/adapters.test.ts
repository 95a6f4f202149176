/**
 * Mounting mistakes with the ROA adapters: a JSON body parser mounted before the ROA API consumed
 * the body (InternalError, reported as RoaBodyUnavailableError, never a hang or a wrong answer), and
 * an RPC API mounted before a ROA API on the same app (each answers its own paths).
 */
import assert from 'node:assert/strict';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import { createRoaApi, createRpcApi, envelope, koaRoa, koaRpc, RoaBodyUnavailableError } from '../../lib/index.js';
import { envelope as expressEnvelope, errorHandler, expressRoa, expressRpc, type ExpressRpcContext } from '../../lib/express/index.js';

function apis<Ctx>() {
  const roa = createRoaApi<Ctx>({ version: '2015-12-15' }).route('POST', '/things', { action: 'CreateThing', anonymous: true, handler: () => ({ ok: true }) });
  const rpc = createRpcApi<Ctx>({ version: '2014-05-26' }).action('DescribeRegions', { anonymous: true, handler: () => ({ Regions: { Region: [] } }) });
  return { roa, rpc };
}

describe('roa/adapters: mounting', () => {
  it('Express: a JSON body parser before expressRoa is InternalError 500, reported as RoaBodyUnavailableError', async () => {
    const reported: Error[] = [];
    const app = express();
    app.use(expressEnvelope({ hostId: 'h', onError: (err) => reported.push(err) }));
    app.use(express.json());
    app.use(expressRoa(apis<ExpressRpcContext>().roa));
    app.use(errorHandler());
    const res = await request(app).post('/things').set('x-acs-version', '2015-12-15').set('content-type', 'application/json').send('{"a":1}');
    assert.equal(res.status, 500);
    assert.equal((res.body as { Code: string }).Code, 'InternalError');
    assert.equal(reported.length, 1);
    assert.ok(reported[0] instanceof RoaBodyUnavailableError);
  });

  for (const framework of ['koa', 'express'] as const) {
    it(`${framework}: an RPC API on '/' and a ROA API beside it each answer their own requests`, async () => {
      let server: Parameters<typeof request>[0];
      if (framework === 'koa') {
        const { roa, rpc } = apis<Koa.Context>();
        const app = new Koa();
        app.use(envelope()).use(koaRpc(rpc)).use(koaRoa(roa));
        server = app.callback();
      } else {
        const { roa, rpc } = apis<ExpressRpcContext>();
        const app = express();
        app.use(expressEnvelope()).use(expressRpc(rpc)).use(expressRoa(roa)).use(errorHandler());
        server = app;
      }
      const rpcRes = await request(server).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON');
      assert.equal(rpcRes.status, 200);
      assert.deepEqual(Object.keys(rpcRes.body as object), ['RequestId', 'Regions']);
      const roaRes = await request(server).post('/things').set('x-acs-version', '2015-12-15').set('content-type', 'application/json').send('{}');
      assert.equal(roaRes.status, 200);
      assert.equal(roaRes.text, '{"ok":true}');
      const other = await request(server).get('/nothing').set('x-acs-version', '2015-12-15');
      assert.equal(other.status, 404);
      assert.equal((other.body as { Code: string }).Code, 'InvalidAction.NotFound');
    });
  }
});
