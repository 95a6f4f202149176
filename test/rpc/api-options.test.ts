import assert from 'node:assert/strict';
import Koa from 'koa';
import request from 'supertest';
import { envelope, createRpcApi, koaRpc, p } from '../../lib/index.js';
import { readError } from '../support/http.js';

describe('RPC API: ClientToken on idempotent actions in strict mode', () => {
  const api = createRpcApi<Koa.Context>({ version: '2014-05-26', strict: true });
  api.action('CreateThing', { idempotent: true, params: { Name: p.string({ required: true }) }, handler: ({ Name }) => ({ Name }) });
  api.action('ReadThing', { params: { Name: p.string({ required: true }) }, handler: ({ Name }) => ({ Name }) });
  const app = new Koa();
  app.use(envelope());
  app.use(koaRpc(api));
  const server = app.callback();
  const base = '/?Format=JSON&Version=2014-05-26&Name=n&ClientToken=t-1';

  it('accepts ClientToken without declaring it when the action is idempotent', async () => {
    const res = await request(server).get(`${base}&Action=CreateThing`);
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.text).Name, 'n');
  });

  it('still rejects it as UnsupportedParameter on a strict action that is not idempotent', async () => {
    const res = await request(server).get(`${base}&Action=ReadThing`);
    const view = readError(res);
    assert.equal(view.Code, 'UnsupportedParameter');
    assert.match(view.Message, /ClientToken/);
  });
});

describe('RPC API: path option', () => {
  it('accepts literal paths and refuses route syntax for both frameworks alike', () => {
    for (const path of ['/', '/api', '/v1/ecs/', '/a-b_c.d~e']) assert.doesNotThrow(() => createRpcApi({ version: 'v', path }));
    for (const path of ['api', '/:id', '/a/*', '/(x)', '/a?b', '/a b', '']) {
      assert.throws(() => createRpcApi({ version: 'v', path }), TypeError, path);
    }
  });
});
