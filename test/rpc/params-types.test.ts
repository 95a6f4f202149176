/**
 * Every parameter type and constraint of the declaration DSL, as a handler observes it through
 * parseParams (value or issue), plus compile-time checks of InferParams.
 */
import assert from 'node:assert/strict';
import { z } from 'zod';
import { p, parseParams, type Declaration, type FlatParams, type InferParams, type ParamIssue } from '../../lib/rpc/params/index.js';

function ok<D extends Declaration>(decl: D, flat: FlatParams): InferParams<D> {
  const result = parseParams(decl, flat);
  if (!result.ok) assert.fail(`expected success, got ${JSON.stringify(result.issue)}`);
  return result.value;
}

function issue(decl: Declaration, flat: FlatParams, strict = false): ParamIssue {
  const result = parseParams(decl, flat, { strict });
  if (result.ok) assert.fail(`expected an issue, got ${String(result.value)}`);
  return result.issue;
}

function invalid(decl: Declaration, flat: FlatParams, name: string, reason?: RegExp): void {
  const got = issue(decl, flat);
  assert.equal(got.kind, 'invalid', JSON.stringify(got));
  assert.equal(got.name, name);
  if (reason) assert.match(got.reason, reason);
}

// ---- compile-time checks (npx tsc --noEmit -p .) -------------------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

const typedDecl = {
  RegionId: p.string({ required: true }),
  Description: p.string(),
  Category: p.string({ enum: ['cloud', 'cloud_ssd'], default: 'cloud' }),
  PageSize: p.integer({ default: 10 }),
  OwnerId: p.long(),
  Ratio: p.float({ required: true }),
  DryRun: p.boolean(),
  Mode: p.enum(['a', 'b']),
  Ids: p.json(z.array(z.string())),
  InstanceId: p.list(p.string(), { required: true }),
  Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() })),
  SystemDisk: p.struct({ Size: p.integer({ required: true }), Encrypted: p.boolean({ default: false }) }),
  Matrix: p.list(p.list(p.integer())),
};
type Typed = InferParams<typeof typedDecl>;
expectType<Equal<Typed['RegionId'], string>>();
expectType<Equal<Typed['Description'], string | undefined>>();
expectType<Equal<Typed['Category'], 'cloud' | 'cloud_ssd'>>();
expectType<Equal<Typed['PageSize'], number>>();
expectType<Equal<Typed['OwnerId'], bigint | undefined>>();
expectType<Equal<Typed['Ratio'], number>>();
expectType<Equal<Typed['DryRun'], boolean | undefined>>();
expectType<Equal<Typed['Mode'], 'a' | 'b' | undefined>>();
expectType<Equal<Typed['Ids'], string[] | undefined>>();
expectType<Equal<Typed['InstanceId'], string[]>>();
expectType<Equal<Typed['Tag'], { Key: string; Value?: string | undefined }[] | undefined>>();
expectType<Equal<Typed['SystemDisk'], { Size: number; Encrypted: boolean } | undefined>>();
expectType<Equal<Typed['Matrix'], number[][] | undefined>>();
// required keys are non-optional properties, optional ones may be left out
const minimal: Typed = { RegionId: 'r', Category: 'cloud', PageSize: 1, Ratio: 0.5, InstanceId: [] };
void minimal;
// @ts-expect-error RegionId is required
const missingRegion: Typed = { Category: 'cloud', PageSize: 1, Ratio: 0.5, InstanceId: [] };
void missingRegion;
// @ts-expect-error required and default are exclusive at the type level too (default must be a string)
p.string({ default: 5 });

describe('rpc/params types and constraints', () => {
  describe('p.string', () => {
    const decl = {
      Name: p.string({ minLength: 2, maxLength: 4 }),
      Id: p.string({ pattern: /^i-[a-z0-9]+$/ }),
      Kind: p.string({ enum: ['x', 'y'] }),
      Free: p.string(),
    };

    it('passes the wire string through, including empty and unicode values', () => {
      assert.deepEqual(ok(decl, { Name: 'ab', Id: 'i-abc1', Kind: 'y', Free: '' }), { Name: 'ab', Id: 'i-abc1', Kind: 'y', Free: '' });
      assert.deepEqual(ok(decl, { Free: '中文 😀 a.b=c&d' }), { Free: '中文 😀 a.b=c&d' });
    });

    it('enforces minLength / maxLength, counting Unicode code points', () => {
      invalid(decl, { Name: 'a' }, 'Name', /at least 2/);
      invalid(decl, { Name: 'abcde' }, 'Name', /at most 4/);
      assert.deepEqual(ok(decl, { Name: 'abcd' }), { Name: 'abcd' });
      assert.deepEqual(ok(decl, { Name: '😀😀😀' }), { Name: '😀😀😀' }); // 3 code points, 6 UTF-16 units
      invalid(decl, { Name: '中文中文中' }, 'Name', /at most 4/);
    });

    it('enforces pattern and enum', () => {
      invalid(decl, { Id: 'x-1' }, 'Id', /must match/);
      invalid(decl, { Kind: 'X' }, 'Kind', /one of: x, y/);
      invalid(decl, { Kind: '' }, 'Kind');
    });

    it('rejects bad declarations at declaration time', () => {
      assert.throws(() => p.string({ minLength: 3, maxLength: 2 }), TypeError);
      assert.throws(() => p.string({ pattern: /a/g }), TypeError);
      assert.throws(() => p.string({ maxLength: -1 }), TypeError);
      assert.throws(() => p.string({ enum: [] }), TypeError);
      assert.throws(() => p.string({ maxLength: 2, default: 'abc' }), /default "abc" is not valid/);
      assert.throws(() => p.string({ required: true, default: 'x' } as never), /cannot be combined/);
    });
  });

  describe('p.integer', () => {
    const decl = { N: p.integer({ min: -5, max: 100 }), Any: p.integer(), D: p.integer({ default: 7 }) };

    it('parses signed decimal integers and applies the default', () => {
      assert.deepEqual(ok(decl, { N: '42', Any: '-2147483648' }), { N: 42, Any: -2147483648, D: 7 });
      assert.deepEqual(ok(decl, { N: '+5', D: '007' }), { N: 5, D: 7 });
      assert.ok(Object.is(ok(decl, { N: '-0' }).N, 0), '-0 becomes 0');
    });

    it('rejects non-integers, empty text and values out of range', () => {
      for (const bad of ['', ' 1', '1 ', '1.0', '1e2', '0x10', 'abc', '--1', 'NaN', 'Infinity', '１']) {
        invalid(decl, { N: bad }, 'N', /must be an integer/);
      }
      invalid(decl, { N: '101' }, 'N', /between -5 and 100/);
      invalid(decl, { N: '-6' }, 'N', /between -5 and 100/);
    });

    it('defaults to the 32-bit signed range (Aliyun Integer)', () => {
      assert.deepEqual(ok(decl, { Any: '2147483647' }), { Any: 2147483647, D: 7 });
      invalid(decl, { Any: '2147483648' }, 'Any', /between -2147483648 and 2147483647/);
      invalid(decl, { Any: '99999999999999999999999' }, 'Any');
    });

    it('checks bounds and defaults when declared', () => {
      assert.throws(() => p.integer({ min: 5, max: 1 }), TypeError);
      assert.throws(() => p.integer({ min: 0.5 }), TypeError);
      assert.throws(() => p.integer({ max: 10, default: 11 }), TypeError);
      assert.throws(() => p.integer({ default: 1.5 }), TypeError);
    });
  });

  describe('p.long', () => {
    const decl = { Id: p.long(), Pos: p.long({ min: 0n, max: 10n }), D: p.long({ default: 5 }) };

    it('delivers bigint, beyond 2^53 without loss', () => {
      assert.deepEqual(ok(decl, { Id: '1234567890123456789' }), { Id: 1234567890123456789n, D: 5n });
      assert.deepEqual(ok(decl, { Id: '-9223372036854775808' }), { Id: -(2n ** 63n), D: 5n });
      assert.deepEqual(ok(decl, { Id: '9223372036854775807' }), { Id: 2n ** 63n - 1n, D: 5n });
    });

    it('rejects overflow, non-integers and out-of-range values', () => {
      invalid(decl, { Id: '9223372036854775808' }, 'Id', /between/);
      invalid(decl, { Id: '1'.repeat(5000) }, 'Id', /between/);
      invalid(decl, { Id: '1.5' }, 'Id', /must be an integer/);
      invalid(decl, { Id: '' }, 'Id', /must be an integer/);
      invalid(decl, { Pos: '-1' }, 'Pos', /between 0 and 10/);
      invalid(decl, { Pos: '11' }, 'Pos', /between 0 and 10/);
      assert.throws(() => p.long({ min: 0.5 }), TypeError);
    });
  });

  describe('p.float', () => {
    const decl = { F: p.float(), R: p.float({ min: 0, max: 1 }) };

    it('parses decimal and exponent forms (what Number#toString produces)', () => {
      const cases: Array<[string, number]> = [['1.5', 1.5], ['-2', -2], ['.5', 0.5], ['5.', 5], ['1e-7', 1e-7], ['1.5e+300', 1.5e300], ['5e-324', 5e-324]];
      for (const [text, value] of cases) assert.deepEqual(ok(decl, { F: text }), { F: value }, text);
    });

    it('rejects NaN, Infinity, hex, overflow and range violations', () => {
      for (const bad of ['NaN', 'Infinity', '-Infinity', '0x1', '1e', 'e1', '', '1,5', '.']) invalid(decl, { F: bad }, 'F', /decimal number/);
      invalid(decl, { F: '1e400' }, 'F', /finite/);
      invalid(decl, { R: '1.01' }, 'R', /between 0 and 1/);
      invalid(decl, { R: '-0.1' }, 'R', /between 0 and 1/);
      assert.throws(() => p.float({ min: Number.NaN }), TypeError);
    });
  });

  describe('p.boolean', () => {
    const decl = { B: p.boolean(), D: p.boolean({ default: true }) };

    it('accepts exactly true and false', () => {
      assert.deepEqual(ok(decl, { B: 'true' }), { B: true, D: true });
      assert.deepEqual(ok(decl, { B: 'false', D: 'false' }), { B: false, D: false });
    });

    it('never treats another non-empty string as true', () => {
      for (const bad of ['True', 'FALSE', '1', '0', 'yes', 'on', '', ' true', 'false ']) {
        invalid(decl, { B: bad }, 'B', /true or false/);
      }
    });
  });

  describe('p.enum', () => {
    const decl = { Status: p.enum(['Running', 'Stopped'], { default: 'Running' }) };

    it('accepts the listed values (case-sensitive) and applies the default', () => {
      assert.deepEqual(ok(decl, {}), { Status: 'Running' });
      assert.deepEqual(ok(decl, { Status: 'Stopped' }), { Status: 'Stopped' });
      invalid(decl, { Status: 'running' }, 'Status', /one of: Running, Stopped/);
      assert.throws(() => p.enum(['a'], { default: 'b' as 'a' }), TypeError);
    });
  });

  describe('p.json', () => {
    const decl = {
      InstanceIds: p.json(z.array(z.string().startsWith('i-')).max(2), { maxLength: 64 }),
      Filter: p.json(z.object({ Name: z.string(), Values: z.array(z.number()) })),
    };

    it('parses the JSON text, then validates and transforms it with the schema', () => {
      assert.deepEqual(ok(decl, { InstanceIds: '["i-1","i-2"]' }), { InstanceIds: ['i-1', 'i-2'] });
      assert.deepEqual(ok(decl, { Filter: '{"Name":"n","Values":[1,2],"Extra":true}' }), { Filter: { Name: 'n', Values: [1, 2] } });
    });

    it('reports invalid JSON, schema failures (with the inner path) and over-long text on the parameter name', () => {
      invalid(decl, { InstanceIds: '["i-1"' }, 'InstanceIds', /valid JSON/);
      invalid(decl, { InstanceIds: '["x-1"]' }, 'InstanceIds', /JSON value at \[0\]/);
      invalid(decl, { InstanceIds: '["i-1","i-2","i-3"]' }, 'InstanceIds', /JSON value/);
      invalid(decl, { InstanceIds: JSON.stringify(['i-'.padEnd(70, 'x')]) }, 'InstanceIds', /at most 64 characters/);
      invalid(decl, { Filter: '{"Name":"n","Values":["x"]}' }, 'Filter', /JSON value at Values\[0\]/);
    });

    it('refuses __proto__ / constructor / prototype keys inside the JSON, but not such text in values', () => {
      invalid(decl, { Filter: '{"__proto__":{"polluted":1},"Name":"n","Values":[]}' }, 'Filter', /JSON keys/);
      invalid(decl, { Filter: '{"Name":"n","Values":[],"x":{"constructor":{"prototype":{}}}}' }, 'Filter', /JSON keys/);
      assert.deepEqual(ok(decl, { Filter: '{"Name":"__proto__ constructor prototype","Values":[]}' }), {
        Filter: { Name: '__proto__ constructor prototype', Values: [] },
      });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('p.list', () => {
    const decl = {
      InstanceId: p.list(p.string({ pattern: /^i-/ }), { maxItems: 3 }),
      Two: p.list(p.integer(), { minItems: 2 }),
      Size: p.list(p.integer({ min: 1 })),
    };

    it('reads Name.1, Name.2, … in index order (names arrive sorted as text: 1, 10, 2)', () => {
      const flat: Record<string, string> = {};
      for (const i of [1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]) flat[`Size.${i}`] = String(i * 10);
      assert.deepEqual(ok(decl, flat), { Size: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110] });
    });

    it('compacts gaps in index order (openapi-util skips null items)', () => {
      assert.deepEqual(ok(decl, { 'Size.5': '5', 'Size.2': '2', 'Size.900': '900' }), { Size: [2, 5, 900] });
    });

    it('names the first item past maxItems and the item that fails its constraint, by wire index', () => {
      invalid(decl, { 'InstanceId.1': 'i-1', 'InstanceId.2': 'i-2', 'InstanceId.3': 'i-3', 'InstanceId.4': 'i-4' }, 'InstanceId.4', /at most 3 items/);
      invalid(decl, { 'InstanceId.1': 'i-1', 'InstanceId.2': 'i-2', 'InstanceId.7': 'i-7', 'InstanceId.9': 'i-9' }, 'InstanceId.9', /at most 3/);
      invalid(decl, { 'InstanceId.1': 'i-1', 'InstanceId.2': 'x' }, 'InstanceId.2', /must match/);
      invalid(decl, { 'Size.3': '1', 'Size.8': '0' }, 'Size.8', /between 1 and/);
    });

    it('reports a list shorter than minItems as the next missing index', () => {
      const got = issue(decl, { 'Two.1': '1' });
      assert.deepEqual(got, { kind: 'missing', name: 'Two.2', reason: 'must have at least 2 items' });
      assert.deepEqual(ok(decl, { 'Two.1': '1', 'Two.2': '2' }), { Two: [1, 2] });
    });

    it('leaves an absent optional list undefined', () => {
      const value = ok(decl, {});
      assert.equal('InstanceId' in value, false);
    });

    it('checks its options at declaration time', () => {
      assert.throws(() => p.list(p.string(), { minItems: 3, maxItems: 2 }), TypeError);
      assert.throws(() => p.list(undefined as never), TypeError);
    });
  });

  describe('p.struct and nesting', () => {
    const decl = {
      SystemDisk: p.struct({
        Category: p.enum(['cloud_ssd', 'cloud_essd'], { default: 'cloud_essd' }),
        Size: p.integer({ required: true, min: 20 }),
        Options: p.struct({ Burst: p.boolean() }),
      }),
      Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 }),
      Matrix: p.list(p.list(p.integer())),
      Rule: p.list(
        p.struct({
          Name: p.string({ required: true }),
          Ports: p.list(p.struct({ From: p.integer({ required: true }), To: p.integer() })),
        }),
      ),
    };

    it('reads Name.Field, with defaults inside the struct', () => {
      assert.deepEqual(ok(decl, { 'SystemDisk.Size': '40', 'SystemDisk.Options.Burst': 'true' }), {
        SystemDisk: { Category: 'cloud_essd', Size: 40, Options: { Burst: true } },
      });
    });

    it('reads lists of structs (Tag.N.Key), nested lists (Name.N.M) and structs in lists in structs', () => {
      const value = ok(decl, {
        'Tag.1.Key': 'env',
        'Tag.1.Value': 'prod',
        'Tag.2.Key': 'team',
        'Matrix.1.1': '1',
        'Matrix.1.2': '2',
        'Matrix.2.1': '3',
        'Rule.1.Name': 'web',
        'Rule.1.Ports.1.From': '80',
        'Rule.1.Ports.2.From': '443',
        'Rule.1.Ports.2.To': '444',
      });
      assert.deepEqual(value, {
        Tag: [{ Key: 'env', Value: 'prod' }, { Key: 'team' }],
        Matrix: [[1, 2], [3]],
        Rule: [{ Name: 'web', Ports: [{ From: 80 }, { From: 443, To: 444 }] }],
      });
    });

    it('names missing and invalid fields with their full wire names', () => {
      assert.deepEqual(issue(decl, { 'SystemDisk.Category': 'cloud_ssd' }), { kind: 'missing', name: 'SystemDisk.Size', reason: 'is required' });
      invalid(decl, { 'SystemDisk.Size': '10' }, 'SystemDisk.Size', /between 20/);
      invalid(decl, { 'SystemDisk.Size': '40', 'SystemDisk.Options.Burst': 'yes' }, 'SystemDisk.Options.Burst');
      assert.deepEqual(issue(decl, { 'Tag.1.Key': 'a', 'Tag.3.Value': 'v' }), { kind: 'missing', name: 'Tag.3.Key', reason: 'is required' });
      invalid(decl, { 'Matrix.2.7': 'x' }, 'Matrix.2.7', /integer/);
      assert.deepEqual(issue(decl, { 'Rule.2.Name': 'r', 'Rule.2.Ports.5.To': '1' }), { kind: 'missing', name: 'Rule.2.Ports.5.From', reason: 'is required' });
      invalid(decl, { 'Rule.4.Name': 'r', 'Rule.4.Ports.3.From': '1', 'Rule.4.Ports.3.To': 'z' }, 'Rule.4.Ports.3.To', /integer/);
    });

    it('leaves an absent optional struct undefined and checks struct field names at declaration time', () => {
      assert.deepEqual(ok(decl, {}), {});
      assert.throws(() => p.struct({ 'A.B': p.string() }), TypeError);
      assert.throws(() => p.struct(Object.fromEntries([['__proto__', p.string()]])), TypeError);
      assert.throws(() => p.struct({ constructor: p.string() }), TypeError);
      assert.throws(() => p.struct({ X: 'string' as never }), TypeError);
    });
  });

  describe('presence', () => {
    const decl = {
      Ids: p.list(p.string(), { required: true }),
      Tags: p.list(p.struct({ Key: p.string({ required: true }) }), { required: true }),
      Disk: p.struct({ Size: p.integer({ required: true }), Name: p.string() }, { required: true }),
      Empty: p.struct({ Name: p.string() }, { required: true }),
    };
    const full = { 'Ids.1': 'a', 'Tags.1.Key': 'k', 'Disk.Size': '1', 'Empty.Name': 'n' };

    it('names the exact wire name a client must send for an absent required list or struct', () => {
      const without = (name: string) => Object.fromEntries(Object.entries(full).filter(([k]) => !k.startsWith(`${name}.`)));
      assert.deepEqual(issue(decl, without('Ids')), { kind: 'missing', name: 'Ids.1', reason: 'is required' });
      assert.deepEqual(issue(decl, without('Tags')), { kind: 'missing', name: 'Tags.1.Key', reason: 'is required' });
      assert.deepEqual(issue(decl, without('Disk')), { kind: 'missing', name: 'Disk.Size', reason: 'is required' });
      assert.deepEqual(issue(decl, without('Empty')), { kind: 'missing', name: 'Empty', reason: 'is required' });
      assert.deepEqual(ok(decl, full), { Ids: ['a'], Tags: [{ Key: 'k' }], Disk: { Size: 1 }, Empty: { Name: 'n' } });
    });

    it('treats an empty string as a present value (valid for strings, invalid for numbers)', () => {
      const d = { S: p.string({ required: true }), N: p.integer({ required: true }) };
      assert.deepEqual(issue(d, { S: '', N: '' }), { kind: 'invalid', name: 'N', reason: 'must be an integer' });
    });
  });
});
