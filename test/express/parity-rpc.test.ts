/**
 * RPC parity: the same table of requests sent to `koaRpc(api)` and to `expressRpc(api)` on Express 5
 * and Express 4, every service built from the same action declarations (test/express/rpc-services.ts),
 * gets the same bytes back: status line, every header in the same order (Date, the RequestId value
 * and the time-dependent x-acs-retry-after value normalised) and the body (RequestId normalised).
 * A case may be a sequence (nonce replay, throttling, ClientToken replay): every step is compared.
 * Each step also checks what a client must see, so two equally wrong answers cannot pass.
 */
import assert from 'node:assert/strict';
import express from 'express';
import express4 from 'express4';
import { rawExchange, listen, headerOf, type RawRequest, type RawResponse } from './raw-http.js';
import { koaRpcService, expressRpcService, KEYS, NOW, VERSION, type RpcServiceKind } from './rpc-services.js';
import type { Service } from './services.js';
import { v1Request, v3Request, wire, type Pairs } from './signing.js';
import { parseXmlStrict, childText } from '../support/xml.js';
import { JSON_TYPE, XML_TYPE, REQUEST_ID } from '../support/http.js';

interface Expectation {
  readonly status: number;
  readonly type?: string;
  /** Error code; absent for a success. */
  readonly code?: string;
  /** Server bugs reported for this step. */
  readonly reports?: number;
  /** Headers with these values / absent. */
  readonly present?: Readonly<Record<string, string | RegExp>>;
  readonly absent?: readonly string[];
  /** Fields of a JSON success body. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The XML root of a success. */
  readonly root?: string;
  /** A text the body must contain. */
  readonly contains?: string;
  /** A text the error Message must contain (as decoded from JSON or XML). */
  readonly message?: string;
}

interface Step {
  readonly request: RawRequest;
  readonly expect: Expectation;
}

interface Case {
  readonly name: string;
  readonly service: RpcServiceKind;
  readonly steps: readonly Step[];
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const common = (action: string, format?: 'JSON' | 'XML', version = VERSION): Pairs => [['Action', action], ['Version', version], ...(format ? [['Format', format] as const] : [])];
const get = (pairs: Pairs, headers?: Record<string, string>, path = '/'): RawRequest => ({ method: 'GET', target: `${path}?${wire(pairs)}`, ...(headers ? { headers } : {}) });
const post = (pairs: Pairs, query: Pairs = [], path = '/'): RawRequest => ({ method: 'POST', target: query.length > 0 ? `${path}?${wire(query)}` : path, headers: form, body: wire(pairs) });
const one = (name: string, service: RpcServiceKind, request: RawRequest, expect: Expectation): Case => ({ name, service, steps: [{ request, expect }] });

const ok = (root: string, data?: Record<string, unknown>): Expectation => ({ status: 200, type: data === undefined ? XML_TYPE : JSON_TYPE, root, ...(data ? { data } : {}) });
const fail = (status: number, code: string, type = JSON_TYPE, extra: Partial<Expectation> = {}): Expectation => ({ status, type, code, ...extra });

const CORS_ORIGIN = { 'access-control-allow-origin': 'https://console.example.com', 'access-control-expose-headers': 'x-acs-request-id, x-acs-retry-after' };
const RETRY_AFTER = /^\d+$/;

const secret = (ak: string): string => (KEYS[ak] as { secret: string }).secret;
const signed = (action: string, nonce: string, extra: Partial<Parameters<typeof v1Request>[0]> = {}): RawRequest =>
  v1Request({ action, accessKeyId: 'parity-ak', secret: secret('parity-ak'), nonce, timestamp: NOW, ...extra });
const signedV3 = (action: string, nonce: string, extra: Partial<Parameters<typeof v3Request>[0]> = {}): RawRequest =>
  v3Request({ action, accessKeyId: 'parity-ak', secret: secret('parity-ak'), nonce, timestamp: NOW, ...extra });

const instances: Pairs = [
  ['RegionId', 'cn-hangzhou'],
  ['InstanceId.1', 'i-a1'],
  ['InstanceId.2', 'i-b2'],
  ['Tag.1.Key', 'env'],
  ['Tag.1.Value', 'prod'],
  ['Tag.2.Key', 'team'],
  ['PageSize', '20'],
  ['Status', 'Stopped'],
  ['OwnerId', '9223372036854775807'],
  ['Filter', '{"Name":"web"}'],
];

const cases: Case[] = [
  // success, both formats, lists
  one('success, XML by default', 'open', get(common('DescribeRegions')), ok('DescribeRegionsResponse')),
  one('success, Format=JSON', 'open', get(common('DescribeRegions', 'JSON')), ok('', { Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）' }, { RegionId: 'cn-shanghai', LocalName: '华东2（上海）' }] } })),
  one('success, Accept: application/json', 'open', get(common('DescribeRegions'), { accept: 'application/json' }), { status: 200, type: JSON_TYPE }),
  one('lists, structs, long, JSON parameter (XML)', 'open', get([...common('DescribeInstances'), ...instances]), ok('DescribeInstancesResponse')),
  one('lists, structs, long, JSON parameter (JSON)', 'open', get([...common('DescribeInstances', 'JSON'), ...instances]), ok('', { TotalCount: 2, PageSize: 20, OwnerId: 9223372036854775807n, Filter: 'web' })),
  one('POST form body (pop-core style)', 'open', post([...common('DescribeInstances', 'JSON'), ...instances]), ok('', { TotalCount: 2 })),
  one('POST split between query and body', 'open', post(instances.slice(3), [...common('DescribeInstances', 'XML'), ...instances.slice(0, 3)]), ok('DescribeInstancesResponse')),
  one('empty success (XML)', 'open', get(common('Nothing')), ok('NothingResponse')),
  one('empty success (JSON)', 'open', get(common('Nothing', 'JSON')), ok('', {})),
  one('Action and Version from x-acs-action / x-acs-version', 'open', { method: 'GET', target: '/?Format=XML', headers: { 'x-acs-action': 'DescribeRegions', 'x-acs-version': VERSION } }, ok('DescribeRegionsResponse')),
  one('an action serving two versions', 'open', get(common('SendSms', 'JSON', '2017-06-01')), ok('', { BizId: 'biz-1' })),
  one('the RpcRequest the pipeline sees (GET)', 'open', get([...common('Introspect', 'JSON'), ['A', 'x y'], ['A', 'z'], ['Name', '名']]), ok('', { Method: 'GET', Path: '/', ClientIp: '127.0.0.1', Settles: 'function', Format: 'JSON', RawBody: null, Caller: null })),
  one('the RpcRequest the pipeline sees (POST, raw body kept)', 'open', post([['B', '1'], ['Format', 'XML']], common('Introspect')), ok('IntrospectResponse')),
  one('the RpcRequest the pipeline sees (a #fragment and an odd query)', 'open', { method: 'GET', target: `/?${wire(common('Introspect', 'JSON'))}&q='a'#frag`, headers: {} }, { status: 200, type: JSON_TYPE, contains: `"Path":"/","Querystring":"${wire(common('Introspect', 'JSON'))}&q=%27a%27"` }),
  one('a ClientToken call on an idempotent action', 'open', get([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.g7.large'], ['Amount', '2'], ['ClientToken', 'ct-first']]), ok('', { InstanceIdSets: { InstanceIdSet: ['i-run1x0', 'i-run1x1'] }, Run: 1 })),
  // protocol errors
  one('missing Action', 'open', get([['Version', VERSION], ['Format', 'JSON']]), fail(400, 'MissingParameter', JSON_TYPE, { message: '\"Action\"' })),
  one('missing Version', 'open', get([['Action', 'DescribeRegions']]), fail(400, 'MissingParameter', XML_TYPE, { message: '\"Version\"' })),
  one('empty Action', 'open', get([['Action', ''], ['Version', VERSION], ['Format', 'JSON']]), fail(400, 'MissingParameter')),
  one('repeated Action', 'open', get([...common('DescribeRegions', 'JSON'), ['Action', 'Nothing']]), fail(400, 'InvalidParameter')),
  one('unknown action', 'open', get(common('DescribeNothing', 'JSON')), fail(403, 'InvalidAction')),
  one('unknown action (XML)', 'open', get(common('DescribeNothing')), fail(403, 'InvalidAction', XML_TYPE)),
  one('unsupported version', 'open', get(common('DescribeRegions', 'JSON', '2000-01-01')), fail(400, 'InvalidParameter', JSON_TYPE, { contains: 'Action or Version' })),
  one('OwnerId with OwnerAccount', 'open', get([...common('DescribeRegions', 'JSON'), ['OwnerId', '1'], ['OwnerAccount', 'a']]), fail(400, 'InvalidOwner')),
  // parameter errors
  one('missing required parameter', 'open', get(common('DescribeInstances', 'JSON')), fail(400, 'MissingParameter', JSON_TYPE, { message: '\"RegionId\"' })),
  one('pattern mismatch', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'Hangzhou']]), fail(400, 'InvalidParameter')),
  one('integer out of range', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['PageSize', '51']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '\"PageSize\"' })),
  one('not an integer', 'open', get([...common('DescribeInstances'), ['RegionId', 'cn-hangzhou'], ['PageSize', '1.5']]), fail(400, 'InvalidParameter', XML_TYPE)),
  one('bad enum value', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['Status', 'running']]), fail(400, 'InvalidParameter')),
  one('bad boolean', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['DryRun', 'yes']]), fail(400, 'InvalidParameter')),
  one('bad list item, with its index', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['InstanceId.1', 'i-a'], ['InstanceId.2', 'x-b']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '\"InstanceId.2\"' })),
  one('bad struct field in a list, with its index', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['Tag.1.Key', 'a'], ['Tag.2.Key', 'far-too-long']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '\"Tag.2.Key\"' })),
  one('missing struct field in a list', 'open', get([...common('DescribeInstances', 'XML'), ['RegionId', 'cn-hangzhou'], ['Tag.1.Value', 'v']]), fail(400, 'MissingParameter', XML_TYPE, { contains: 'Tag.1.Key' })),
  one('too many list items', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ...Array.from({ length: 6 }, (_, i) => [`InstanceId.${i + 1}`, `i-${i}`] as const)]), fail(400, 'InvalidParameter')),
  one('list index above the cap', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['InstanceId.1001', 'i-a']]), fail(400, 'InvalidParameter')),
  one('malformed JSON parameter', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['Filter', '{"Name":1}']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '\"Filter\"' })),
  one('__proto__ as an undeclared parameter', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['__proto__.x', '1']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '"__proto__.x"' })),
  one('constructor as an undeclared parameter', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['constructor', 'c']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '"constructor"' })),
  one('__proto__ as a struct field', 'open', get([...common('DescribeInstances', 'JSON'), ['RegionId', 'cn-hangzhou'], ['Tag.1.__proto__', 'x']]), fail(400, 'InvalidParameter', JSON_TYPE, { message: '"Tag.1.__proto__"' })),
  one('strict: an undeclared parameter', 'cors', get([...common('CreateImage', 'JSON'), ['ImageName', 'img'], ['Unknown', '1']], undefined, '/rpc'), fail(400, 'UnsupportedParameter', JSON_TYPE, { present: CORS_ORIGIN, message: '\"Unknown\"' })),
  one('strict: declared parameters only', 'cors', get([...common('CreateImage', 'JSON'), ['ImageName', 'img']], undefined, '/rpc'), { status: 200, type: JSON_TYPE, present: CORS_ORIGIN, data: { ImageId: 'm-img' } }),
  // methods
  one('PUT', 'open', { method: 'PUT', target: `/?${wire(common('DescribeRegions', 'JSON'))}` }, fail(403, 'UnsupportedHTTPMethod')),
  one('DELETE', 'open', { method: 'DELETE', target: `/?${wire(common('DescribeRegions'))}` }, fail(403, 'UnsupportedHTTPMethod', XML_TYPE)),
  one('PATCH with a form body', 'open', { method: 'PATCH', target: '/', headers: form, body: wire(common('DescribeRegions', 'JSON')) }, fail(403, 'UnsupportedHTTPMethod')),
  one('HEAD', 'open', { method: 'HEAD', target: `/?${wire(common('DescribeRegions'))}` }, { status: 403, type: XML_TYPE }),
  one('OPTIONS without CORS', 'open', { method: 'OPTIONS', target: '/?Format=JSON', headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' } }, fail(403, 'UnsupportedHTTPMethod')),
  one('a replaced methodNotAllowed error', 'cors', { method: 'PUT', target: `/rpc?${wire(common('CreateImage', 'JSON'))}` }, fail(403, 'UnsupportedHTTPMethod', JSON_TYPE, { present: CORS_ORIGIN, contains: 'PUT is not supported.' })),
  // CORS and paths
  one('CORS preflight', 'cors', { method: 'OPTIONS', target: '/rpc', headers: { origin: 'https://console.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-acs-date, Content-Type' } }, { status: 204, present: { ...CORS_ORIGIN, 'access-control-allow-methods': 'GET, POST', 'access-control-max-age': '300', 'access-control-allow-headers': 'x-acs-date, Content-Type' }, absent: ['content-type', 'content-length'] }),
  one('CORS preflight with unsafe requested headers', 'cors', { method: 'OPTIONS', target: '/rpc/', headers: { 'access-control-request-headers': 'a b, <c>' } }, { status: 204, present: CORS_ORIGIN, absent: ['access-control-allow-headers'] }),
  one('CORS headers on success', 'cors', post([...common('CreateImage'), ['ImageName', 'img']], [], '/rpc'), { status: 200, type: XML_TYPE, present: CORS_ORIGIN, root: 'CreateImageResponse' }),
  one('CORS headers on an error', 'cors', get(common('DescribeRegions', 'JSON', '1999-01-01'), undefined, '/rpc'), fail(400, 'InvalidParameter', JSON_TYPE, { present: CORS_ORIGIN })),
  one('a replaced unknownAction error', 'cors', get(common('Nope', 'JSON'), undefined, '/rpc'), fail(404, 'InvalidAction.NotFound', JSON_TYPE, { present: CORS_ORIGIN })),
  one('path: any letter case, trailing slash', 'cors', get(common('DescribeRegions', 'JSON'), undefined, '/RPC/'), { status: 200, type: JSON_TYPE, present: CORS_ORIGIN }),
  one('path: another path is no route', 'cors', get(common('DescribeRegions', 'JSON'), undefined, '/rpc/x'), fail(403, 'InvalidAction', JSON_TYPE, { absent: ['access-control-allow-origin'] })),
  one('path: the root is no route', 'cors', get(common('DescribeRegions')), fail(403, 'InvalidAction', XML_TYPE)),
  one('path: no route for OPTIONS elsewhere', 'cors', { method: 'OPTIONS', target: '/' }, fail(403, 'InvalidAction', XML_TYPE)),
  // handler errors
  one('a typed error from a handler', 'open', get([...common('DeleteInstance', 'JSON'), ['InstanceId', 'i-404']]), fail(404, 'InvalidInstanceId.NotFound', JSON_TYPE, { contains: 'i-404' })),
  one('a rejected typed error', 'open', get(common('Unavailable')), fail(503, 'ServiceUnavailable', XML_TYPE)),
  one('a bug', 'open', get(common('Bug', 'JSON')), fail(500, 'InternalError', JSON_TYPE, { reports: 1 })),
  one('a handler returning an array', 'open', get(common('NotData')), fail(500, 'InternalError', XML_TYPE, { reports: 1 })),
  // envelope-level errors still apply
  one('unknown Format', 'open', get([...common('DescribeRegions'), ['Format', 'yaml']]), fail(400, 'InvalidParameter', XML_TYPE)),
  one('malformed query', 'open', { method: 'GET', target: `/?${wire(common('DescribeRegions', 'JSON'))}&x=%zz` }, fail(400, 'InvalidParameter', XML_TYPE)),
  // throttling
  {
    name: 'throttling (anonymous, per client address): Throttling with x-acs-retry-after',
    service: 'open',
    steps: [
      { request: get(common('Limited', 'JSON')), expect: ok('', { Served: true }) },
      { request: post(common('Limited', 'JSON')), expect: ok('', { Served: true }) },
      { request: get(common('Limited', 'JSON')), expect: fail(400, 'Throttling', JSON_TYPE, { present: { 'x-acs-retry-after': RETRY_AFTER } }) },
      { request: get(common('Limited')), expect: fail(400, 'Throttling', XML_TYPE, { present: { 'x-acs-retry-after': RETRY_AFTER } }) },
      { request: get(common('DescribeRegions', 'JSON')), expect: { status: 200, type: JSON_TYPE } },
    ],
  },
  // ClientToken idempotency
  {
    name: 'ClientToken: replay, then mismatch',
    service: 'open',
    steps: [
      { request: get([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.t6'], ['ClientToken', 'ct-replay']]), expect: ok('', { Run: 2, OwnerId: 2n ** 60n }) },
      { request: post([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.t6'], ['ClientToken', 'ct-replay']]), expect: ok('', { Run: 2, OwnerId: 2n ** 60n }) },
      { request: get([...common('RunInstances'), ['InstanceType', 'ecs.t6'], ['ClientToken', 'ct-replay']]), expect: ok('RunInstancesResponse') },
      { request: get([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.g7'], ['ClientToken', 'ct-replay']]), expect: fail(400, 'IdempotentParameterMismatch') },
      { request: get([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.t6'], ['ClientToken', 'ct-other']]), expect: ok('', { Run: 3 }) },
      { request: get([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.t6']]), expect: ok('', { Run: 4 }) },
    ],
  },
  one('ClientToken: too long', 'open', get([...common('RunInstances', 'JSON'), ['InstanceType', 'ecs.t6'], ['ClientToken', 'x'.repeat(65)]]), fail(400, 'InvalidParameter')),
  // signed requests
  one('V1 GET', 'signed', signed('WhoAmI', 'n-get'), ok('', { AccessKeyId: 'parity-ak', SignatureVersion: 'V1', Account: '1234' })),
  one('V1 GET (XML)', 'signed', signed('WhoAmI', 'n-get-xml', { format: 'XML' }), ok('WhoAmIResponse')),
  one('V1 POST form', 'signed', signed('WhoAmI', 'n-post', { method: 'POST' }), ok('', { AccessKeyId: 'parity-ak', SignatureVersion: 'V1' })),
  one('V1 with lists and Unicode', 'signed', signed('DescribeInstances', 'n-lists', { business: [...instances, ['Tag.3.Key', '标签']] }), { status: 200, type: JSON_TYPE }),
  one('V3 POST with a form body', 'signed', signedV3('WhoAmI', 'n-v3-post', { body: wire([['Extra', 'a b']]) }), ok('', { AccessKeyId: 'parity-ak', SignatureVersion: 'V3' })),
  one('V3 GET with a query', 'signed', signedV3('WhoAmI', 'n-v3-get', { method: 'GET', query: [['Format', 'XML'], ['Z', '1'], ['a', 'é']] }), ok('WhoAmIResponse')),
  one('V3: the RpcRequest the pipeline sees', 'signed', signedV3('Introspect', 'n-v3-introspect', { method: 'GET', query: [['Q', '1 2']] }), ok('', { Path: '/', Querystring: 'Q=1%202', Caller: null })),
  one('anonymous action without a signature', 'signed', get(common('DescribeRegions', 'JSON')), { status: 200, type: JSON_TYPE }),
  one('unsigned call of a signed action', 'signed', get(common('WhoAmI', 'JSON')), fail(400, 'MissingParameter', JSON_TYPE, { message: '\"AccessKeyId\"' })),
  one('V1 missing Signature', 'signed', signed('WhoAmI', 'n-nosig', { omit: ['Signature'] }), fail(400, 'MissingParameter', JSON_TYPE, { message: '\"Signature\"' })),
  one('V1 signed with the wrong secret', 'signed', signed('WhoAmI', 'n-wrong', { secret: 'not-the-secret' }), fail(400, 'SignatureDoesNotMatch', JSON_TYPE, { contains: 'GET&%2F&AccessKeyId%3Dparity-ak' })),
  one('V1 signed with the wrong secret (XML)', 'signed', signed('WhoAmI', 'n-wrong-xml', { secret: 'not-the-secret', format: 'XML' }), fail(400, 'SignatureDoesNotMatch', XML_TYPE)),
  one('V3 with a tampered body', 'signed', signedV3('WhoAmI', 'n-v3-tampered', { body: 'A=1', tamperedBody: 'A=2' }), fail(400, 'SignatureDoesNotMatch')),
  one('V3 signed with the wrong secret', 'signed', signedV3('WhoAmI', 'n-v3-wrong', { secret: 'nope' }), fail(400, 'SignatureDoesNotMatch')),
  one('unknown AccessKeyId', 'signed', v1Request({ action: 'WhoAmI', accessKeyId: 'who-ak', secret: 'x', nonce: 'n-who', timestamp: NOW }), fail(400, 'InvalidAccessKeyId.NotFound')),
  one('disabled AccessKey', 'signed', v1Request({ action: 'WhoAmI', accessKeyId: 'disabled-ak', secret: secret('disabled-ak'), nonce: 'n-disabled', timestamp: NOW }), fail(403, 'Forbidden.AccessKeyDisabled')),
  one('timestamp 20 minutes early', 'signed', signed('WhoAmI', 'n-early', { timestamp: NOW - 20 * 60_000 }), fail(400, 'IllegalTimestamp')),
  one('timestamp 20 minutes late (V3)', 'signed', signedV3('WhoAmI', 'n-late', { timestamp: NOW + 20 * 60_000 }), fail(400, 'IllegalTimestamp')),
  one('malformed timestamp', 'signed', signed('WhoAmI', 'n-badtime', { timestamp: '2024-05-01 12:00:00' }), fail(400, 'IllegalTimestamp', JSON_TYPE, { contains: 'Timestamp' })),
  one('an unknown action is authenticated first, then refused', 'signed', signed('Nope', 'n-nope'), fail(403, 'InvalidAction')),
  {
    name: 'nonce replay: SignatureNonceUsed',
    service: 'signed',
    steps: [
      { request: signed('WhoAmI', 'n-replay'), expect: ok('', { AccessKeyId: 'parity-ak' }) },
      { request: signed('WhoAmI', 'n-replay'), expect: fail(400, 'SignatureNonceUsed') },
      { request: signedV3('WhoAmI', 'n-replay-v3'), expect: ok('', { SignatureVersion: 'V3' }) },
      { request: signedV3('WhoAmI', 'n-replay-v3'), expect: fail(400, 'SignatureNonceUsed') },
    ],
  },
  {
    name: 'a 5xx releases the nonce (a retry is served); a 4xx keeps it',
    service: 'signed',
    steps: [
      { request: signed('SignedBoom', 'n-boom'), expect: fail(500, 'InternalError', JSON_TYPE, { reports: 1 }) },
      { request: signed('SignedBoom', 'n-boom'), expect: fail(500, 'InternalError', JSON_TYPE, { reports: 1 }) },
      { request: signed('SignedRefuse', 'n-refuse'), expect: fail(400, 'InvalidParameter') },
      { request: signed('SignedRefuse', 'n-refuse'), expect: fail(400, 'SignatureNonceUsed') },
    ],
  },
  {
    name: 'signed throttling (per AccessKeyId)',
    service: 'signed',
    steps: [
      { request: signed('SignedLimited', 'n-limit-1'), expect: ok('', { Served: 'parity-ak' }) },
      { request: signed('SignedLimited', 'n-limit-2'), expect: fail(400, 'Throttling', JSON_TYPE, { present: { 'x-acs-retry-after': RETRY_AFTER } }) },
      { request: signedV3('SignedLimited', 'n-limit-3', { method: 'GET', query: [['Format', 'XML']] }), expect: fail(400, 'Throttling', XML_TYPE, { present: { 'x-acs-retry-after': RETRY_AFTER } }) },
    ],
  },
  {
    name: 'signed ClientToken: replay with a new nonce, mismatch',
    service: 'signed',
    steps: [
      { request: signed('SignedRun', 'n-run-1', { business: [['InstanceType', 'g7'], ['ClientToken', 'tok']] }), expect: ok('', { InstanceId: 'i-g7-1', Caller: 'parity-ak' }) },
      { request: signed('SignedRun', 'n-run-2', { business: [['InstanceType', 'g7'], ['ClientToken', 'tok']], method: 'POST' }), expect: ok('', { InstanceId: 'i-g7-1' }) },
      { request: signed('SignedRun', 'n-run-3', { business: [['InstanceType', 'c7'], ['ClientToken', 'tok']] }), expect: fail(400, 'IdempotentParameterMismatch') },
    ],
  },
];

/** The response with the RequestId, Date and x-acs-retry-after values normalised. */
function normalised(res: RawResponse): string {
  const id = headerOf(res, 'x-acs-request-id');
  assert.ok(id !== undefined && REQUEST_ID.test(id), `x-acs-request-id: ${id}`);
  return res.bytes
    .toString('latin1')
    .split(id)
    .join('<RequestId>')
    .replace(/\r\nDate: [^\r]*\r\n/, '\r\nDate: <date>\r\n')
    .replace(/\r\nx-acs-retry-after: \d+\r\n/, '\r\nx-acs-retry-after: <ms>\r\n');
}

function same(actual: unknown, expected: unknown, label: string): void {
  if (typeof expected === 'bigint') assert.equal(String(actual), String(expected), label);
  else if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [key, value] of Object.entries(expected)) same((actual as Record<string, unknown>)[key], value, `${label}.${key}`);
  } else assert.deepEqual(actual, expected, label);
}

/** JSON with integers beyond 2^53 read as text (the envelope writes int64 values exactly). */
function parseJson(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(/:(-?\d{16,})([,}])/g, ':"$1"$2')) as Record<string, unknown>;
}

function check(res: RawResponse, expected: Expectation, label: string): void {
  assert.equal(res.status, expected.status, `${label}: status (${res.body.toString('utf8').slice(0, 300)})`);
  assert.equal(headerOf(res, 'content-type'), expected.type, `${label}: content type`);
  for (const [name, value] of Object.entries(expected.present ?? {})) {
    if (typeof value === 'string') assert.equal(headerOf(res, name), value, `${label}: ${name}`);
    else assert.match(headerOf(res, name) ?? '', value, `${label}: ${name}`);
  }
  for (const name of expected.absent ?? []) assert.equal(headerOf(res, name), undefined, `${label}: no ${name}`);
  const retryAfter = headerOf(res, 'x-acs-retry-after');
  if (retryAfter !== undefined) assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 3_600_000, `${label}: x-acs-retry-after ${retryAfter}`);
  const text = res.body.toString('utf8');
  if (expected.contains !== undefined) assert.ok(text.includes(expected.contains), `${label}: body contains ${expected.contains}: ${text}`);
  if (expected.type === undefined || res.body.length === 0) {
    assert.equal(res.body.length, 0, `${label}: no body`);
    return;
  }
  const id = headerOf(res, 'x-acs-request-id');
  if (expected.type === JSON_TYPE) {
    const body = parseJson(text);
    assert.equal(Object.keys(body)[0], 'RequestId', label);
    assert.equal(body.RequestId, id, `${label}: RequestId`);
    assert.equal(body.Code, expected.code, `${label}: Code`);
    if (expected.message !== undefined) assert.ok(String(body.Message).includes(expected.message), `${label}: Message ${String(body.Message)}`);
    if (expected.data !== undefined) same(body, expected.data, label);
  } else {
    const root = parseXmlStrict(text);
    assert.equal(childText(root, 'RequestId'), id, `${label}: RequestId`);
    if (expected.code === undefined) {
      assert.notEqual(root.name, 'Error', label);
      if (expected.root !== undefined) assert.equal(root.name, expected.root, `${label}: XML root`);
    } else {
      assert.equal(root.name, 'Error', label);
      assert.equal(childText(root, 'Code'), expected.code, `${label}: Code`);
      if (expected.message !== undefined) assert.ok(childText(root, 'Message').includes(expected.message), `${label}: Message ${childText(root, 'Message')}`);
    }
  }
}

type Target = { label: string; port: number; service: Service<unknown> };

const frameworks = [
  { label: 'Express 5', create: () => express() },
  { label: 'Express 4', create: () => express4() },
] as const;

describe('expressRpc: byte-for-byte parity with koaRpc (same declarations)', () => {
  const closers: Array<() => Promise<void>> = [];
  const targets = new Map<RpcServiceKind, Target[]>();

  before(async () => {
    for (const kind of ['open', 'cors', 'signed'] as const) {
      const list: Target[] = [];
      const koa = koaRpcService(kind);
      const koaServer = await listen(koa.app.callback());
      closers.push(koaServer.close);
      list.push({ label: 'Koa', port: koaServer.port, service: koa });
      for (const fw of frameworks) {
        const svc = expressRpcService(fw.create, kind);
        const srv = await listen(svc.app);
        closers.push(srv.close);
        list.push({ label: fw.label, port: srv.port, service: svc });
      }
      targets.set(kind, list);
    }
  });

  after(async () => {
    await Promise.all(closers.map((close) => close()));
  });

  for (const c of cases) {
    it(c.name, async () => {
      const list = targets.get(c.service) ?? [];
      assert.equal(list.length, 3);
      c.steps.forEach((step, i) => assert.ok(step.request.method.length > 0, `step ${i}`));
      for (const [index, step] of c.steps.entries()) {
        const seen: Array<{ target: Target; res: RawResponse; reported: string[] }> = [];
        for (const target of list) {
          target.service.reported.length = 0;
          const res = await rawExchange(target.port, step.request);
          const id = headerOf(res, 'x-acs-request-id');
          const label = `${c.name}, step ${index + 1}, on ${target.label}`;
          check(res, step.expect, label);
          const reported = target.service.reported.map((err) => {
            assert.equal(err.requestId, id, `${label}: the reported error carries the RequestId`);
            return err.message;
          });
          assert.equal(reported.length, step.expect.reports ?? 0, `${label}: reported errors ${JSON.stringify(reported)}`);
          seen.push({ target, res, reported });
        }
        const [koa, ...rest] = seen;
        for (const other of rest) {
          assert.equal(normalised(other.res), normalised(koa!.res), `step ${index + 1}: ${other.target.label} sends what Koa sends`);
          assert.deepEqual(other.reported, koa!.reported, `step ${index + 1}: ${other.target.label} reports what Koa reports`);
        }
      }
    });
  }
});
