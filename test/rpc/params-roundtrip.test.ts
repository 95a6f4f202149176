/**
 * Round trips through the real SDK flatteners: a parameter object flattened by
 * `OpenApiUtil.query` (@alicloud/openapi-util, used by every generated SDK) or sent by
 * `@alicloud/pop-core` over loopback, then parsed back with a matching declaration, gives the
 * original object (absent empty lists/structs, null list items compacted away).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import RPCClient from '@alicloud/pop-core';
import OpenApiUtil from '@alicloud/openapi-util';
import { parseUrlencoded } from '../../lib/core/params/urlencoded.js';
import {
  COMMON_PARAMETERS,
  p,
  parseParams,
  unflatten,
  type Declaration,
  type FlatParams,
  type ParamSpec,
  type Presence,
} from '../../lib/rpc/params/index.js';

// ---- random declarations and matching values -------------------------------------------------

type Shape =
  | { readonly t: 'string' | 'integer' | 'long' | 'float' | 'boolean' }
  | { readonly t: 'enum'; readonly values: readonly [string, ...string[]] }
  | { readonly t: 'list'; readonly item: Shape }
  | { readonly t: 'struct'; readonly fields: readonly Field[] };
interface Field {
  readonly name: string;
  readonly shape: Shape;
  /** Only scalars are ever required, so a generated value is always complete. */
  readonly required: boolean;
}

const SCALARS = ['string', 'integer', 'long', 'float', 'boolean'] as const;
const fieldName = fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,6}$/);

function isScalar(shape: Shape): boolean {
  return shape.t !== 'list' && shape.t !== 'struct';
}

function fieldsArb(shape: fc.Arbitrary<Shape>, maxFields: number): fc.Arbitrary<Field[]> {
  return fc
    .uniqueArray(fc.tuple(fieldName, shape, fc.boolean()), { minLength: 1, maxLength: maxFields, selector: ([name]) => name })
    .map((entries) => entries.map(([name, s, required]) => ({ name, shape: s, required: required && isScalar(s) })));
}

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALARS).map((t) => ({ t })),
    fc.uniqueArray(fc.stringMatching(/^[A-Za-z][a-z0-9.-]{0,5}$/), { minLength: 1, maxLength: 4 }).map((values) => ({
      t: 'enum' as const,
      values: values as unknown as readonly [string, ...string[]],
    })),
    tie('shape').map((item) => ({ t: 'list' as const, item })),
    fieldsArb(tie('shape'), 4).map((fields) => ({ t: 'struct' as const, fields })),
  ),
})).shape;

function specOf(shape: Shape, required: boolean): ParamSpec<unknown, Presence> {
  const o = required ? { required: true as const } : {};
  switch (shape.t) {
    case 'string':
      return p.string(o);
    case 'integer':
      return p.integer(o);
    case 'long':
      return p.long(o);
    case 'float':
      return p.float(o);
    case 'boolean':
      return p.boolean(o);
    case 'enum':
      return p.enum(shape.values, o);
    case 'list':
      return p.list(specOf(shape.item, false), o);
    case 'struct':
      return p.struct(declarationOf(shape.fields), o);
  }
}

function declarationOf(fields: readonly Field[]): Declaration {
  const decl: Record<string, ParamSpec<unknown, Presence>> = {};
  for (const field of fields) decl[field.name] = specOf(field.shape, field.required);
  return decl;
}

const float = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0));

function valueArb(shape: Shape): fc.Arbitrary<unknown> {
  switch (shape.t) {
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 12 });
    case 'integer':
      return fc.integer();
    case 'long':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float':
      return float;
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...shape.values);
    case 'list':
      // null items are skipped by openapi-util, leaving gaps in the indexes
      return fc.array(fc.option(valueArb(shape.item), { nil: null, freq: 6 }), { maxLength: 4 });
    case 'struct':
      return recordArb(shape.fields);
  }
}

function recordArb(fields: readonly Field[]): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) model[field.name] = valueArb(field.shape);
  return fc.record(model, { requiredKeys: fields.filter((f) => f.required).map((f) => f.name), noNullPrototype: true });
}

/** What the server should see: empty lists/structs are absent, null list items compacted away. */
function expected(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (shape.t === 'list') {
    const items = (value as unknown[]).map((item) => expected(shape.item, item)).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (shape.t === 'struct') return expectedRecord(shape.fields, value as Record<string, unknown>);
  return value;
}

function expectedRecord(fields: readonly Field[], value: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = expected(field.shape, value[field.name]);
    if (v !== undefined) out[field.name] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

const caseArb = fieldsArb(shapeArb, 6).chain((fields) => recordArb(fields).map((value) => ({ fields, value })));

/** Deep copy with plain prototypes and every scalar as its wire string (for the generic unflatten). */
function asWireStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asWireStrings);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = asWireStrings((value as Record<string, unknown>)[key]);
    return out;
  }
  return String(value);
}

function query(value: Record<string, unknown>): Record<string, string> {
  return OpenApiUtil.query(value) as Record<string, string>;
}

// ---- pop-core over loopback --------------------------------------------------------------------

interface PopCoreCapture {
  readonly client: RPCClient;
  /** Business parameters of the last request (common parameters removed). */
  last(): Record<string, string | string[]>;
  close(): Promise<void>;
}

async function startPopCore(): Promise<PopCoreCapture> {
  let captured: Record<string, string | string[]> | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const all = parseUrlencoded(Buffer.concat(chunks).toString('utf8'), { maxParameters: 10_000 });
      const business: Record<string, string | string[]> = {};
      for (const name of Object.keys(all)) if (!COMMON_PARAMETERS.has(name)) business[name] = all[name] as string | string[];
      captured = business;
      res.setHeader('content-type', 'application/json;charset=utf-8');
      res.end('{"RequestId":"0B12DE1A-2304-5E86-8E17-5F3F8B7F5A6C"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new RPCClient({
    endpoint: `http://127.0.0.1:${port}`,
    apiVersion: '2014-05-26',
    accessKeyId: 'ak',
    accessKeySecret: 'sk',
  });
  return {
    client,
    last: () => {
      if (captured === undefined) throw new Error('no request captured');
      return captured;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('rpc/params round trips through real SDK flatteners', () => {
  it('openapi-util query → parseParams gives the original object (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ fields, value }) => {
        const flat = query(value);
        const result = parseParams(declarationOf(fields), flat, { strict: true });
        if (!result.ok) assert.fail(`${JSON.stringify(result.issue)} for ${JSON.stringify(flat)}`);
        assert.deepEqual(result.value, expectedRecord(fields, value) ?? {});
      }),
      { numRuns: 400 },
    );
  });

  it('openapi-util query → generic unflatten gives the original shape as wire strings (property)', () => {
    fc.assert(
      fc.property(caseArb, ({ fields, value }) => {
        const result = unflatten(query(value));
        if (!result.ok) assert.fail(JSON.stringify(result.issue));
        assert.deepEqual(asWireStrings(result.value), asWireStrings(expectedRecord(fields, value) ?? {}));
      }),
      { numRuns: 300 },
    );
  });

  it('openapi-util: a DescribeInstances-style object, with a gap from a null item', () => {
    const decl = {
      RegionId: p.string({ required: true }),
      InstanceId: p.list(p.string()),
      Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() })),
      SystemDisk: p.struct({ Size: p.integer(), Category: p.string() }),
      DataDisk: p.list(p.struct({ Size: p.integer(), Encrypted: p.boolean(), Opts: p.struct({ A: p.integer() }) })),
      Nested: p.list(p.list(p.string())),
    };
    const flat = query({
      RegionId: 'cn-hangzhou',
      InstanceId: ['i-1', null, 'i-3'],
      Tag: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2' }],
      SystemDisk: { Size: 40, Category: 'cloud_essd' },
      DataDisk: [{ Size: 20, Encrypted: true, Opts: { A: 1 } }],
      Nested: [['a', 'b'], ['c']],
    });
    assert.equal(flat['InstanceId.3'], 'i-3');
    assert.equal(flat['InstanceId.2'], undefined);
    const result = parseParams(decl, flat, { strict: true });
    assert.deepEqual(result, {
      ok: true,
      value: {
        RegionId: 'cn-hangzhou',
        InstanceId: ['i-1', 'i-3'],
        Tag: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2' }],
        SystemDisk: { Size: 40, Category: 'cloud_essd' },
        DataDisk: [{ Size: 20, Encrypted: true, Opts: { A: 1 } }],
        Nested: [['a', 'b'], ['c']],
      },
    });
    // an error on the item after the gap names its wire index
    const bad = query({ RegionId: 'r', Tag: [{ Key: 'k1' }, null, { Value: 'v3' }] });
    assert.deepEqual(parseParams(decl, bad), { ok: false, issue: { kind: 'missing', name: 'Tag.3.Key', reason: 'is required' } });
  });

  describe('pop-core (real client, loopback POST)', () => {
    let pop: PopCoreCapture;
    before(async () => {
      pop = await startPopCore();
    });
    after(async () => {
      await pop.close();
    });

    const decl = {
      RegionId: p.string({ required: true }),
      InstanceId: p.list(p.string(), { maxItems: 100 }),
      Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 }),
      Matrix: p.list(p.list(p.integer())),
      Rule: p.list(p.struct({ Name: p.string(), Port: p.list(p.integer()) })),
      PageSize: p.integer({ default: 10 }),
      DryRun: p.boolean(),
    };

    it('lists, lists of structs, nested lists and lists inside list items parse back', async () => {
      const ids = Array.from({ length: 12 }, (_, i) => `i-${i + 1}`);
      await pop.client.request(
        'DescribeInstances',
        {
          RegionId: 'cn-hangzhou',
          InstanceId: ids,
          Tag: [{ Key: 'env', Value: 'a b+c&d=中文' }, { Key: 'team' }],
          Matrix: [[1, 2], [3]],
          Rule: [{ Name: 'web', Port: [80, 443] }],
          DryRun: false,
        },
        { method: 'POST' },
      );
      const flat = pop.last();
      assert.equal(flat['InstanceId.12'], 'i-12');
      assert.equal(flat['Rule.1.Port.2'], '443');
      assert.deepEqual(parseParams(decl, flat, { strict: true }), {
        ok: true,
        value: {
          RegionId: 'cn-hangzhou',
          InstanceId: ids,
          Tag: [{ Key: 'env', Value: 'a b+c&d=中文' }, { Key: 'team' }],
          Matrix: [[1, 2], [3]],
          Rule: [{ Name: 'web', Port: [80, 443] }],
          PageSize: 10,
          DryRun: false,
        },
      });
    });

    it('lower-case top-level names are upper-cased by pop-core and still match', async () => {
      await pop.client.request('DescribeInstances', { regionId: 'r', instanceId: ['i-1'] }, { method: 'POST' });
      assert.deepEqual(parseParams(decl, pop.last()), { ok: true, value: { RegionId: 'r', InstanceId: ['i-1'], PageSize: 10 } });
    });

    it('a top-level object (not flattened by pop-core: "[object Object]") is reported on the struct name', async () => {
      const withStruct = { ...decl, SystemDisk: p.struct({ Size: p.integer() }) };
      await pop.client.request('RunInstances', { RegionId: 'r', SystemDisk: { Size: 40 } }, { method: 'POST' });
      assert.equal(pop.last().SystemDisk, '[object Object]');
      assert.deepEqual(parseParams(withStruct, pop.last()), {
        ok: false,
        issue: { kind: 'invalid', name: 'SystemDisk', reason: 'is a struct: send Name.Field' },
      });
    });

    it('pop-core lists of scalars and of flat structs parse back (property)', async () => {
      const propertyDecl = {
        RegionId: p.string({ required: true }),
        Ids: p.list(p.string()),
        Sizes: p.list(p.integer()),
        Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string(), Weight: p.float() })),
        Grid: p.list(p.list(p.boolean())),
      };
      const item = fc.record(
        { Key: fc.string({ unit: 'binary', maxLength: 10 }), Value: fc.string({ unit: 'binary', maxLength: 10 }), Weight: float },
        { requiredKeys: ['Key'], noNullPrototype: true },
      );
      const valueArbitrary = fc.record(
        {
          RegionId: fc.string({ unit: 'binary', maxLength: 10 }),
          Ids: fc.array(fc.string({ unit: 'binary', maxLength: 10 }), { minLength: 1, maxLength: 12 }),
          Sizes: fc.array(fc.integer(), { minLength: 1, maxLength: 5 }),
          Tag: fc.array(item, { minLength: 1, maxLength: 5 }),
          Grid: fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: ['RegionId'], noNullPrototype: true },
      );
      await fc.assert(
        fc.asyncProperty(valueArbitrary, async (value) => {
          await pop.client.request('DescribeThings', value, { method: 'POST' });
          const result = parseParams(propertyDecl, pop.last(), { strict: true });
          if (!result.ok) assert.fail(JSON.stringify(result.issue));
          assert.deepEqual(result.value, value);
        }),
        { numRuns: 40 },
      );
    });
  });

  it('a gap left by a null item is compacted, and FlatParams may be a null-prototype record', () => {
    const flat = Object.create(null) as Record<string, string>;
    Object.assign(flat, query({ Id: [null, 'b', null, 'd'] }));
    const result = parseParams({ Id: p.list(p.string()) }, flat as FlatParams);
    assert.deepEqual(result, { ok: true, value: { Id: ['b', 'd'] } });
  });
});
