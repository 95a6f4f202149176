/**
 * Issue 3, real clients over loopback against a Koa service (envelope() + koaRpc(api)):
 * `@alicloud/pop-core` (GET and POST) and `@alicloud/openapi-client` in Signature V1 mode
 * (`signatureAlgorithm: 'v2'`, params flattened by `OpenApiUtil.query`) and in its default V3 mode
 * (Action and Version in `x-acs-action` / `x-acs-version`). They send repeat lists, lists of structs,
 * structs and nested lists with values that stress the wire encoding; the handler must receive
 * exactly the values given. No signature is verified here (any key works).
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import fc from 'fast-check';
import { z } from 'zod';
import RPCClient from '@alicloud/pop-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import * as $Util from '@alicloud/tea-util';
import { createRpcApi, envelope, errors, koaRpc, p } from '../../lib/index.js';
import { listen, type Listening } from '../support/listen.js';

const VERSION = '2014-05-26';
/** Every character the SDKs encode differently, plus spaces, `+ / ~`, Chinese and an emoji. */
const TRICKY = "a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀";
const PUNCTUATION = "* ! ' ( ) ~ + /";

const DECLARATION = {
  RegionId: p.string({ required: true }),
  Name: p.string(),
  Count: p.integer(),
  Quota: p.long(),
  Enabled: p.boolean(),
  Filter: p.json(z.object({ Status: z.array(z.string()), Name: z.string() })),
  InstanceId: p.list(p.string(), { maxItems: 100 }),
  Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 }),
  SystemDisk: p.struct({ Category: p.string(), Size: p.integer(), Description: p.string() }),
  Matrix: p.list(p.list(p.string())),
};

/** JSON text of the handler's params, bigint as `"<digits>n"` so it survives every JSON parser. */
function describeValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

interface Received {
  readonly params: Record<string, unknown>;
  readonly method: string;
  readonly headerAction: string | undefined;
  /** The Action as a parameter (absent for Signature V3 requests). */
  readonly actionParam: unknown;
}

describe('rpc/clients: real SDKs against koaRpc', () => {
  let server: Listening;
  const received: Received[] = [];

  before(async () => {
    const api = createRpcApi<Koa.Context>({ version: VERSION });
    api.action('EchoParams', {
      params: DECLARATION,
      handler: (params, ctx) => {
        received.push({ params, method: ctx.method, headerAction: ctx.get('x-acs-action') || undefined, actionParam: ctx.state.openapi?.params.all.Action });
        return { Echo: describeValue(params) };
      },
    });
    api.action('RefuseAll', {
      handler: () => {
        throw new errors['Forbidden.AccessKeyDisabled']();
      },
    });
    const app = new Koa();
    app.use(envelope({ hostId: 'clients.test' }));
    app.use(koaRpc(api));
    server = await listen(app.callback());
  });
  after(() => server.close());

  function last(): Received {
    const r = received[received.length - 1];
    assert.ok(r !== undefined, 'the handler was called');
    return r;
  }

  /** The handler's params must equal `expected`, and the echo the client read back must say the same. */
  function assertReceived(echo: unknown, expected: Record<string, unknown>): void {
    assert.deepEqual(last().params, expected);
    assert.equal(echo, describeValue(expected));
  }

  describe('@alicloud/pop-core 1.8', () => {
    function client(): RPCClient {
      return new RPCClient({ accessKeyId: 'any-key', accessKeySecret: 'any-secret', endpoint: server.endpoint, apiVersion: VERSION });
    }

    const input = {
      RegionId: 'cn-hangzhou',
      Name: TRICKY,
      Count: 3,
      Quota: '9007199254740993',
      Enabled: true,
      Filter: JSON.stringify({ Status: ['Running', PUNCTUATION], Name: '中文 😀' }),
      InstanceId: ['i-1', TRICKY, PUNCTUATION, '中文', '😀', ''],
      Tag: [
        { Key: 'env', Value: TRICKY },
        { Key: '中文 key', Value: '😀 value' },
        { Key: PUNCTUATION },
      ],
      // pop-core does not flatten a top-level object: structs are sent by their flat names.
      'SystemDisk.Category': 'cloud essd',
      'SystemDisk.Size': 40,
      'SystemDisk.Description': PUNCTUATION,
      Matrix: [['a b', PUNCTUATION], ['中文😀']],
    };
    const expected = {
      RegionId: 'cn-hangzhou',
      Name: TRICKY,
      Count: 3,
      Quota: 9007199254740993n,
      Enabled: true,
      Filter: { Status: ['Running', PUNCTUATION], Name: '中文 😀' },
      InstanceId: ['i-1', TRICKY, PUNCTUATION, '中文', '😀', ''],
      Tag: [{ Key: 'env', Value: TRICKY }, { Key: '中文 key', Value: '😀 value' }, { Key: PUNCTUATION }],
      SystemDisk: { Category: 'cloud essd', Size: 40, Description: PUNCTUATION },
      Matrix: [['a b', PUNCTUATION], ['中文😀']],
    };

    for (const method of ['GET', 'POST'] as const) {
      it(`${method}: lists, lists of structs, structs and nested lists arrive exactly`, async () => {
        const result = (await client().request('EchoParams', input, { method })) as { RequestId: string; Echo: string };
        assert.match(result.RequestId, /^[0-9A-F-]{36}$/);
        assert.equal(last().method, method);
        assertReceived(result.Echo, expected);
      });

      it(`${method}: a parameter error reaches the client as a typed error with the wire name`, async () => {
        const err = (await client()
          .request('EchoParams', { RegionId: 'cn-hangzhou', Tag: [{ Key: 'a' }, { Value: 'no key' }] }, { method })
          .then(
            () => assert.fail('expected an error'),
            (e: unknown) => e,
          )) as Error & { code: string; data: { RequestId: string; Message: string } };
        assert.equal(err.code, 'MissingParameter');
        assert.equal(err.data.Message, 'The input parameter "Tag.2.Key" that is mandatory for processing this request is not supplied.');
        assert.match(err.data.RequestId, /^[0-9A-F-]{36}$/);
      });
    }

    it('an unknown action is InvalidAction for pop-core', async () => {
      const err = (await client()
        .request('DescribeNothing', {}, { method: 'POST' })
        .then(
          () => assert.fail('expected an error'),
          (e: unknown) => e,
        )) as Error & { code: string };
      assert.equal(err.code, 'InvalidAction');
    });
  });

  describe('@alicloud/openapi-client 0.4', () => {
    type CallApi = { callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ body: Record<string, unknown>; statusCode: number }> };

    function client(signatureAlgorithm?: 'v2'): CallApi {
      const config = new $OpenApi.Config({
        accessKeyId: 'any-key',
        accessKeySecret: 'any-secret',
        endpoint: `127.0.0.1:${server.port}`,
        protocol: 'HTTP',
        ...(signatureAlgorithm === undefined ? {} : { signatureAlgorithm }),
      });
      return new (OpenApiClient as unknown as new (config: unknown) => CallApi)(config);
    }

    function params(action: string): unknown {
      return new $OpenApi.Params({
        action,
        version: VERSION,
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
    }

    const queryPart = {
      RegionId: 'cn-hangzhou',
      Name: TRICKY,
      Quota: '-9223372036854775808',
      InstanceId: ['i-1', TRICKY, PUNCTUATION, '中文', '😀'],
      Tag: [
        { Key: 'env', Value: TRICKY },
        { Key: '中文 key', Value: '😀 value' },
      ],
    };
    const bodyPart = {
      Count: -7,
      Enabled: false,
      Filter: JSON.stringify({ Status: [PUNCTUATION], Name: TRICKY }),
      SystemDisk: { Category: 'cloud essd', Size: 40, Description: TRICKY },
      Matrix: [['x', PUNCTUATION], ['中文😀', '+', '/']],
    };
    const expected = {
      RegionId: 'cn-hangzhou',
      Name: TRICKY,
      Count: -7,
      Quota: -9223372036854775808n,
      Enabled: false,
      Filter: { Status: [PUNCTUATION], Name: TRICKY },
      InstanceId: ['i-1', TRICKY, PUNCTUATION, '中文', '😀'],
      Tag: [{ Key: 'env', Value: TRICKY }, { Key: '中文 key', Value: '😀 value' }],
      SystemDisk: { Category: 'cloud essd', Size: 40, Description: TRICKY },
      Matrix: [['x', PUNCTUATION], ['中文😀', '+', '/']],
    };

    for (const mode of ['V1 (signatureAlgorithm v2)', 'V3 (default)'] as const) {
      const algorithm = mode.startsWith('V1') ? 'v2' : undefined;

      it(`${mode}: query flattened by OpenApiUtil.query plus a form body arrive exactly`, async () => {
        // Both modes flatten a nested body themselves (doRPCRequest with OpenApiUtil.query, doRequest with toForm).
        const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query(queryPart), body: bodyPart });
        const response = await client(algorithm).callApi(params('EchoParams'), request, new $Util.RuntimeOptions({}));
        assert.equal(response.statusCode, 200);
        assert.match(String(response.body.RequestId), /^[0-9A-F-]{36}$/);
        assertReceived(response.body.Echo, expected);
        assert.equal(last().method, 'POST');
        assert.equal(last().headerAction, 'EchoParams');
        // V1 sends Action as a parameter; V3 only in the x-acs-action header.
        assert.equal(last().actionParam, algorithm === 'v2' ? 'EchoParams' : undefined);
      });

      it(`${mode}: everything in the query`, async () => {
        const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ ...queryPart, ...bodyPart }) });
        const response = await client(algorithm).callApi(params('EchoParams'), request, new $Util.RuntimeOptions({}));
        assertReceived(response.body.Echo, expected);
      });

      it(`${mode}: a protocol error reaches the client with its code and RequestId`, async () => {
        const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou' }) });
        const err = (await client(algorithm)
          .callApi(params('RefuseAll'), request, new $Util.RuntimeOptions({}))
          .then(
            () => assert.fail('expected an error'),
            (e: unknown) => e,
          )) as Error & { code: string; data: { RequestId: string; statusCode: number } };
        assert.equal(err.code, 'Forbidden.AccessKeyDisabled');
        assert.equal(err.data.statusCode, 403);
        assert.match(err.data.RequestId, /^[0-9A-F-]{36}$/);
      });

      it(`${mode}: an invalid list item is named with its index`, async () => {
        const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou', Tag: [{ Key: 'a' }, { Key: 'b' }, { Value: 'v' }] }) });
        const err = (await client(algorithm)
          .callApi(params('EchoParams'), request, new $Util.RuntimeOptions({}))
          .then(
            () => assert.fail('expected an error'),
            (e: unknown) => e,
          )) as Error & { code: string; message: string };
        assert.equal(err.code, 'MissingParameter');
        assert.match(err.message, /"Tag\.3\.Key"/);
      });
    }
  });

  describe('property: any parameter object, flattened by the SDK, arrives as given', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const tag = fc.record({ Key: text, Value: fc.option(text, { nil: undefined }) }, { requiredKeys: ['Key'], noNullPrototype: true });
    const disk = fc.record(
      { Category: fc.option(text, { nil: undefined }), Size: fc.option(fc.integer(), { nil: undefined }), Description: fc.option(text, { nil: undefined }) },
      { requiredKeys: [], noNullPrototype: true },
    );
    const object = fc.record(
      {
        Name: text,
        Count: fc.integer(),
        Quota: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        Enabled: fc.boolean(),
        InstanceId: fc.array(text, { maxLength: 6 }),
        Tag: fc.array(tag, { maxLength: 4 }),
        SystemDisk: disk,
        Matrix: fc.array(fc.array(text, { maxLength: 3 }), { maxLength: 3 }),
      },
      { requiredKeys: [], noNullPrototype: true },
    );

    /** What the handler must receive for `input`: absent, empty lists and empty structs are not sent. */
    function expectedFor(input: Record<string, unknown>): Record<string, unknown> {
      const out: Record<string, unknown> = { RegionId: 'cn-hangzhou' };
      for (const [key, value] of Object.entries(input)) {
        if (value === undefined) continue;
        if (key === 'Tag') {
          const tags = (value as Array<Record<string, unknown>>).map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)));
          if (tags.length > 0) out.Tag = tags;
        } else if (key === 'SystemDisk') {
          const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
          if (fields.length > 0) out.SystemDisk = Object.fromEntries(fields);
        } else if (key === 'Matrix') {
          const rows = (value as string[][]).filter((row) => row.length > 0);
          if (rows.length > 0) out.Matrix = rows;
        } else if (Array.isArray(value)) {
          if (value.length > 0) out[key] = value;
        } else {
          out[key] = value;
        }
      }
      return out;
    }

    /** The SDK-side form of `input` (bigint as decimal text, as a caller would pass a Long). */
    function sdkInput(input: Record<string, unknown>): Record<string, unknown> {
      return { RegionId: 'cn-hangzhou', ...input, ...(typeof input.Quota === 'bigint' ? { Quota: input.Quota.toString() } : {}) };
    }

    it('openapi-client V1: OpenApiUtil.query in the query, the rest in a form body', async () => {
      const openapi = new (OpenApiClient as unknown as new (config: unknown) => {
        callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ body: Record<string, unknown> }>;
      })(new $OpenApi.Config({ accessKeyId: 'k', accessKeySecret: 's', endpoint: `127.0.0.1:${server.port}`, protocol: 'HTTP', signatureAlgorithm: 'v2' }));
      const apiParams = new $OpenApi.Params({ action: 'EchoParams', version: VERSION, protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
      await fc.assert(
        fc.asyncProperty(object, fc.boolean(), async (input, split) => {
          const all = sdkInput(input);
          const inQuery = split ? Object.fromEntries(Object.entries(all).filter(([k]) => k < 'N')) : all;
          const inBody = split ? Object.fromEntries(Object.entries(all).filter(([k]) => k >= 'N')) : undefined;
          const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query(inQuery), ...(inBody === undefined ? {} : { body: inBody }) });
          const response = await openapi.callApi(apiParams, request, new $Util.RuntimeOptions({}));
          const expected = expectedFor(input);
          assert.deepEqual(last().params, expected);
          assert.equal(response.body.Echo, describeValue(expected));
        }),
        { numRuns: 60 },
      );
    });

    it('pop-core POST: its own flattening of lists and lists of structs', async () => {
      const pop = new RPCClient({ accessKeyId: 'k', accessKeySecret: 's', endpoint: server.endpoint, apiVersion: VERSION });
      // pop-core sends undefined as the text "undefined" and does not flatten a top-level object, so
      // the struct goes by its flat names and absent optional fields are left out.
      const popObject = object.map((input) => {
        const { SystemDisk, ...rest } = input;
        const flat: Record<string, unknown> = { ...rest };
        if (rest.Tag !== undefined) flat.Tag = rest.Tag.map((t) => (t.Value === undefined ? { Key: t.Key } : t));
        for (const [field, value] of Object.entries(SystemDisk ?? {})) if (value !== undefined) flat[`SystemDisk.${field}`] = value;
        return { input, flat };
      });
      await fc.assert(
        fc.asyncProperty(popObject, async ({ input, flat }) => {
          const result = (await pop.request('EchoParams', sdkInput(flat), { method: 'POST' })) as { Echo: string };
          const expected = expectedFor(input);
          assert.deepEqual(last().params, expected);
          assert.equal(result.Echo, describeValue(expected));
        }),
        { numRuns: 60 },
      );
    });
  });
});
