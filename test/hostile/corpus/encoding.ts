/**
 * Encoding attacks: malformed percent-encoding, invalid UTF-8, NUL and control characters, huge
 * values and names, huge parameter counts.
 */
import type { HostileCase } from '../case.js';
import { call, createInstance, describeInstances, error, FORM, group, INVALID, INVALID_ACTION, KEY_NOT_FOUND, ok, REGION_NOT_FOUND, signedGet, signedPost, V1, ILLEGAL_TIMESTAMP, INCOMPLETE_SIGNATURE, REFUSED, HEADERS_TOO_LARGE } from './helpers.js';

const percent = group('malformed percent-encoding');
const utf8 = group('invalid UTF-8');
const control = group('NUL and control characters');
const huge = group('100 KB values');
const many = group('10,000 parameters');

const KB100 = 100 * 1024;
const big = (c = 'a') => c.repeat(KB100);

const rawPost = (body: string | Buffer, query = '') => ({
  method: 'POST',
  query: { raw: query },
  body: typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
  headers: [FORM],
});

export const ENCODING_CASES: readonly HostileCase[] = [
  percent('bad hex digits in a value', { query: { raw: 'Action=%ZZ' } }, INVALID),
  percent('lone % at the end', { query: { raw: 'Action=DescribeRegions&Version=%' } }, INVALID),
  percent('one hex digit', { query: { raw: 'Action=%4' } }, INVALID),
  percent('bad escape in a name', { query: { raw: '%ZZ=1&Action=DescribeRegions' } }, INVALID),
  percent('% inside a word', { query: { raw: 'Action=Describe%Regions' } }, INVALID),
  percent('%u escape (IIS style)', { query: { raw: 'Action=%u0044escribeRegions' } }, INVALID),
  percent('double percent', { query: { raw: 'Action=%%34%31' } }, INVALID),
  percent('truncated multi-byte sequence after Format=JSON: the query is unreadable, so XML', { query: { raw: 'Format=JSON&x=%E0%A4%A' } }, error(400, 'InvalidParameter', 'XML')),
  percent('bad escape in a form body', rawPost('Action=%ZZ'), INVALID),
  percent('bad escape in a form body after Format=JSON in the query: JSON error', rawPost('Action=%G0', 'Format=JSON'), error(400, 'InvalidParameter', 'JSON')),
  percent('bad escape in a form body name', rawPost('%=1'), INVALID),
  percent('bad escape in the path is just an unknown path', { path: '/%ZZ', query: call('DescribeRegions') }, INVALID_ACTION),

  utf8('lone continuation byte', { query: { raw: 'Action=%80' } }, INVALID),
  utf8('invalid 2-byte sequence', { query: { raw: 'Action=%C3%28' } }, INVALID),
  utf8('invalid 3-byte sequence', { query: { raw: 'Action=%E2%28%A1' } }, INVALID),
  utf8('invalid 4-byte sequence', { query: { raw: 'Action=%F0%28%8C%BC' } }, INVALID),
  utf8('overlong "/"', { query: { raw: 'Action=%C0%AF' } }, INVALID),
  utf8('encoded UTF-16 surrogate half', { query: { raw: 'Action=%ED%A0%80' } }, INVALID),
  utf8('5-byte sequence', { query: { raw: 'Action=%F8%88%80%80%80' } }, INVALID),
  utf8('0xFF byte in a name', { query: { raw: '%FF%FE=1' } }, INVALID),
  utf8('code point above U+10FFFF', { query: { raw: 'Action=%F4%90%80%80' } }, INVALID),
  utf8('invalid UTF-8 escaped in a form body', rawPost('Action=%C3%28'), INVALID),
  utf8('raw invalid UTF-8 bytes in a form body', rawPost(Buffer.from([0x41, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3d, 0xff, 0xfe])), INVALID),
  utf8('raw invalid UTF-8 bytes in a form body name', rawPost(Buffer.from([0xc3, 0x28, 0x3d, 0x31])), INVALID),
  utf8('raw bytes above 0x7F in the request target', { query: { raw: 'Action=Describe\xe9Regions' } }, REFUSED),

  control('NUL in the Action', signedGet(call('Describe\u0000Regions')), INVALID_ACTION),
  control('the Action is a single NUL', signedGet(call('\u0000')), INVALID_ACTION),
  control('NUL in the RegionId', signedGet(describeInstances().map(([n, v]) => [n, n === 'RegionId' ? `${v}\u0000` : v] as const)), REGION_NOT_FOUND),
  control('NUL in a parameter name (not declared: ignored)', signedGet(call('DescribeRegions', ['Foo\u0000', 'x'])), ok()),
  control('NUL in a list item name', signedGet(describeInstances(['InstanceId.1\u0000', 'i-1'])), INVALID),
  control('control characters in the instance name (kept, rendered in XML)', signedGet(createInstance(['InstanceName', 'a\u0001\u0002\u0008\u000b\u000c\u001b\u007f\u0085b'])), ok('XML')),
  control('…and listed back in XML', signedGet(describeInstances(['Format', 'XML'])), ok('XML')),
  control('…and listed back in JSON', signedGet(describeInstances(['Format', 'JSON'])), ok('JSON')),
  control('NUL in the ClientToken', signedGet(createInstance(['ClientToken', 'tok\u0000en'])), error(400, 'InvalidParameter')),
  control('NUL after the Format', signedGet(call('DescribeRegions', ['Format', 'JSON\u0000'])), INVALID),
  control('NUL after the Version', signedGet([['Action', 'DescribeRegions'], ['Version', '2014-05-26\u0000']]), INVALID),
  control('NUL in the SignatureNonce (an opaque string)', signedGet(call('DescribeRegions'), { version: 'V1', nonce: `n\u0000${Math.random()}` }), ok()),
  control('NUL in the AccessKeyId', signedGet(call('DescribeRegions'), { version: 'V1', accessKeyId: 'testid\u0000' }), KEY_NOT_FOUND),
  control('CR LF and TAB in a Tag value (kept, rendered)', signedGet(createInstance(['Tag.1.Key', 'k\r\n'], ['Tag.1.Value', '\t\r\nv\r'])), ok()),
  control('a control character in a raw header value', { query: call('DescribeRegions'), headers: [['x-acs-action', 'Describe\u0001Regions']] }, REFUSED),
  control('a NUL byte in a raw header value', { query: call('DescribeRegions'), headers: [['Accept', 'application/json\u0000']] }, REFUSED),
  control('lone UTF-16 surrogates sent as U+FFFD', signedGet(createInstance(['InstanceName', '\uD800\uDC00x\uDBFF'])), ok()),
  control('U+FFFE and U+FFFF in the instance name (not XML characters)', signedGet(createInstance(['InstanceName', 'x\uFFFE\uFFFFy'])), ok()),
  control('…then listed back in XML', signedGet(describeInstances()), ok('XML')),

  huge('100 KB RegionId in the body', signedPost(call('DescribeInstances'), [['RegionId', big()]]), REGION_NOT_FOUND),
  huge('100 KB InstanceName', signedPost(createInstance(), [['InstanceName', big()]]), INVALID),
  huge('100 KB ClientToken', signedPost(createInstance(), [['ClientToken', big()]]), INVALID),
  huge('100 KB Tag key', signedPost(createInstance(), [['Tag.1.Key', big()]]), INVALID),
  huge('100 KB undeclared parameter name (ignored)', signedPost(call('DescribeRegions'), [[big('N'), 'x']]), ok()),
  huge('100 KB Action in the body', { method: 'POST', query: [['Version', '2014-05-26']], form: [['Action', big('A')]], sign: V1 }, INVALID_ACTION),
  huge('100 KB SignatureNonce (stored hashed)', { method: 'POST', query: call('DescribeRegions'), form: [], sign: { version: 'V1', nonce: big('n') + Math.random(), inBody: true } }, ok()),
  huge('100 KB AccessKeyId', { method: 'POST', query: call('DescribeRegions'), form: [], sign: { version: 'V1', accessKeyId: big('k'), inBody: true } }, KEY_NOT_FOUND),
  huge('100 KB Signature', { method: 'POST', query: call('DescribeRegions'), form: [], sign: { version: 'V1', signature: () => big('S'), inBody: true } }, INCOMPLETE_SIGNATURE),
  huge('100 KB Timestamp', { method: 'POST', query: call('DescribeRegions'), form: [], sign: { version: 'V1', timestamp: big('9'), inBody: true } }, ILLEGAL_TIMESTAMP),
  huge('100 KB Format', { method: 'POST', query: [], form: call('DescribeRegions', ['Format', big('J')]) }, INVALID),
  huge('100 KB InstanceIds JSON', signedPost(describeInstances(), [['InstanceIds', JSON.stringify([big('i')])]]), INVALID),
  huge('100 KB query string (over the header limit)', { query: { raw: `Action=${big()}` } }, HEADERS_TOO_LARGE),
  huge('100 KB header value', { query: call('DescribeRegions'), headers: [['x-acs-action', big()]] }, HEADERS_TOO_LARGE),

  many('10,000 parameters in the body', { method: 'POST', query: call('DescribeRegions'), form: Array.from({ length: 10_000 }, (_, i) => [`P${i}`, 'x'] as const) }, INVALID),
  many('10,000 values of one name', { method: 'POST', query: call('DescribeRegions'), form: Array.from({ length: 10_000 }, () => ['InstanceId.1', 'i-1'] as const) }, INVALID),
  many('10,000 list items', { method: 'POST', query: describeInstances(), form: Array.from({ length: 10_000 }, (_, i) => [`InstanceId.${i + 1}`, 'i'] as const) }, INVALID),
  many('10,000 parameters in the query (over the header limit)', { query: { raw: Array.from({ length: 10_000 }, (_, i) => `p${i}=1`).join('&') } }, HEADERS_TOO_LARGE),
  many('100,000 empty segments (&&&…) are not parameters', { method: 'POST', query: call('DescribeRegions'), body: Buffer.from('&'.repeat(100_000)), headers: [FORM], sign: V1 }, ok()),
  many('1,001 parameters signed in the query and body', { method: 'POST', query: call('DescribeRegions'), form: Array.from({ length: 993 }, (_, i) => [`P${i}`, 'x'] as const), sign: V1 }, INVALID),
  many('1,000 parameters signed in the query and body (at the limit)', { method: 'POST', query: call('DescribeRegions'), form: Array.from({ length: 992 }, (_, i) => [`P${i}`, 'x'] as const), sign: V1 }, ok()),
];
