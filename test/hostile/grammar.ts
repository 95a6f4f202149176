/**
 * A fast-check grammar of requests to the ECS example API: methods, actions, parameter names
 * (declared, list/struct forms with hostile indexes, prototype names, random Unicode), values,
 * placement (query or form body), encodings (correct or corrupted), formats, content types, and
 * signing (none, V1, V3, or a broken signature). Every request is valid HTTP/1.1 at the transport
 * level, so whatever it is, the answer must be an envelope.
 */
import fc from 'fast-check';
import { ECS_VERSION } from '../../examples/ecs/api.js';
import type { HostileRequest } from './case.js';
import { encodePairs, type Pairs, type Signing } from './signing.js';

const ACTIONS = ['DescribeRegions', 'DescribeInstances', 'CreateInstance', 'StartInstance', 'StopInstance', 'DeleteInstance'];
const HOSTILE_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', ']]>', '<x>', '&amp;', '"\'', '\u0000', '\r\n', '%ZZ', '..', ''];

const unicode = fc.string({ unit: 'binary', maxLength: 12 });
const word = fc.oneof(fc.constantFrom(...HOSTILE_WORDS), unicode, fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/));
const index = fc.oneof(
  fc.integer({ min: 1, max: 25 }).map(String),
  fc.constantFrom('0', '-1', '1e9', '1000', '1001', '01', '1.5', 'x', '', '9007199254740993', '\u0661', 'Infinity'),
);

/** Parameter names: mostly the API's own, in every shape, then hostile ones. */
const name: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('RegionId', 'InstanceType', 'InstanceName', 'ClientToken', 'PageNumber', 'PageSize', 'InstanceIds', 'InstanceId') },
  { weight: 3, arbitrary: index.map((i) => `InstanceId.${i}`) },
  { weight: 3, arbitrary: fc.tuple(index, fc.constantFrom('Key', 'Value', '__proto__', 'toString', 'Extra')).map(([i, f]) => `Tag.${i}.${f}`) },
  { weight: 2, arbitrary: fc.constantFrom('Format', 'Version', 'Action', 'AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp', 'SecurityToken', 'OwnerId', 'OwnerAccount') },
  { weight: 2, arbitrary: fc.array(word, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')) },
);

const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('cn-hangzhou', 'ecs.g7.large', 'i-abc', '1', '10', '100', 'JSON', 'XML', 'true', '["i-1","i-2"]', '') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_WORDS) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => 'v'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '0', '1e9', '18446744073709551616', ' 10', '0x10', 'NaN') },
);

const pairs: fc.Arbitrary<Pairs> = fc.array(fc.tuple(name, value), { maxLength: 6 });

const format = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(undefined, 'JSON', 'XML', 'json', 'xml') },
  { weight: 1, arbitrary: fc.constantFrom('yaml', '', 'JSON\u0000') },
);

const signing: fc.Arbitrary<Signing | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant<Signing>({ version: 'V1' }),
  fc.constant<Signing>({ version: 'V1' }),
  fc.constant<Signing>({ version: 'V1' }),
  fc.constant<Signing>({ version: 'V1', inBody: true }),
  fc.constant<Signing>({ version: 'V3' }),
  fc.constant<Signing>({ version: 'V3' }),
  fc.constant<Signing>({ version: 'V1', secret: 'wrong' }),
  fc.constant<Signing>({ version: 'V1', signature: (s) => s.slice(1) }),
  fc.constant<Signing>({ version: 'V1', timestamp: '2000-01-01T00:00:00Z' }),
  fc.constant<Signing>({ version: 'V3', secret: 'wrong' }),
);

/** A corruption of an encoded query or body: a broken escape, or (bodies only) raw bytes. */
type Corruption = 'none' | 'bad-escape' | 'truncated-escape' | 'invalid-utf8-escape' | 'raw-bytes';
const corruption = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Corruption>('none') },
  { weight: 1, arbitrary: fc.constantFrom<Corruption>('bad-escape', 'truncated-escape', 'invalid-utf8-escape', 'raw-bytes') },
);

/** What each action needs to get past validation, so that many requests reach the handlers. */
const BASELINE: ReadonlyMap<string, Pairs> = new Map<string, Pairs>([
  ['DescribeInstances', [['RegionId', 'cn-hangzhou']]],
  ['CreateInstance', [['RegionId', 'cn-hangzhou'], ['InstanceType', 'ecs.g7.large']]],
  ['StartInstance', [['InstanceId', 'i-none']]],
  ['StopInstance', [['InstanceId', 'i-none']]],
  ['DeleteInstance', [['InstanceId', 'i-none']]],
]);

function corrupt(text: string, how: Corruption, at: number, allowRaw: boolean): Buffer {
  const cut = text.length === 0 ? 0 : at % (text.length + 1);
  const insert = how === 'bad-escape' ? '%ZZ' : how === 'truncated-escape' ? '%E4%B8' : how === 'invalid-utf8-escape' ? '%C3%28' : '';
  if (how === 'raw-bytes' && allowRaw) {
    return Buffer.concat([Buffer.from(text.slice(0, cut), 'latin1'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(text.slice(cut), 'latin1')]);
  }
  return Buffer.from(text.slice(0, cut) + insert + text.slice(cut), 'latin1');
}

/** One generated request, as data (printable in a counterexample). */
export interface FuzzRequest {
  readonly method: string;
  readonly action: string;
  readonly version: string;
  readonly format: string | undefined;
  readonly query: Pairs;
  readonly form: Pairs | undefined;
  readonly contentType: string | undefined;
  readonly sign: Signing | undefined;
  readonly corruption: Corruption;
  readonly corruptAt: number;
  /** Send the action's required parameters first. */
  readonly baseline: boolean;
}

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH') }),
  action: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: word }),
  version: fc.oneof({ weight: 12, arbitrary: fc.constant(ECS_VERSION) }, { weight: 1, arbitrary: word }),
  format,
  query: pairs,
  form: fc.option(pairs, { nil: undefined }),
  baseline: fc.boolean(),
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(undefined, 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8') },
    { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x') },
  ),
  sign: signing,
  corruption,
  corruptAt: fc.nat(),
});

/**
 * The request to send for a generated one. Corruptions and non-form content types cannot be
 * signed meaningfully, so such requests go unsigned or keep a signature that no longer matches.
 *
 * @example
 * const request = toHostileRequest(sample);
 */
export function toHostileRequest(generated: FuzzRequest): HostileRequest {
  // V3 moves Action and Version into headers: keep those to bytes HTTP allows in a header value.
  const headerSafe = /^[\x20-\x7e]*$/.test(generated.action + generated.version);
  const fuzz = generated.sign?.version === 'V3' && !headerSafe ? { ...generated, sign: { version: 'V1' } as const } : generated;
  const common: Pairs = [['Action', fuzz.action], ['Version', fuzz.version], ...(fuzz.format === undefined ? [] : [['Format', fuzz.format] as const])];
  const query: Pairs = [...common, ...(fuzz.baseline ? (BASELINE.get(fuzz.action) ?? []) : []), ...fuzz.query];
  const headers: (readonly [string, string])[] = fuzz.contentType === undefined ? [] : [['Content-Type', fuzz.contentType]];
  if (fuzz.corruption === 'none') {
    const form = fuzz.form ?? (fuzz.sign !== undefined && 'inBody' in fuzz.sign ? [] : undefined);
    return {
      method: fuzz.method,
      query,
      ...(form === undefined ? {} : fuzz.contentType === undefined || fuzz.contentType.startsWith('application/x-www-form-urlencoded') ? { form } : { body: Buffer.from(encodePairs(form)) }),
      headers,
      ...(fuzz.sign === undefined ? {} : { sign: fuzz.sign }),
    };
  }
  const inBody = fuzz.form !== undefined;
  const queryText = inBody ? encodePairs(query) : corrupt(encodePairs(query), fuzz.corruption, fuzz.corruptAt, false).toString('latin1');
  return {
    method: fuzz.method,
    query: { raw: queryText },
    ...(inBody ? { body: corrupt(encodePairs(fuzz.form ?? []), fuzz.corruption, fuzz.corruptAt, true) } : {}),
    headers: inBody && fuzz.contentType === undefined ? [['Content-Type', 'application/x-www-form-urlencoded']] : headers,
  };
}
