/**
 * The real `@alicloud/pop-core` client against a Koa service using envelope(): success data, and
 * errors surfaced with the right code and RequestId (pop-core reads only the body's Code).
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import RPCClient from '@alicloud/pop-core';
import { envelope, errors } from '../../lib/index.js';
import { listen, type Listening } from '../support/listen.js';

interface PopError extends Error {
  code: string;
  data: { RequestId: string; HostId: string; Code: string; Message: string };
}

describe('@alicloud/pop-core against envelope()', () => {
  let server: Listening;
  let client: RPCClient;

  before(async () => {
    const app = new Koa();
    app.use(envelope({ hostId: 'pop.test' }));
    app.use(async (ctx) => {
      const action = ctx.state.openapi?.params.all.Action;
      if (action === 'DescribeRegions') {
        ctx.state.action = action;
        ctx.body = { Regions: { Region: [{ RegionId: 'cn-hangzhou' }] }, OwnerId: 2n ** 62n + 1n };
        return;
      }
      throw new errors['InvalidAccessKeyId.NotFound']();
    });
    server = await listen(app.callback());
    client = new RPCClient({ accessKeyId: 'ak', accessKeySecret: 'sk', endpoint: server.endpoint, apiVersion: '2014-05-26' });
  });
  after(() => server.close());

  for (const method of ['GET', 'POST'] as const) {
    it(`gets the data on success (${method})`, async () => {
      const result = (await client.request('DescribeRegions', {}, { method })) as {
        RequestId: string;
        Regions: { Region: Array<{ RegionId: string }> };
        OwnerId: { toString(): string };
      };
      assert.match(result.RequestId, /^[0-9A-F-]{36}$/);
      assert.equal(result.Regions.Region[0]!.RegionId, 'cn-hangzhou');
      assert.equal(result.OwnerId.toString(), (2n ** 62n + 1n).toString(), 'json-bigint keeps 64-bit integers exact');
    });

    it(`surfaces a typed error with its code and RequestId (${method})`, async () => {
      const err = (await client.request('DescribeZones', {}, { method }).then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      )) as PopError;
      assert.equal(err.code, 'InvalidAccessKeyId.NotFound');
      assert.equal(err.name, 'InvalidAccessKeyId.NotFoundError');
      assert.match(err.data.RequestId, /^[0-9A-F-]{36}$/);
      assert.equal(err.data.HostId, 'pop.test');
      assert.ok(err.message.startsWith('The specified Access Key ID does not exist.'));
    });
  }
});
