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

describe('RPC API: x-acs-action and x-acs-version headers', () => {
  const api = createRpcApi<Koa.Context>({ version: '2014-05-26' });
  api.action('DescribeThings', { handler: () => ({ Served: 'DescribeThings' }) });
  const app = new Koa();
  app.use(envelope());
  app.use(koaRpc(api));
  const server = app.callback();

  it('stand in for Action and Version on a request without a V1 signature (V3 style)', async () => {
    const res = await request(server).get('/?Format=JSON').set('x-acs-action', 'DescribeThings').set('x-acs-version', '2014-05-26');
    assert.equal(JSON.parse(res.text).Served, 'DescribeThings');
  });

  it('never pick the action of a V1-signed request, whose signature does not cover them', async () => {
    const res = await request(server)
      .get('/?Format=JSON&Version=2014-05-26&Signature=abc%3D&AccessKeyId=ak')
      .set('x-acs-action', 'DescribeThings');
    const view = readError(res);
    assert.equal(view.Code, 'MissingParameter');
    assert.match(view.Message, /"Action"/);
  });

  it('lose to the parameters when both are sent (pop-core sends both)', async () => {
    const res = await request(server).get('/?Format=JSON&Action=DescribeThings&Version=2014-05-26').set('x-acs-action', 'Other');
    assert.equal(JSON.parse(res.text).Served, 'DescribeThings');
  });
});
