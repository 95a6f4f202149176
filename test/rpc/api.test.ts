/**
 * Issue 3, parameter types through real HTTP: every type of the declaration DSL, by GET, by POST
 * form body and by POST split between query and body, answered in XML and in JSON. The handler's
 * view (typed values) is compared deep-equal; the client's view is the envelope it reads back.
 */
import assert from 'node:assert/strict';
import { p } from '../../lib/index.js';
import {
  FORMATS,
  TRANSPORTS,
  call,
  expectError,
  lastSeen,
  readSuccess,
  service,
  type Pairs,
  type Transport,
  type WireFormat,
} from './api-support.js';
import { childText } from '../support/xml.js';

const BASE: Pairs = [['RegionId', 'cn-hangzhou']];

/** Every type at once, with values that exercise encoding (spaces, Chinese, emoji, `+ & = %`). */
const FULL: Pairs = [
  ['RegionId', 'cn-hangzhou'],
  ['InstanceName', 'web 1+2&=% 中文😀'],
  ['DiskCategory', 'cloud_ssd'],
  ['PageSize', '100'],
  ['Offset', '-2147483648'],
  ['Quota', '9223372036854775807'],
  ['Ratio', '2.5e-1'],
  ['DryRun', 'false'],
  ['ChargeType', 'PrePaid'],
  ['InstanceIds', '["i-a","i-b"]'],
  ['InstanceId.1', 'i-first'],
  ['InstanceId.2', 'i-second'],
  ['Tag.1.Key', 'env'],
  ['Tag.1.Value', 'prod'],
  ['Tag.2.Key', 'team'],
  ['SystemDisk.Category', 'cloud_essd'],
  ['SystemDisk.Size', '40'],
  ['Matrix.1.1', '1'],
  ['Matrix.1.2', '2'],
  ['Matrix.2.1', '0'],
];

const FULL_EXPECTED = {
  RegionId: 'cn-hangzhou',
  InstanceName: 'web 1+2&=% 中文😀',
  DiskCategory: 'cloud_ssd',
  PageSize: 100,
  Offset: -2147483648,
  Quota: 9223372036854775807n,
  Ratio: 0.25,
  DryRun: false,
  ChargeType: 'PrePaid',
  InstanceIds: ['i-a', 'i-b'],
  InstanceId: ['i-first', 'i-second'],
  Tag: [{ Key: 'env', Value: 'prod' }, { Key: 'team' }],
  SystemDisk: { Category: 'cloud_essd', Size: 40 },
  Matrix: [[1, 2], [0]],
};

/** Valid inputs: the business pairs (added to BASE) and what the handler must receive beyond the defaults. */
const VALID: ReadonlyArray<{ readonly what: string; readonly pairs: Pairs; readonly expect: Record<string, unknown> }> = [
  { what: 'String at its length bounds', pairs: [['RegionId', 'ab-c'.padEnd(20, 'x')]], expect: { RegionId: 'ab-cxxxxxxxxxxxxxxxx' } },
  { what: 'String keeps a leading/trailing space and an empty value', pairs: [['InstanceName', ' a ']], expect: { InstanceName: ' a ' } },
  { what: 'String, empty value', pairs: [['InstanceName', '']], expect: { InstanceName: '' } },
  { what: 'String with enum', pairs: [['DiskCategory', 'cloud_essd']], expect: { DiskCategory: 'cloud_essd' } },
  { what: 'Integer at its bounds', pairs: [['PageSize', '1'], ['Offset', '2147483647']], expect: { PageSize: 1, Offset: 2147483647 } },
  { what: 'Integer with a sign and leading zeros', pairs: [['PageSize', '+007'], ['Offset', '-0']], expect: { PageSize: 7, Offset: 0 } },
  { what: 'Long below -2^53 stays exact (bigint)', pairs: [['Quota', '-9223372036854775808']], expect: { Quota: -9223372036854775808n } },
  { what: 'Long just above 2^53 stays exact (bigint)', pairs: [['Quota', '9007199254740993']], expect: { Quota: 9007199254740993n } },
  { what: 'Float at its bounds', pairs: [['Ratio', '0']], expect: { Ratio: 0 } },
  { what: 'Float, decimal forms', pairs: [['Ratio', '.5']], expect: { Ratio: 0.5 } },
  { what: 'Float, upper bound with exponent', pairs: [['Ratio', '1E0']], expect: { Ratio: 1 } },
  { what: 'Boolean true', pairs: [['DryRun', 'true']], expect: { DryRun: true } },
  { what: 'Boolean false', pairs: [['DryRun', 'false']], expect: { DryRun: false } },
  { what: 'enum', pairs: [['ChargeType', 'PostPaid']], expect: {} },
  { what: 'JSON-string parameter, empty array', pairs: [['InstanceIds', '[]']], expect: { InstanceIds: [] } },
  {
    what: 'repeat list in wire-index order, gaps compacted',
    pairs: [['InstanceId.10', 'i-ten'], ['InstanceId.2', 'i-two'], ['InstanceId.7', 'i-seven']],
    expect: { InstanceId: ['i-two', 'i-seven', 'i-ten'] },
  },
  { what: 'list of structs: a Value without its optional partner', pairs: [['Tag.1.Key', 'k'], ['Tag.1.Value', '']], expect: { Tag: [{ Key: 'k', Value: '' }] } },
  { what: 'struct with only its required field', pairs: [['SystemDisk.Category', 'cloud_ssd']], expect: { SystemDisk: { Category: 'cloud_ssd' } } },
  { what: 'nested list', pairs: [['Matrix.3.3', '9'], ['Matrix.1.1', '5']], expect: { Matrix: [[5], [9]] } },
];

/** Invalid inputs: the business pairs (added to BASE unless `alone`) and the error they must give. */
const INVALID: ReadonlyArray<{
  readonly what: string;
  readonly pairs: Pairs;
  readonly code: 'InvalidParameter' | 'MissingParameter';
  readonly name: string;
  readonly alone?: boolean;
}> = [
  { what: 'required String absent', pairs: [], code: 'MissingParameter', name: 'RegionId', alone: true },
  { what: 'String shorter than minLength', pairs: [['RegionId', 'a']], code: 'InvalidParameter', name: 'RegionId', alone: true },
  { what: 'String longer than maxLength', pairs: [['RegionId', 'cn-'.padEnd(21, 'x')]], code: 'InvalidParameter', name: 'RegionId', alone: true },
  { what: 'String not matching its pattern', pairs: [['RegionId', 'CN_HANGZHOU']], code: 'InvalidParameter', name: 'RegionId', alone: true },
  { what: 'String longer than maxLength (not required)', pairs: [['InstanceName', 'n'.repeat(17)]], code: 'InvalidParameter', name: 'InstanceName' },
  { what: 'String not in its enum', pairs: [['DiskCategory', 'cloud']], code: 'InvalidParameter', name: 'DiskCategory' },
  { what: 'String enum is case-sensitive', pairs: [['DiskCategory', 'CLOUD_SSD']], code: 'InvalidParameter', name: 'DiskCategory' },
  { what: 'Integer below min', pairs: [['PageSize', '0']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer above max', pairs: [['PageSize', '101']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer with a fraction', pairs: [['PageSize', '1.5']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer, empty', pairs: [['PageSize', '']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer, text', pairs: [['PageSize', 'ten']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer, exponent', pairs: [['PageSize', '1e1']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer, hexadecimal', pairs: [['PageSize', '0x10']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer, surrounding space', pairs: [['PageSize', ' 5']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'Integer beyond 32 bits (default bounds)', pairs: [['Offset', '2147483648']], code: 'InvalidParameter', name: 'Offset' },
  { what: 'Long beyond 64 bits', pairs: [['Quota', '9223372036854775808']], code: 'InvalidParameter', name: 'Quota' },
  { what: 'Long, a thousand digits', pairs: [['Quota', '9'.repeat(1000)]], code: 'InvalidParameter', name: 'Quota' },
  { what: 'Long with a fraction', pairs: [['Quota', '1.0']], code: 'InvalidParameter', name: 'Quota' },
  { what: 'Float above max', pairs: [['Ratio', '1.0001']], code: 'InvalidParameter', name: 'Ratio' },
  { what: 'Float below min', pairs: [['Ratio', '-0.1']], code: 'InvalidParameter', name: 'Ratio' },
  { what: 'Float NaN', pairs: [['Ratio', 'NaN']], code: 'InvalidParameter', name: 'Ratio' },
  { what: 'Float Infinity', pairs: [['Ratio', 'Infinity']], code: 'InvalidParameter', name: 'Ratio' },
  { what: 'Float, hexadecimal', pairs: [['Ratio', '0x1']], code: 'InvalidParameter', name: 'Ratio' },
  { what: 'Float, empty', pairs: [['Ratio', '']], code: 'InvalidParameter', name: 'Ratio' },
  { what: 'Boolean "yes"', pairs: [['DryRun', 'yes']], code: 'InvalidParameter', name: 'DryRun' },
  { what: 'Boolean "1"', pairs: [['DryRun', '1']], code: 'InvalidParameter', name: 'DryRun' },
  { what: 'Boolean ""', pairs: [['DryRun', '']], code: 'InvalidParameter', name: 'DryRun' },
  { what: 'Boolean "True"', pairs: [['DryRun', 'True']], code: 'InvalidParameter', name: 'DryRun' },
  { what: 'Boolean "0"', pairs: [['DryRun', '0']], code: 'InvalidParameter', name: 'DryRun' },
  { what: 'enum value not listed', pairs: [['ChargeType', 'Free']], code: 'InvalidParameter', name: 'ChargeType' },
  { what: 'enum is case-sensitive', pairs: [['ChargeType', 'prepaid']], code: 'InvalidParameter', name: 'ChargeType' },
  { what: 'JSON-string parameter that is not JSON', pairs: [['InstanceIds', '[i-a]']], code: 'InvalidParameter', name: 'InstanceIds' },
  { what: 'JSON-string parameter of the wrong shape', pairs: [['InstanceIds', '{"a":1}']], code: 'InvalidParameter', name: 'InstanceIds' },
  { what: 'JSON-string parameter failing its item rule', pairs: [['InstanceIds', '["x-1"]']], code: 'InvalidParameter', name: 'InstanceIds' },
  { what: 'JSON-string parameter too long for its schema', pairs: [['InstanceIds', '["i-1","i-2","i-3","i-4"]']], code: 'InvalidParameter', name: 'InstanceIds' },
  { what: 'JSON-string parameter with a __proto__ key', pairs: [['InstanceIds', '{"__proto__":{"polluted":1}}']], code: 'InvalidParameter', name: 'InstanceIds' },
  { what: 'repeat-list item failing its pattern (named with its wire index)', pairs: [['InstanceId.1', 'i-a'], ['InstanceId.4', 'bad']], code: 'InvalidParameter', name: 'InstanceId.4' },
  {
    what: 'repeat list longer than maxItems (named by the first item too many)',
    pairs: Array.from({ length: 11 }, (_, i) => [`InstanceId.${i + 1}`, `i-${i}`] as const),
    code: 'InvalidParameter',
    name: 'InstanceId.11',
  },
  { what: 'repeat list sent without an index', pairs: [['InstanceId', 'i-a']], code: 'InvalidParameter', name: 'InstanceId' },
  { what: 'list of structs missing a required field', pairs: [['Tag.1.Key', 'a'], ['Tag.3.Value', 'v']], code: 'MissingParameter', name: 'Tag.3.Key' },
  { what: 'list of structs with a field too long', pairs: [['Tag.2.Key', 'k'], ['Tag.2.Value', 'v'.repeat(17)]], code: 'InvalidParameter', name: 'Tag.2.Value' },
  {
    what: 'list of structs longer than maxItems',
    pairs: Array.from({ length: 6 }, (_, i) => [`Tag.${i + 1}.Key`, `k${i}`] as const),
    code: 'InvalidParameter',
    name: 'Tag.6',
  },
  { what: 'struct missing a required field', pairs: [['SystemDisk.Size', '40']], code: 'MissingParameter', name: 'SystemDisk.Category' },
  { what: 'struct field out of range', pairs: [['SystemDisk.Category', 'c'], ['SystemDisk.Size', '19']], code: 'InvalidParameter', name: 'SystemDisk.Size' },
  { what: 'struct sent as a scalar', pairs: [['SystemDisk', '40']], code: 'InvalidParameter', name: 'SystemDisk' },
  { what: 'nested-list item out of range', pairs: [['Matrix.1.1', '1'], ['Matrix.2.5', '-1']], code: 'InvalidParameter', name: 'Matrix.2.5' },
  { what: 'nested list, inner list too long', pairs: [['Matrix.1.1', '1'], ['Matrix.1.2', '2'], ['Matrix.1.3', '3'], ['Matrix.1.4', '4']], code: 'InvalidParameter', name: 'Matrix.1.4' },
  { what: 'a scalar sent twice', pairs: [['PageSize', '1'], ['PageSize', '2']], code: 'InvalidParameter', name: 'PageSize' },
  { what: 'a list item sent twice', pairs: [['InstanceId.1', 'i-a'], ['InstanceId.1', 'i-b']], code: 'InvalidParameter', name: 'InstanceId.1' },
];

const DEFAULTS = { PageSize: 10, ChargeType: 'PostPaid' };

function forEachWay(body: (transport: Transport, format: WireFormat) => void): void {
  for (const transport of TRANSPORTS) for (const format of FORMATS) describe(`${transport}, ${format}`, () => body(transport, format));
}

describe('rpc/api over HTTP: every parameter type', () => {
  const svc = service();

  forEachWay((transport, format) => {
    it('delivers every type, typed, to the handler; the envelope is <Action>Response with the RequestId', async () => {
      const res = await call(svc, transport, format, 'Showcase', FULL);
      const view = readSuccess(res, format, 'Showcase');
      const seen = lastSeen(svc);
      assert.deepEqual(seen.params, FULL_EXPECTED);
      assert.equal(seen.action, 'Showcase');
      if (format === 'JSON') assert.deepEqual(view.json, { RequestId: view.RequestId, Region: 'cn-hangzhou', PageSize: 100 });
      else assert.equal(childText(view.xml!, 'PageSize'), '100');
    });

    it('applies defaults and leaves absent optional parameters out', async () => {
      const res = await call(svc, transport, format, 'Showcase', BASE);
      readSuccess(res, format, 'Showcase');
      const seen = lastSeen(svc);
      assert.deepEqual(seen.params, { RegionId: 'cn-hangzhou', ...DEFAULTS });
      assert.deepEqual(Object.keys(seen.params).sort(), ['ChargeType', 'PageSize', 'RegionId']);
    });

    for (const { what, pairs, expect } of VALID) {
      it(`accepts: ${what}`, async () => {
        const res = await call(svc, transport, format, 'Showcase', pairs.some(([n]) => n === 'RegionId') ? pairs : [...BASE, ...pairs]);
        readSuccess(res, format, 'Showcase');
        assert.deepEqual(lastSeen(svc).params, { RegionId: 'cn-hangzhou', ...DEFAULTS, ...expect });
      });
    }

    for (const { what, pairs, code, name, alone } of INVALID) {
      it(`refuses: ${what} → ${code} "${name}"`, async () => {
        const before = svc.seen.length;
        const res = await call(svc, transport, format, 'Showcase', alone === true ? pairs : [...BASE, ...pairs]);
        expectError(res, 400, code, name, format);
        assert.equal(svc.seen.length, before, 'the handler did not run');
      });
    }
  });

  it('writes a Long back exactly in JSON and XML (no 2^53 rounding)', async () => {
    const echo = service({}, (api) => {
      api.action('EchoQuota', {
        params: { Quota: p.long({ required: true }) },
        handler: ({ Quota }) => ({ Quota, Doubled: Quota * 2n }),
      });
    });
    const json = await call(echo, 'GET', 'JSON', 'EchoQuota', [['Quota', '4611686018427387905']]);
    readSuccess(json, 'JSON', 'EchoQuota');
    assert.match(json.text, /"Quota":4611686018427387905,"Doubled":9223372036854775810\}$/);
    const xml = await call(echo, 'GET', 'XML', 'EchoQuota', [['Quota', '4611686018427387905']]);
    const view = readSuccess(xml, 'XML', 'EchoQuota');
    assert.equal(childText(view.xml!, 'Quota'), '4611686018427387905');
    assert.equal(childText(view.xml!, 'Doubled'), '9223372036854775810');
  });
});
