/**
 * Parameter attacks: duplicated and array-valued common parameters, prototype names at every depth,
 * hostile list indexes, XML metacharacters in everything that can be echoed, Actions that are not
 * XML names, ClientToken games.
 */
import type { HostileCase, HostileRequest } from '../case.js';
import {
  call,
  createInstance,
  describeInstances,
  error,
  group,
  INVALID,
  INVALID_ACTION,
  KEY_NOT_FOUND,
  MISSING,
  MISMATCH,
  ok,
  signedGet,
  signedPost,
  V1,
  V3,
} from './helpers.js';

const duplicates = group('duplicate and array-valued common parameters');
const dup = (name: string, request: HostileRequest) => duplicates(name, request, INVALID);
const proto = group('__proto__ / constructor / toString names');
const lists = group('list indexes');
const xml = group('XML metacharacters in echoed fields');
const actions = group('Actions that are not XML names');
const tokens = group('ClientToken');

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const META = '<a href="x">&amp;]]>\'"</a>';

function protoNames(): HostileCase[] {
  const out: HostileCase[] = [];
  for (const word of FORBIDDEN) {
    for (const name of [word, `${word}.x`, `Tag.${word}`, `Tag.1.${word}`, `Tag.${word}.Key`, `InstanceId.${word}`, `x.y.z.${word}`]) {
      out.push(proto(`${name} (query)`, signedGet(describeInstances([name, '1'])), error(400, 'InvalidParameter')));
    }
    out.push(proto(`${word} in a form body`, signedPost(describeInstances(), [[word, '1']]), INVALID));
    out.push(proto(`Action=${word}`, signedGet(call(word)), INVALID_ACTION));
    out.push(proto(`AccessKeyId=${word}`, signedGet(call('DescribeRegions'), { version: 'V1', accessKeyId: word }), KEY_NOT_FOUND));
  }
  return out;
}

export const PARAMETER_CASES: readonly HostileCase[] = [
  dup('Action twice', signedGet([['Action', 'DescribeRegions'], ...call('DescribeRegions')])),
  dup('Action in the query and the body', signedPost(call('DescribeRegions'), [['Action', 'DescribeRegions']])),
  dup('Version twice', signedGet([...call('DescribeRegions'), ['Version', '2014-05-26']])),
  dup('Format twice, same value', signedGet(call('DescribeRegions', ['Format', 'JSON'], ['Format', 'JSON']))),
  dup('Format in query and body, different values', signedPost(call('DescribeRegions', ['Format', 'JSON']), [['Format', 'XML']])),
  dup('AccessKeyId twice', signedGet(call('DescribeRegions', ['AccessKeyId', 'testid']))),
  dup('Signature twice', { query: call('DescribeRegions', ['Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=']), sign: { version: 'V1' } }),
  dup('SignatureNonce twice', signedGet(call('DescribeRegions', ['SignatureNonce', 'n-1']))),
  dup('Timestamp twice', signedGet(call('DescribeRegions', ['Timestamp', '2020-01-01T00:00:00Z']))),
  dup('Timestamp and TimeStamp', signedGet(call('DescribeRegions', ['TimeStamp', '2020-01-01T00:00:00Z']))),
  dup('SignatureMethod twice', signedGet(call('DescribeRegions', ['SignatureMethod', 'HMAC-SHA1']))),
  dup('SignatureVersion twice', signedGet(call('DescribeRegions', ['SignatureVersion', '1.0']))),
  dup('SecurityToken twice', signedGet(call('DescribeRegions', ['SecurityToken', 'a'], ['SecurityToken', 'b']))),
  dup('RegionId twice', signedGet(describeInstances(['RegionId', 'cn-hangzhou']))),
  dup('PageSize twice', signedGet(describeInstances(['PageSize', '10'], ['PageSize', '20']))),
  duplicates('x-acs-action header and a different Action parameter (the parameter wins)', { query: call('DescribeRegions'), headers: [['x-acs-action', 'DeleteInstance']], sign: { version: 'V1' } }, ok()),
  duplicates('PHP-style Action[] is not Action', signedGet([['Action[]', 'DescribeRegions'], ['Version', '2014-05-26']]), MISSING),
  duplicates('Action.1 is not Action', signedGet([['Action.1', 'DescribeRegions'], ['Version', '2014-05-26']]), MISSING),
  duplicates('empty Action', signedGet([['Action', ''], ['Version', '2014-05-26']]), MISSING),
  duplicates('x-acs-action header twice (V3: joined by Node, so not what was signed)', { query: call('DescribeRegions'), headers: [['x-acs-action', 'DescribeRegions']], sign: V3 }, error(400, 'SignatureDoesNotMatch', 'JSON')),
]
  .concat([
    ...protoNames(),
    proto('constructor.prototype', signedGet(describeInstances(['constructor.prototype', '1'])), INVALID),
    proto('Tag.1.constructor.prototype.Key', signedGet(createInstance(['Tag.1.constructor.prototype.Key', '1'])), INVALID),
    proto('__proto__.__proto__', signedGet(describeInstances(['__proto__.__proto__', '1'])), INVALID),
    proto('toString (not declared: ignored)', signedGet(describeInstances(['toString', '1'])), ok()),
    proto('valueOf and hasOwnProperty (ignored)', signedGet(describeInstances(['valueOf', '1'], ['hasOwnProperty', '1'])), ok()),
    proto('Tag.toString', signedGet(describeInstances(['Tag.toString', '1'])), INVALID),
    proto('Tag.1.toString', signedGet(describeInstances(['Tag.1.Key', 'k'], ['Tag.1.toString', '1'])), ok()),
    proto('InstanceId.toString', signedGet(describeInstances(['InstanceId.toString', '1'])), INVALID),
    proto('Action=toString', signedGet(call('toString')), INVALID_ACTION),
    proto('Action=hasOwnProperty', signedGet(call('hasOwnProperty')), INVALID_ACTION),
    proto('Version=__proto__', signedGet([['Action', 'DescribeRegions'], ['Version', '__proto__']]), INVALID),
    proto('Format=__proto__', signedGet(call('DescribeRegions', ['Format', '__proto__'])), INVALID),
    proto('x-acs-action: __proto__ (V3)', { query: call('__proto__'), sign: V3 }, error(403, 'InvalidAction', 'JSON')),
    proto('AccessKeyId=toString', signedGet(call('DescribeRegions'), { version: 'V1', accessKeyId: 'toString' }), KEY_NOT_FOUND),
    proto('InstanceIds JSON with a __proto__ key', signedGet(describeInstances(['InstanceIds', '{"__proto__":{"polluted":1}}'])), INVALID),
    proto('InstanceIds JSON array holding "__proto__" (a plain value)', signedGet(describeInstances(['InstanceIds', '["__proto__","constructor"]'])), ok()),
    proto('unsigned __proto__ with a known Action: authentication comes first', { query: call('DescribeRegions', ['__proto__', 'x']) }, MISSING),

    lists('index 0', signedGet(describeInstances(['InstanceId.0', 'i-1'])), INVALID),
    lists('index -1', signedGet(describeInstances(['InstanceId.-1', 'i-1'])), INVALID),
    lists('index 1e9', signedGet(describeInstances(['InstanceId.1e9', 'i-1'])), INVALID),
    lists('index 1000000000', signedGet(describeInstances(['InstanceId.1000000000', 'i-1'])), INVALID),
    lists('index 1001 (past the cap)', signedGet(describeInstances(['InstanceId.1001', 'i-1'])), INVALID),
    lists('index 1000 (at the cap; sparse, not 1000 items)', signedGet(describeInstances(['InstanceId.1000', 'i-1'])), ok()),
    lists('index 2^53+1', signedGet(describeInstances(['InstanceId.9007199254740993', 'i-1'])), INVALID),
    lists('non-numeric index', signedGet(describeInstances(['InstanceId.x', 'i-1'])), INVALID),
    lists('leading zero 01', signedGet(describeInstances(['InstanceId.01', 'i-1'])), INVALID),
    lists('index 1.5', signedGet(describeInstances(['InstanceId.1.5', 'i-1'])), INVALID),
    lists('empty index', signedGet(describeInstances(['InstanceId.', 'i-1'])), INVALID),
    lists('double dot', signedGet(describeInstances(['InstanceId..1', 'i-1'])), INVALID),
    lists('index +1', signedGet(describeInstances(['InstanceId.+1', 'i-1'])), INVALID),
    lists('hex index 0x1', signedGet(describeInstances(['InstanceId.0x1', 'i-1'])), INVALID),
    lists('Infinity', signedGet(describeInstances(['InstanceId.Infinity', 'i-1'])), INVALID),
    lists('Arabic-Indic digit ١', signedGet(describeInstances(['InstanceId.\u0661', 'i-1'])), INVALID),
    lists('full-width digit １', signedGet(describeInstances(['InstanceId.\uFF11', 'i-1'])), INVALID),
    lists('list given as a scalar and as items', signedGet(describeInstances(['InstanceId', 'i-0'], ['InstanceId.1', 'i-1'])), INVALID),
    lists('struct list index 0', signedGet(describeInstances(['Tag.0.Key', 'k'])), INVALID),
    lists('struct list index -1', signedGet(describeInstances(['Tag.-1.Key', 'k'])), INVALID),
    lists('struct list index 1e9', signedGet(describeInstances(['Tag.1e9.Key', 'k'])), INVALID),
    lists('struct list non-numeric index', signedGet(describeInstances(['Tag.abc.Key', 'k'])), INVALID),
    lists('struct list item without a field', signedGet(describeInstances(['Tag.1', 'k'])), INVALID),
    lists('struct field nested too deep', signedGet(describeInstances(['Tag.1.Key.Extra', 'k'])), INVALID),
    lists('21 tags (past maxItems 20)', signedGet(createInstance(...Array.from({ length: 21 }, (_, i) => [`Tag.${i + 1}.Key`, `k${i}`] as const))), INVALID),
    lists('101 instance ids (past maxItems 100)', signedPost(describeInstances(), Array.from({ length: 101 }, (_, i) => [`InstanceId.${i + 1}`, `i-${i}`] as const)), INVALID),
    lists('PageNumber 1e9 (not an integer text)', signedGet(describeInstances(['PageNumber', '1e9'])), INVALID),
    lists('PageNumber 2^64', signedGet(describeInstances(['PageNumber', '18446744073709551616'])), INVALID),
    lists('PageNumber 0', signedGet(describeInstances(['PageNumber', '0'])), INVALID),
    lists('PageNumber -1', signedGet(describeInstances(['PageNumber', '-1'])), INVALID),
    lists('PageNumber 1000000000 (empty page)', signedGet(describeInstances(['PageNumber', '1000000000'])), ok()),
    lists('PageSize 101', signedGet(describeInstances(['PageSize', '101'])), INVALID),
    lists('PageSize " 10"', signedGet(describeInstances(['PageSize', ' 10'])), INVALID),

    xml(`metacharacters in an invalid name, XML: ${META}`, signedGet(describeInstances([`Tag.${META}.Key`, 'v'], ['Format', 'XML'])), error(400, 'InvalidParameter', 'XML')),
    xml('metacharacters in an invalid name, JSON', signedGet(describeInstances([`Tag.${META}.Key`, 'v'], ['Format', 'JSON'])), error(400, 'InvalidParameter', 'JSON')),
    xml(']]> in a list index', signedGet(describeInstances(['InstanceId.]]>', 'v'])), INVALID),
    xml('metacharacters in a forbidden name', signedGet(describeInstances([`__proto__.${META}`, 'v'])), INVALID),
    xml('a 300-character hostile name is cut in the message', signedGet(describeInstances([`Tag.${'<&]]>'.repeat(60)}.Key`, 'v'])), INVALID),
    xml('metacharacters and ]]> in the instance name', signedGet(createInstance(['InstanceName', META])), ok()),
    xml('metacharacters in tags', signedGet(createInstance(['Tag.1.Key', META], ['Tag.1.Value', `]]>${META}`])), ok()),
    xml('…listed back in XML', signedGet(describeInstances(['Format', 'XML'])), ok('XML')),
    xml('…listed back in JSON', signedGet(describeInstances(['Format', 'JSON'])), ok('JSON')),
    xml('…filtered by a hostile tag', signedGet(describeInstances(['Tag.1.Key', META])), ok()),
    xml('metacharacters in every value of a wrong V1 signature (echoed string to sign)', signedGet(describeInstances(['InstanceName', META], ['Format', 'XML']), { version: 'V1', signature: (s) => `${s.slice(0, 26)}${s[26] === 'A' ? 'E' : 'A'}=` }), MISMATCH),
    xml('…the same in JSON', signedGet(describeInstances(['InstanceName', META], ['Format', 'JSON']), { version: 'V1', secret: 'wrong' }), MISMATCH),
    xml('metacharacters in a V3 Authorization field name (echoed), XML', { query: call('DescribeRegions', ['Format', 'XML']), headers: [['Authorization', `ACS3-HMAC-SHA256 <b>]]>&x=1`]] }, error(400, 'IncompleteSignature', 'XML')),
    xml('& in an absent signed header name (echoed), XML', { query: call('DescribeRegions', ['Format', 'XML']), sign: { version: 'V3', signedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version', "x-a&b'c"] } }, error(400, 'IncompleteSignature', 'XML')),
    xml('metacharacters in the RegionId', signedGet(describeInstances().map(([n, v]) => [n, n === 'RegionId' ? META : v] as const)), error(404, 'InvalidRegionId.NotFound')),
    xml('metacharacters in an Accept header', { query: call('DescribeRegions'), headers: [['Accept', 'text/xml; q="<]]>"']], sign: V1 }, ok()),

    actions('starts with a digit', signedGet(call('1DescribeRegions')), INVALID_ACTION),
    actions('contains a space', signedGet(call('Describe Regions')), INVALID_ACTION),
    actions('contains a colon', signedGet(call('ecs:DescribeRegions')), INVALID_ACTION),
    actions('starts with a hyphen', signedGet(call('-DescribeRegions')), INVALID_ACTION),
    actions('is XML metacharacters', signedGet(call(META)), INVALID_ACTION),
    actions('is "]]>"', signedGet(call(']]>')), INVALID_ACTION),
    actions('has a trailing dot', signedGet(call('DescribeRegions.')), INVALID_ACTION),
    actions('differs in case', signedGet(call('describeregions')), INVALID_ACTION),
    actions('has trailing whitespace', signedGet(call('DescribeRegions ')), INVALID_ACTION),
    actions('is emoji', signedGet(call('\u{1F4A5}')), INVALID_ACTION),
    actions('is 300 characters', signedGet(call('A'.repeat(300))), INVALID_ACTION),
    actions('V3 x-acs-action with metacharacters, XML', { query: call(META, ['Format', 'XML']), sign: V3 }, error(403, 'InvalidAction', 'XML')),
    actions('unsigned, not an XML name: authentication first', { query: call('<x>') }, MISSING),

    tokens('non-ASCII ClientToken', signedGet(createInstance(['ClientToken', 'töken'])), INVALID),
    tokens('65-character ClientToken', signedGet(createInstance(['ClientToken', 't'.repeat(65)])), INVALID),
    tokens('ClientToken with metacharacters', signedGet(createInstance(['ClientToken', '<]]>&'])), ok()),
    tokens('ClientToken twice', signedGet(createInstance(['ClientToken', 'a'], ['ClientToken', 'b'])), INVALID),
    tokens('same ClientToken, different parameters', signedGet(createInstance(['ClientToken', 'reused-token'], ['InstanceName', 'second'])), error(400, 'IdempotentParameterMismatch'), [
      signedGet(createInstance(['ClientToken', 'reused-token'], ['InstanceName', 'first'])),
    ]),
    tokens('same ClientToken, same parameters: the stored result', signedGet(createInstance(['ClientToken', 'retried-token'])), ok(), [signedGet(createInstance(['ClientToken', 'retried-token']))]),
    tokens('ClientToken named __proto__', signedGet(createInstance(['ClientToken', '__proto__'])), ok()),
    tokens('ClientToken on an action that does not take one (ignored)', signedGet(call('DescribeRegions', ['ClientToken', 'x'])), ok()),
    tokens('empty ClientToken (no idempotency)', signedGet(createInstance(['ClientToken', ''])), ok()),
    tokens('InvalidInstanceId.NotFound for a hostile id', signedGet(call('StartInstance', ['InstanceId', META])), error(404, 'InvalidInstanceId.NotFound')),
    tokens('InstanceId __proto__', signedGet(call('DeleteInstance', ['InstanceId', '__proto__'])), error(404, 'InvalidInstanceId.NotFound')),
  ]);
