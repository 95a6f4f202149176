/**
 * Response and error declarations: what is refused when an action is declared, what TypeScript
 * checks, and the development-time check of a handler's data over real HTTP (a mismatch is an
 * InternalError for the client and a ResponseMismatchError on the app's `error` event).
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { z } from 'zod';
import { createRpcApi, defineError, errors, p, ResponseMismatchError, type InferResponse } from '../../lib/index.js';
import { expectError, readSuccess, service, VERSION } from '../rpc/api-support.js';

const NotFound = defineError('InvalidThing.NotFound', 404, 'The specified thing does not exist.');

function declare(response: unknown, errorList?: unknown): () => void {
  const api = createRpcApi({ version: VERSION });
  return () => {
    api.action('BadAction', { response: response as never, ...(errorList !== undefined && { errors: errorList as never }), handler: () => ({}) });
  };
}

describe('reference/response declarations: refused at declaration time, naming the action', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a zod Map', { Things: z.map(z.string(), z.string()) }, /action BadAction: response field "Things" is not plain data \(z\.map\(\)\)/],
    ['a zod function deep inside', { Outer: z.object({ Inner: z.array(z.object({ Fn: z.function() })) }) }, /action BadAction: response field "Outer" is not plain data \(z\.function\(\)\)/],
    ['a zod Set', z.object({ S: z.set(z.string()) }), /action BadAction: .*not plain data \(z\.set\(\)\)/],
    ['z.any()', { Anything: z.any() }, /action BadAction: response field "Anything" has no declared type/],
    ['a record', { Labels: z.record(z.string(), z.string()) }, /action BadAction: response field "Labels" is a record without declared fields/],
    ['a nullable zod field', { N: z.string().nullable() }, /action BadAction: response field "N" is nullable/],
    ['a nullable zod object deep inside', z.object({ A: z.array(z.object({ B: z.object({ C: z.string() }).nullable() })) }), /action BadAction: response field "A\.N\.B" is nullable/],
    ['a union of objects', { U: z.union([z.object({ A: z.string() }), z.object({ B: z.number() })]) }, /action BadAction: response field "U" is a union/],
    ['p.json()', { Ids: p.json(z.array(z.string())) }, /action BadAction: response field "Ids" is p\.json\(\)/],
    ['a default', { Size: p.integer({ default: 10 }) }, /action BadAction: response field "Size" has a default/],
    ['a nested default', { Disk: p.struct({ Size: p.integer({ default: 10 }) }) }, /action BadAction: response field "Disk\.Size" has a default/],
    ['a name that is not an XML element name', { '1st': p.string() }, /action BadAction: response field "1st" is not a name the renderers can write/],
    ['RequestId', { RequestId: p.string() }, /action BadAction: response field "RequestId" is the envelope's own RequestId/],
    ['a plain value', { Name: 'text' }, /action BadAction: response field "Name" is neither a p\.\*\(\) spec nor a zod schema/],
    ['a zod string as the whole response', z.string(), /action BadAction: a zod response must be z\.object\(\)/],
    ['an array', [p.string()], /action BadAction: response must be an object/],
  ];
  for (const [what, response, message] of cases) {
    it(what, () => assert.throws(declare(response), (err: unknown) => err instanceof TypeError && message.test(err.message)));
  }

  it('an error that is not an ApiError class: a plain Error class, an instance, a string', () => {
    assert.throws(declare({}, [TypeError]), /action BadAction: errors\[0\] \(the class TypeError\) is not an ApiError class/);
    assert.throws(declare({}, [NotFound, new NotFound()]), /action BadAction: errors\[1\] \(object\) is not an ApiError class/);
    assert.throws(declare({}, ['InvalidParameter']), /action BadAction: errors\[0\] \(string\) is not an ApiError class/);
    assert.throws(declare({}, NotFound), /action BadAction: errors must be an array/);
  });

  it('a refused declaration leaves the action undeclared', () => {
    const api = createRpcApi({ version: VERSION });
    assert.throws(() => api.action('X', { response: { M: z.map(z.string(), z.string()) } as never, handler: () => ({}) }));
    assert.deepEqual(api.describe().actions, []);
  });

  it('accepts catalogue and defineError classes, keeping their code, status and message, once each', () => {
    const api = createRpcApi({ version: VERSION });
    api.action('Good', { response: {}, errors: [NotFound, errors.InvalidParameter, NotFound], handler: () => undefined });
    assert.deepEqual(api.describe().actions[0]?.errors, [
      { code: 'InvalidThing.NotFound', status: 404, message: 'The specified thing does not exist.' },
      { code: 'InvalidParameter', status: 400, message: 'The specified parameter "{parameter}" is not valid.' },
    ]);
  });
});

describe('reference/response declarations: TypeScript checks the handler against the declaration', () => {
  it('infers the data type from p.* and zod fields (compile-time assertions, run by tsc -p .)', () => {
    const response = {
      InstanceId: p.string({ required: true }),
      Note: p.string(),
      Ids: p.list(p.string(), { required: true }),
      Created: z.date(),
      Maybe: z.number().optional(),
    };
    type Data = InferResponse<typeof response>;
    const ok: Data = { InstanceId: 'i-1', Ids: [], Created: new Date() };
    // @ts-expect-error InstanceId is required
    const missing: Data = { Ids: [], Created: new Date() };
    // @ts-expect-error Ids holds strings
    const wrong: Data = { InstanceId: 'i-1', Ids: [1], Created: new Date() };
    void [ok, missing, wrong];

    const api = createRpcApi({ version: VERSION });
    api.action('Typed', { response, handler: () => ({ InstanceId: 'i-1', Ids: ['a'], Created: new Date() }) });
    // @ts-expect-error the handler must return InstanceId
    api.action('Typed2', { response, handler: () => ({ Ids: ['a'], Created: new Date() }) });
    // @ts-expect-error a string where an integer is declared
    api.action('Typed3', { response: { Count: p.integer({ required: true }) }, handler: async () => ({ Count: '1' }) });
    // Nothing to return when nothing is required; anything goes when no response is declared.
    api.action('Empty', { response: {}, handler: async () => undefined });
    api.action('Free', { handler: () => ({ Whatever: 1 }) });
    assert.equal(api.describe().actions.length, 5);
  });
});

describe('reference/response declarations: the development-time check over HTTP', () => {
  const response = {
    Count: p.integer({ required: true, min: 0 }),
    Items: p.struct({ Item: p.list(p.struct({ Id: p.string({ required: true, maxLength: 8 }), Status: p.enum(['On', 'Off']) })) }),
    Created: z.date().optional(),
    Size: z.number().int().refine((n) => n % 2 === 0, 'must be even').optional(),
  };
  const data: Record<string, unknown> = {};
  const make = (options: { checkResponses?: boolean } = {}) =>
    service(options, (api) => {
      api.action('Checked', { response, errors: [NotFound], handler: () => data as InferResponse<typeof response> });
    });

  async function callChecked(svc: ReturnType<typeof make>, value: Record<string, unknown>) {
    for (const key of Object.keys(data)) delete data[key];
    Object.assign(data, value);
    return request(svc.server).get(`/?Action=Checked&Version=${VERSION}&Format=JSON`);
  }

  it('matching data is sent as it is (absent or undefined optional fields are fine)', async () => {
    const svc = make();
    const res = await callChecked(svc, { Count: 1, Items: { Item: [{ Id: 'a', Status: 'On' }, { Id: 'b', Status: undefined }] }, Created: new Date(0), Size: undefined, Extra: undefined });
    const view = readSuccess(res, 'JSON', 'Checked');
    assert.deepEqual(view.json, { RequestId: view.RequestId, Count: 1, Items: { Item: [{ Id: 'a', Status: 'On' }, { Id: 'b' }] }, Created: '1970-01-01T00:00:00Z' });
    assert.deepEqual(svc.reported, []);
  });

  const mismatches: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a missing required field', {}, 'Count', /Count is missing/],
    ['a wrong type', { Count: '1' }, 'Count', /Count is not an integer/],
    ['a bound', { Count: -1 }, 'Count', /Count is less than 0/],
    ['an undeclared field', { Count: 1, Secret: 'x' }, 'Secret', /Secret is not declared/],
    ['a list item, counted from 1', { Count: 1, Items: { Item: [{ Id: 'a' }, { Id: 'toolongid' }] } }, 'Items.Item.2.Id', /Items\.Item\.2\.Id is longer than 8 characters/],
    ['an enum', { Count: 1, Items: { Item: [{ Id: 'a', Status: 'Maybe' }] } }, 'Items.Item.1.Status', /is not one of On, Off/],
    ['not a list', { Count: 1, Items: { Item: { Id: 'a' } } }, 'Items.Item', /Items\.Item is not an array/],
    ['a class instance for a struct', { Count: 1, Items: new Map() }, 'Items', /Items is not a plain object/],
    ['a string for a Date', { Count: 1, Created: 5 }, 'Created', /Created is not a Date/],
    ['a zod refinement', { Count: 1, Size: 3 }, 'Size', /Size must be even/],
    ['null for an optional field', { Count: 1, Created: null }, 'Created', /Created is null \(null is written in JSON but not in XML/],
    ['null in a list', { Count: 1, Items: { Item: [null] } }, 'Items.Item.1', /is missing \(null or undefined in a list\)/],
  ];
  for (const [what, value, path, message] of mismatches) {
    it(`${what}: InternalError for the client, ResponseMismatchError reported`, async () => {
      const svc = make();
      const res = await callChecked(svc, value);
      expectError(res, 500, 'InternalError', undefined, 'JSON');
      assert.equal(svc.reported.length, 1);
      const reported = svc.reported[0];
      assert.ok(reported instanceof ResponseMismatchError, String(reported));
      assert.equal(reported.action, 'Checked');
      assert.equal(reported.path, path);
      assert.match(reported.message, /^action Checked returned data that does not match its response declaration: /);
      assert.match(reported.message, message);
    });
  }

  it('checkResponses: false sends the data unchecked', async () => {
    const svc = make({ checkResponses: false });
    const res = await callChecked(svc, { Count: 'many', Secret: 'x' });
    const view = readSuccess(res, 'JSON', 'Checked');
    assert.deepEqual(view.json, { RequestId: view.RequestId, Count: 'many', Secret: 'x' });
    assert.deepEqual(svc.reported, []);
  });

  it('is off by default when NODE_ENV is production, on otherwise', async () => {
    const saved = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      const production = make();
      const res = await callChecked(production, { Count: 'many' });
      assert.equal(res.status, 200);
      process.env.NODE_ENV = 'development';
      const development = make();
      expectError(await callChecked(development, { Count: 'many' }), 500, 'InternalError', undefined, 'JSON');
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
  });

  it('a whole z.object() response is checked too (structure, then zod)', async () => {
    const svc = service({}, (api) => {
      api.action('Zod', {
        response: z.object({ Name: z.string().min(2) }),
        handler: (_params, ctx) => ({ Name: ctx.query.Name as string }),
      });
    });
    readSuccess(await request(svc.server).get(`/?Action=Zod&Version=${VERSION}&Format=JSON&Name=ab`), 'JSON', 'Zod');
    expectError(await request(svc.server).get(`/?Action=Zod&Version=${VERSION}&Format=JSON&Name=a`), 500, 'InternalError', undefined, 'JSON');
    assert.match(String(svc.reported[0]), /action Zod returned data that does not match its response declaration: Name is shorter than 2 characters/);
  });
});

describe('reference/response declarations: the development-time check on Express', () => {
  it('a mismatch is InternalError for the client and a ResponseMismatchError for onError', async () => {
    const { default: express } = await import('express');
    const { envelope, errorHandler, expressRpc } = await import('../../lib/express/index.js');
    const api = createRpcApi<import('../../lib/express/index.js').ExpressRpcContext>({ version: VERSION });
    api.action('Checked', { response: { Count: p.integer({ required: true }) }, handler: (_params, ctx) => ({ Count: ctx.req.query.Count === 'text' ? ('text' as unknown as number) : 1 }) });
    const reported: Error[] = [];
    const app = express();
    app.use(envelope({ onError: (err) => reported.push(err) }));
    app.use(expressRpc(api));
    app.use(errorHandler());
    readSuccess(await request(app).get(`/?Action=Checked&Version=${VERSION}&Format=JSON`), 'JSON', 'Checked');
    assert.deepEqual(reported, []);
    expectError(await request(app).get(`/?Action=Checked&Version=${VERSION}&Format=JSON&Count=text`), 500, 'InternalError', undefined, 'JSON');
    assert.equal(reported.length, 1);
    const first: unknown = reported[0];
    assert.ok(first instanceof ResponseMismatchError);
    assert.match(String(first), /action Checked returned data that does not match its response declaration: Count is not an integer/);
  });
});
