/**
 * describeParams (introspection JSON) and the declaration-less / declaration-guided `unflatten`.
 */
import assert from 'node:assert/strict';
import { z } from 'zod';
import { describeParams, listWireIndexes, p, unflatten, type ParamTree } from '../../lib/rpc/params/index.js';

/** Plain-prototype copy, so deepEqual compares content only. */
function plain(tree: unknown): unknown {
  if (Array.isArray(tree)) return tree.map(plain);
  if (typeof tree === 'object' && tree !== null) {
    return Object.fromEntries(Object.keys(tree).map((k) => [k, plain((tree as Record<string, unknown>)[k])]));
  }
  return tree;
}

describe('rpc/params describeParams', () => {
  it('lists every wire-name pattern depth first with type, presence, constraints and defaults', () => {
    const described = describeParams({
      RegionId: p.string({ required: true, maxLength: 64, description: 'Region of the instances' }),
      InstanceId: p.list(p.string({ pattern: /^i-[a-z0-9]+$/ }), { maxItems: 100 }),
      Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { minItems: 1, maxItems: 20 }),
      PageSize: p.integer({ min: 1, max: 100, default: 10 }),
      OwnerId: p.long({ min: 0, default: 7n }),
      Ratio: p.float({ max: 1.5 }),
      DryRun: p.boolean({ default: false }),
      Status: p.enum(['Running', 'Stopped']),
      Kind: p.string({ enum: ['a', 'b'], default: 'a' }),
      SystemDisk: p.struct({ Size: p.integer({ required: true }) }, { required: true }),
      Grid: p.list(p.list(p.integer())),
    });
    assert.deepEqual(described, [
      { name: 'RegionId', type: 'string', required: true, description: 'Region of the instances', maxLength: 64 },
      { name: 'InstanceId', type: 'list', required: false, maxItems: 100 },
      { name: 'InstanceId.N', type: 'string', required: false, pattern: '^i-[a-z0-9]+$' },
      { name: 'Tag', type: 'list', required: false, minItems: 1, maxItems: 20 },
      { name: 'Tag.N', type: 'struct', required: false },
      { name: 'Tag.N.Key', type: 'string', required: true },
      { name: 'Tag.N.Value', type: 'string', required: false },
      { name: 'PageSize', type: 'integer', required: false, min: 1, max: 100, default: 10 },
      { name: 'OwnerId', type: 'long', required: false, min: '0', max: '9223372036854775807', default: '7' },
      { name: 'Ratio', type: 'float', required: false, max: 1.5 },
      { name: 'DryRun', type: 'boolean', required: false, default: false },
      { name: 'Status', type: 'enum', required: false, enum: ['Running', 'Stopped'] },
      { name: 'Kind', type: 'string', required: false, enum: ['a', 'b'], default: 'a' },
      { name: 'SystemDisk', type: 'struct', required: true },
      { name: 'SystemDisk.Size', type: 'integer', required: true, min: -2147483648, max: 2147483647 },
      { name: 'Grid', type: 'list', required: false },
      { name: 'Grid.N', type: 'list', required: false },
      { name: 'Grid.N.N', type: 'integer', required: false, min: -2147483648, max: 2147483647 },
    ]);
    // plain JSON: survives a JSON round trip unchanged
    assert.deepEqual(JSON.parse(JSON.stringify(described)), described);
  });

  it('includes the JSON Schema of a JSON-string parameter when zod can express it', () => {
    const [entry] = describeParams({ InstanceIds: p.json(z.array(z.string()).max(100), { maxLength: 4096 }) });
    assert.equal(entry?.type, 'json');
    assert.equal(entry?.maxLength, 4096);
    assert.deepEqual((entry?.jsonSchema as { items: unknown; maxItems: number }).items, { type: 'string' });
    assert.equal((entry?.jsonSchema as { maxItems: number }).maxItems, 100);
  });
});

describe('rpc/params unflatten', () => {
  it('builds lists (1-based, index order) and structs generically', () => {
    const result = unflatten({
      'InstanceId.2': 'i-b',
      'InstanceId.1': 'i-a',
      'InstanceId.10': 'i-j',
      'Tag.1.Key': 'env',
      'Tag.1.Value': 'prod',
      'SystemDisk.Size': '40',
      'Grid.1.2': 'y',
      'Grid.1.1': 'x',
      Plain: 'p',
    });
    assert.ok(result.ok);
    assert.deepEqual(plain(result.value), {
      InstanceId: ['i-a', 'i-b', 'i-j'],
      Tag: [{ Key: 'env', Value: 'prod' }],
      SystemDisk: { Size: '40' },
      Grid: [['x', 'y']],
      Plain: 'p',
    });
    assert.equal(Object.getPrototypeOf(result.value), null);
    const ids = result.value.InstanceId as readonly ParamTree[];
    assert.deepEqual(listWireIndexes(ids), [1, 2, 10]);
  });

  it('refuses unsafe names, bad indexes, repeated names, conflicting shapes, empty parts and deep names', () => {
    const cases: Array<[Record<string, string | string[]>, string, RegExp]> = [
      [{ '__proto__.x': '1' }, '__proto__.x', /__proto__/],
      [{ 'constructor.prototype': '1' }, 'constructor.prototype', /__proto__/],
      [{ 'Tag.__proto__.Key': '1' }, 'Tag.__proto__.Key', /__proto__/],
      [{ 'Tag.0.Key': '1' }, 'Tag.0.Key', /list index/],
      [{ 'Tag.-1.Key': '1' }, 'Tag.-1.Key', /list index/],
      [{ 'Tag.1e9.Key': '1' }, 'Tag.1e9.Key', /list index/],
      [{ 'Tag.99999999.Key': '1' }, 'Tag.99999999.Key', /list index/],
      [{ 'Tag.01.Key': '1' }, 'Tag.01.Key', /list index/],
      [{ A: ['1', '2'] }, 'A', /repeated/],
      [{ A: '1', 'A.1': '2' }, 'A', /both/],
      [{ 'A.1': '2', A: '1' }, 'A', /both/],
      [{ 'A.1': '1', 'A.B': '2' }, 'A', /both/],
      [{ 'A.B': '1', 'A.B.C': '2' }, 'A.B', /both/],
      [{ 'A..B': '1' }, 'A..B', /empty part/],
      [{ 'A.': '1' }, 'A.', /empty part/],
      [{ 'A.B.C.D.E.F.G.H.I': '1' }, 'A.B.C.D.E.F.G.H.I', /at most 8/],
    ];
    for (const [flat, name, reason] of cases) {
      const result = unflatten(flat);
      assert.equal(result.ok, false, JSON.stringify(flat));
      if (!result.ok) {
        assert.equal(result.issue.kind, 'invalid');
        assert.equal(result.issue.name, name, JSON.stringify(flat));
        assert.match(result.issue.reason, reason);
      }
    }
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('honours maxListIndex and maxDepth options', () => {
    assert.equal(unflatten({ 'A.5': 'x' }, { maxListIndex: 4 }).ok, false);
    assert.equal(unflatten({ 'A.4': 'x' }, { maxListIndex: 4 }).ok, true);
    assert.equal(unflatten({ 'A.B.C': 'x' }, { maxDepth: 2 }).ok, false);
    assert.throws(() => unflatten({}, { maxListIndex: 0 }), TypeError);
  });

  it('follows a declaration when given one: undeclared names are left out, the shape comes from the declaration', () => {
    const declaration = { Tag: p.list(p.struct({ Key: p.string() })), Name: p.string() };
    const result = unflatten({ 'Tag.3.Key': 'k', 'Tag.3.Other': 'o', Extra: 'e', Name: 'n' }, { declaration });
    assert.ok(result.ok);
    assert.deepEqual(plain(result.value), { Tag: [{ Key: 'k' }], Name: 'n' });
    const bad = unflatten({ 'Tag.x.Key': 'k' }, { declaration });
    assert.deepEqual(bad, { ok: false, issue: { kind: 'invalid', name: 'Tag.x.Key', reason: 'list index must be an integer from 1 to 1000 without leading zeros' } });
    assert.equal(unflatten({ 'Tag.20.Key': 'k' }, { declaration, maxListIndex: 10 }).ok, false);
  });
});
