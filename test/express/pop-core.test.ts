/**
 * A real `@alicloud/pop-core` 1.8 client against Express 5 and Express 4 services: it gets the data
 * on success and, on a typed error, an Error with the right `code` and `data.RequestId`.
 * (No signature is checked yet, so any key works.)
 */
import assert from 'node:assert/strict';
import RPCClient from '@alicloud/pop-core';
import express from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import { envelope, handle, errorHandler, openapiState, errors, defineError, type ParamRecord, type ReportedError } from '../../lib/express/index.js';
import { listen } from './raw-http.js';
import { REQUEST_ID } from '../support/http.js';

const InstanceNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId {instanceId} does not exist.');

type Action = (params: ParamRecord) => object | Promise<object>;

const actions: Readonly<Record<string, Action>> = {
  DescribeRegions: () => ({ Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）' }] } }),
  DescribeInstances: (params) => {
    const ids = Object.keys(params).filter((name) => /^InstanceId\.\d+$/.test(name)).map((name) => params[name]);
    return {
      TotalCount: ids.length,
      OwnerId: 2n ** 63n - 1n,
      CreationTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      Instances: { Instance: ids.map((id) => ({ InstanceId: id, RegionId: params.RegionId })) },
      Received: { Format: params.Format, Version: params.Version, SignatureMethod: params.SignatureMethod },
    };
  },
  DeleteInstance: (params) => {
    throw new InstanceNotFound({ instanceId: String(params.InstanceId) });
  },
  RebootInstance: () => {
    throw new errors.MissingParameter('InstanceId');
  },
  Crash: async () => {
    throw new Error('database exploded at /srv/db.js:1');
  },
};

function service(createApp: () => Express) {
  const app = createApp();
  const reported: ReportedError[] = [];
  app.use(envelope({ hostId: 'ecs.example.test', onError: (err) => reported.push(err) }));
  app.all(
    '/',
    handle(async (_req, res, next) => {
      const { params } = openapiState(res);
      const name = params.all.Action;
      const action = typeof name === 'string' && Object.hasOwn(actions, name) ? actions[name] : undefined;
      if (action === undefined || typeof name !== 'string') {
        next(); // falls through to errorHandler(): InvalidAction
        return undefined;
      }
      res.locals.action = name;
      return action(params.all);
    }),
  );
  app.use(errorHandler());
  return { app, reported };
}

interface PopError extends Error {
  code: string;
  data: Record<string, unknown> & { RequestId: string };
}

/** json-bigint builds null-prototype objects: compare plain copies. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

async function rejection(promise: Promise<unknown>): Promise<PopError> {
  try {
    await promise;
  } catch (err) {
    return err as PopError;
  }
  throw new assert.AssertionError({ message: 'the client call succeeded; an error was expected' });
}

for (const [label, createApp] of [['Express 5', () => express()], ['Express 4', () => express4()]] as const) {
  describe(`@alicloud/pop-core against the ${label} adapter`, () => {
    let close: () => Promise<void>;
    let client: RPCClient;
    let reported: ReportedError[];

    before(async () => {
      const svc = service(createApp);
      reported = svc.reported;
      const server = await listen(svc.app);
      close = server.close;
      client = new RPCClient({ accessKeyId: 'test-ak', accessKeySecret: 'any-secret', endpoint: `http://127.0.0.1:${server.port}`, apiVersion: '2014-05-26' });
    });

    after(() => close());
    beforeEach(() => {
      reported.length = 0;
    });

    for (const method of ['GET', 'POST'] as const) {
      it(`${method}: returns the data, with a RequestId`, async () => {
        const result = await client.request<{ RequestId: string; Regions: { Region: Array<{ RegionId: string; LocalName: string }> } }>('DescribeRegions', {}, { method });
        assert.match(result.RequestId, REQUEST_ID);
        assert.deepEqual(plain(result.Regions.Region), [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）' }]);
      });
    }

    it('POST: flattened repeat lists reach the handler; bigint and Date arrive exactly', async () => {
      const result = await client.request<Record<string, unknown> & { OwnerId: { toString(): string }; Instances: { Instance: unknown[] } }>(
        'describeInstances',
        { RegionId: 'cn-hangzhou', InstanceId: ['i-1', 'i 2*'] },
        { method: 'POST' },
      );
      assert.equal(result.TotalCount, 2);
      assert.equal(result.OwnerId.toString(), '9223372036854775807'); // json-bigint keeps every digit
      assert.equal(result.CreationTime, '2024-01-02T03:04:05Z');
      assert.deepEqual(plain(result.Instances.Instance), [
        { InstanceId: 'i-1', RegionId: 'cn-hangzhou' },
        { InstanceId: 'i 2*', RegionId: 'cn-hangzhou' },
      ]);
      assert.deepEqual(plain(result.Received), { Format: 'JSON', Version: '2014-05-26', SignatureMethod: 'HMAC-SHA1' });
    });

    for (const method of ['GET', 'POST'] as const) {
      it(`${method}: a typed error arrives with its code, message and data.RequestId`, async () => {
        const err = await rejection(client.request('DeleteInstance', { InstanceId: 'i-404' }, { method }));
        assert.equal(err.code, 'InvalidInstanceId.NotFound');
        assert.equal(err.name, 'InvalidInstanceId.NotFoundError');
        assert.ok(err.message.startsWith('The specified InstanceId i-404 does not exist., URL: http://127.0.0.1:'), err.message);
        assert.match(err.data.RequestId, REQUEST_ID);
        assert.equal(err.data.HostId, 'ecs.example.test');
        assert.equal(reported.length, 0);
      });
    }

    it('a catalogue error thrown synchronously', async () => {
      const err = await rejection(client.request('RebootInstance', {}, { method: 'POST' }));
      assert.equal(err.code, 'MissingParameter');
      assert.match(err.data.RequestId, REQUEST_ID);
    });

    it('an unknown Action is InvalidAction', async () => {
      const err = await rejection(client.request('NoSuchAction', {}, { method: 'POST' }));
      assert.equal(err.code, 'InvalidAction');
      assert.match(err.data.RequestId, REQUEST_ID);
    });

    it('a bug is InternalError without details, reported with the same RequestId', async () => {
      const err = await rejection(client.request('Crash', {}, { method: 'POST' }));
      assert.equal(err.code, 'InternalError');
      assert.ok(!JSON.stringify(err.data).includes('/srv/db.js'));
      assert.equal(reported.length, 1);
      assert.equal(reported[0]!.requestId, err.data.RequestId);
      assert.equal(reported[0]!.message, 'database exploded at /srv/db.js:1');
    });
  });
}
