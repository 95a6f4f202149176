/**
 * Which problem parseParams reports (declaration order, determinism), strict mode, the tolerated
 * business names, the owner helper, and the safety rules of wire names.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COMMON_PARAMETERS,
  compileParams,
  hasOwnerIdAndOwnerAccount,
  p,
  parseParams,
  SILENTLY_ACCEPTED_PARAMETERS,
  type FlatParams,
  type ParamIssue,
} from '../../lib/rpc/params/index.js';

const decl = {
  RegionId: p.string({ required: true }),
  InstanceId: p.list(p.string({ pattern: /^i-/ }), { maxItems: 5 }),
  Tag: p.list(p.struct({ Key: p.string({ required: true, maxLength: 8 }), Value: p.string() }), { maxItems: 20 }),
  SystemDisk: p.struct({ Size: p.integer({ min: 20 }), Category: p.enum(['cloud_ssd', 'cloud_essd']) }),
  PageSize: p.integer({ min: 1, max: 100, default: 10 }),
};

function issueOf(flat: FlatParams, strict = false, declaration: typeof decl = decl): ParamIssue {
  const result = parseParams(declaration, flat, { strict });
  if (result.ok) assert.fail(`expected an issue, got ${JSON.stringify(result.value)}`);
  return result.issue;
}

describe('rpc/params errors', () => {
  describe('the first problem, in declaration order', () => {
    it('reports an earlier-declared parameter before a later one, whatever the wire order', () => {
      const flat = { PageSize: '0', 'SystemDisk.Size': '1', 'Tag.2.Key': 'x'.repeat(9), 'InstanceId.3': 'bad' };
      assert.deepEqual(issueOf({ ...flat, RegionId: 'r' }), { kind: 'invalid', name: 'InstanceId.3', reason: 'must match /^i-/' });
      assert.deepEqual(issueOf(flat), { kind: 'missing', name: 'RegionId', reason: 'is required' });
      const reversed = Object.fromEntries(Object.entries({ ...flat, RegionId: 'r' }).reverse());
      assert.equal(issueOf(reversed).name, 'InstanceId.3');
    });

    it('within a list, reports the lowest wire index; within a struct, the first declared field', () => {
      assert.equal(issueOf({ RegionId: 'r', 'InstanceId.4': 'x', 'InstanceId.2': 'y' }).name, 'InstanceId.2');
      assert.equal(issueOf({ RegionId: 'r', 'SystemDisk.Category': 'hdd', 'SystemDisk.Size': '1' }).name, 'SystemDisk.Size');
      assert.equal(issueOf({ RegionId: 'r', 'Tag.7.Key': 'k'.repeat(9), 'Tag.3.Value': 'v' }).name, 'Tag.3.Key');
    });

    it('reports a structural problem of a parameter (bad index, repeated name) before its value problems', () => {
      assert.deepEqual(issueOf({ RegionId: 'r', 'InstanceId.1': 'x', 'InstanceId.01': 'i-1' }), {
        kind: 'invalid',
        name: 'InstanceId.01',
        reason: 'list index must be an integer from 1 to 1000 without leading zeros',
      });
      assert.deepEqual(issueOf({ RegionId: 'r', 'Tag.2.Key': 'k'.repeat(20), 'Tag.1.Value': ['a', 'b'] }), {
        kind: 'invalid',
        name: 'Tag.1.Value',
        reason: 'must not be repeated',
      });
      // …but an earlier parameter's value problem still comes first
      assert.equal(issueOf({ RegionId: 'r', 'InstanceId.1': 'x', 'Tag.0.Key': 'k' }).name, 'InstanceId.1');
    });

    it('is deterministic: the same names in any order give the same issue (property)', () => {
      const pool: Array<[string, string | string[]]> = [
        ['RegionId', 'r'],
        ['InstanceId.1', 'bad'],
        ['InstanceId.7', 'i-7'],
        ['InstanceId.x', 'i-x'],
        ['Tag.1.Key', 'k'.repeat(12)],
        ['Tag.2.Value', 'v'],
        ['Tag.0.Key', 'k'],
        ['Tag.3.Key', ['a', 'b']],
        ['SystemDisk.Size', '5'],
        ['SystemDisk', 'x'],
        ['PageSize', '1000'],
        ['PageSize.1', '1'],
      ];
      fc.assert(
        fc.property(fc.subarray(pool, { minLength: 1 }), fc.integer(), (entries, seed) => {
          const shuffled = [...entries];
          let state = seed;
          for (let i = shuffled.length - 1; i > 0; i--) {
            state = (state * 1103515245 + 12345) & 0x7fffffff;
            const j = state % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j] as [string, string], shuffled[i] as [string, string]];
          }
          const a = parseParams(decl, Object.fromEntries(entries));
          const b = parseParams(decl, Object.fromEntries(shuffled));
          assert.deepEqual(a, b);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('shape problems', () => {
    it('refuses a list or struct sent as a plain value, and sub-names of a scalar', () => {
      assert.deepEqual(issueOf({ RegionId: 'r', InstanceId: 'i-1' }), { kind: 'invalid', name: 'InstanceId', reason: 'is a repeat list: send Name.1, Name.2, …' });
      assert.deepEqual(issueOf({ RegionId: 'r', SystemDisk: '{}' }), { kind: 'invalid', name: 'SystemDisk', reason: 'is a struct: send Name.Field' });
      assert.deepEqual(issueOf({ RegionId: 'r', 'Tag.1': 'k' }), { kind: 'invalid', name: 'Tag.1', reason: 'is a struct: send Name.Field' });
      assert.equal(issueOf({ RegionId: 'r', 'PageSize.1': '5' }).name, 'PageSize.1');
      assert.equal(issueOf({ RegionId: 'r', 'InstanceId.1.x': 'i-1' }).name, 'InstanceId.1.x');
    });

    it('refuses a repeated name (array value) for any declared parameter', () => {
      assert.deepEqual(issueOf({ RegionId: ['a', 'b'] }), { kind: 'invalid', name: 'RegionId', reason: 'must not be repeated' });
      assert.deepEqual(issueOf({ RegionId: 'r', 'InstanceId.2': ['i-1', 'i-2'] }), { kind: 'invalid', name: 'InstanceId.2', reason: 'must not be repeated' });
    });
  });

  describe('safety of wire names', () => {
    const reject = (flat: FlatParams, name: string, strict = false): void => {
      const got = issueOf({ RegionId: 'r', ...flat }, strict);
      assert.equal(got.kind, 'invalid', JSON.stringify(got));
      assert.equal(got.name, name);
    };

    it('refuses __proto__, constructor and prototype at any segment, declared or not, strict or not', () => {
      for (const name of ['__proto__', '__proto__.x', 'Tag.__proto__.Key', 'Tag.1.__proto__', 'constructor.prototype', 'SystemDisk.constructor', 'Unknown.prototype', 'x.1.constructor']) {
        const flat = Object.create(null) as Record<string, string>;
        flat[name] = 'polluted';
        reject(flat, name);
        reject(flat, name, true);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal((Object.prototype as Record<string, unknown>).x, undefined);
    });

    it('accepts those words inside a longer segment or as values', () => {
      const d = { Note: p.string(), my__proto__x: p.string() };
      const result = parseParams(d, { Note: '__proto__', my__proto__x: 'constructor' });
      assert.deepEqual(result, { ok: true, value: { Note: '__proto__', my__proto__x: 'constructor' } });
    });

    it('refuses list indexes that are zero, negative, signed, exponent, leading-zero, too large or not numeric', () => {
      for (const index of ['0', '-1', '+1', '1e9', '01', '99999999', '1001', 'x', '', ' 1', '1.5'.split('.')[0] + 'a', '0x1', '１']) {
        reject({ [`Tag.${index}.Key`]: 'k' }, `Tag.${index}.Key`);
      }
      reject({ 'InstanceId.99999999999999999999': 'i-1' }, 'InstanceId.99999999999999999999');
    });

    it('accepts index 1000 by default and honours a configured maxListIndex', () => {
      assert.equal(parseParams(decl, { RegionId: 'r', 'Tag.1000.Key': 'k' }).ok, true);
      const small = compileParams(decl, { maxListIndex: 10 });
      assert.equal(parseParams(small, { RegionId: 'r', 'Tag.10.Key': 'k' }).ok, true);
      const got = parseParams(small, { RegionId: 'r', 'Tag.11.Key': 'k' });
      assert.deepEqual(got, { ok: false, issue: { kind: 'invalid', name: 'Tag.11.Key', reason: 'list index must be an integer from 1 to 10 without leading zeros' } });
      assert.throws(() => compileParams(decl, { maxListIndex: 0 }), TypeError);
    });

    it('never builds a sparse array: a far index gives a one-item list', () => {
      const result = parseParams(decl, { RegionId: 'r', 'Tag.999.Key': 'k' });
      assert.ok(result.ok);
      assert.equal(result.value.Tag?.length, 1);
      assert.deepEqual(result.value.Tag, [{ Key: 'k' }]);
    });

    it('cuts very long names in issues', () => {
      const long = `Tag.${'9'.repeat(500)}.Key`;
      const got = issueOf({ RegionId: 'r', [long]: 'k' });
      assert.equal(got.name.length, 201);
      assert.ok(got.name.endsWith('…'));
    });

    it('delivers plain objects that carry no inherited surprises', () => {
      const result = parseParams(decl, { RegionId: 'r', 'Tag.1.Key': 'toString', 'SystemDisk.Size': '20' });
      assert.ok(result.ok);
      assert.deepEqual(Object.keys(result.value).sort(), ['PageSize', 'RegionId', 'SystemDisk', 'Tag']);
      assert.deepEqual(result.value.Tag, [{ Key: 'toString' }]);
    });

    it('ignores inherited names of the declaration (toString, hasOwnProperty) as field names', () => {
      const strictIssue = issueOf({ RegionId: 'r', 'SystemDisk.toString': 'x' }, true);
      assert.deepEqual(strictIssue, { kind: 'unsupported', name: 'SystemDisk.toString', reason: 'is not a parameter of this API' });
      assert.deepEqual(parseParams(decl, { RegionId: 'r', 'SystemDisk.hasOwnProperty': 'x' }), { ok: true, value: { RegionId: 'r', PageSize: 10 } });
    });
  });

  describe('remembered wire names', () => {
    it('gives the same answers the second time a name is seen (cached resolution)', () => {
      const compiled = compileParams(decl, { maxListIndex: 1000 });
      const flat = { RegionId: 'r', 'Tag.2.Key': 'k', 'Tag.1.Value': 'v' };
      const first = parseParams(compiled, flat);
      assert.deepEqual(parseParams(compiled, flat), first);
      assert.deepEqual(first, { ok: false, issue: { kind: 'missing', name: 'Tag.1.Key', reason: 'is required' } });
      // a known name sent repeated is still refused
      assert.deepEqual(parseParams(compiled, { RegionId: 'r', 'Tag.2.Key': ['a', 'b'] }), {
        ok: false,
        issue: { kind: 'invalid', name: 'Tag.2.Key', reason: 'must not be repeated' },
      });
    });

    it('remembers a bounded number of names and keeps working past the bound', () => {
      const compiled = compileParams(
        {
          RegionId: p.string({ required: true }),
          InstanceId: p.list(p.string()),
          Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() })),
          SystemDisk: p.struct({ Size: p.integer() }),
        },
        { maxListIndex: 1000 },
      );
      for (let round = 0; round < 6; round++) {
        const flat: Record<string, string> = { RegionId: 'r' };
        for (let i = 1; i <= 1000; i++) flat[`Tag.${i}.${round % 2 === 0 ? 'Key' : 'Value'}`] = `x${i}`;
        flat['Tag.1.Key'] = 'k';
        const result = parseParams(compiled, flat);
        if (round % 2 === 0) {
          assert.ok(result.ok);
          assert.equal(result.value.Tag?.length, 1000);
        } else {
          assert.deepEqual(result, { ok: false, issue: { kind: 'missing', name: 'Tag.2.Key', reason: 'is required' } });
        }
      }
      const lists = { L1: p.list(p.string()), L2: p.list(p.string()), L3: p.list(p.string()), L4: p.list(p.string()), L5: p.list(p.string()) };
      const many = compileParams(lists, { maxListIndex: 1000 });
      for (const name of Object.keys(lists)) {
        const flat: Record<string, string> = {};
        for (let i = 1; i <= 1000; i++) flat[`${name}.${i}`] = `${name}-${i}`;
        const result = parseParams(many, flat);
        assert.ok(result.ok);
        assert.equal((result.value as Record<string, string[]>)[name]?.[999], `${name}-1000`);
      }
      assert.equal(many.resolvedNames.size, 4096);
      // names past the bound (L5.1000 was never remembered) still parse, and errors still name them
      assert.equal(many.resolvedNames.has('L5.1000'), false);
      assert.deepEqual(parseParams(many, { 'L5.1000': 'z', 'L5.7': ['a', 'b'] }), {
        ok: false,
        issue: { kind: 'invalid', name: 'L5.7', reason: 'must not be repeated' },
      });
      assert.deepEqual(parseParams(many, { 'L5.1000': 'z', 'L1.3': 'c' }), { ok: true, value: { L1: ['c'], L5: ['z'] } });
    });
  });

  describe('strict mode', () => {
    it('ignores undeclared names when not strict', () => {
      assert.deepEqual(parseParams(decl, { RegionId: 'r', Foo: 'x', 'Tag.1.Colour': 'red', 'Bar.1': 'y' }), {
        ok: true,
        value: { RegionId: 'r', PageSize: 10 },
      });
    });

    it('reports the smallest undeclared name as unsupported, before any declared problem', () => {
      assert.deepEqual(issueOf({ RegionId: 'r', Zed: '1', Foo: 'x' }, true), { kind: 'unsupported', name: 'Foo', reason: 'is not a parameter of this API' });
      assert.deepEqual(issueOf({ InstanceID: 'i-1' }, true), { kind: 'unsupported', name: 'InstanceID', reason: 'is not a parameter of this API' });
      assert.equal(issueOf({ RegionId: 'r', 'Tag.1.Colour': 'red' }, true).name, 'Tag.1.Colour');
      assert.equal(issueOf({ RegionId: 'r', 'Other.1.Key': 'k' }, true).name, 'Other.1.Key');
    });

    it('tolerates common parameters, RegionId and the owner parameters unless declared', () => {
      const d = { InstanceId: p.string({ required: true }) };
      const flat: Record<string, string> = { InstanceId: 'i-1' };
      for (const name of [...COMMON_PARAMETERS, ...SILENTLY_ACCEPTED_PARAMETERS]) flat[name] = 'x';
      assert.deepEqual(parseParams(d, flat, { strict: true }), { ok: true, value: { InstanceId: 'i-1' } });
      // declared RegionId is validated like any parameter
      const withRegion = { RegionId: p.enum(['cn-hangzhou']) };
      assert.deepEqual(parseParams(withRegion, { RegionId: 'mars-1' }, { strict: true }), {
        ok: false,
        issue: { kind: 'invalid', name: 'RegionId', reason: 'must be one of: cn-hangzhou' },
      });
    });

    it('lists the V1 common parameters and not RegionId', () => {
      for (const name of ['Format', 'Version', 'Action', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'SignatureType', 'Timestamp', 'TimeStamp', 'SecurityToken', 'BearerToken']) {
        assert.ok(COMMON_PARAMETERS.has(name), name);
      }
      assert.equal(COMMON_PARAMETERS.has('RegionId'), false);
      assert.equal(COMMON_PARAMETERS.size, 13);
    });
  });

  describe('owner parameters', () => {
    it('detects OwnerId together with OwnerAccount (InvalidOwner)', () => {
      assert.equal(hasOwnerIdAndOwnerAccount({ OwnerId: '1', OwnerAccount: 'a' }), true);
      assert.equal(hasOwnerIdAndOwnerAccount({ OwnerId: '1' }), false);
      assert.equal(hasOwnerIdAndOwnerAccount({ OwnerAccount: 'a', ResourceOwnerId: '2' }), false);
      assert.equal(hasOwnerIdAndOwnerAccount({ OwnerId: '', OwnerAccount: 'a' }), false);
      assert.equal(hasOwnerIdAndOwnerAccount({ OwnerId: ['1', '2'], OwnerAccount: 'a' }), true);
      const inherited = Object.create({ OwnerId: '1' }) as Record<string, string>;
      inherited.OwnerAccount = 'a';
      assert.equal(hasOwnerIdAndOwnerAccount(inherited), false);
    });
  });
});
