/**
 * Transport attacks: every method, oversized and truncated bodies, wrong and missing content types,
 * JSON where a form is expected, header injection, forged RequestIds, slow clients, odd framing.
 */
import type { HostileCase, HostileRequest } from '../case.js';
import { BODY_TIMEOUT_MS } from '../service.js';
import { call, error, FORM, group, INVALID, INVALID_ACTION, MISSING, ok, signedGet, signedPost, UNSUPPORTED_METHOD, V1, REFUSED, HEADERS_TOO_LARGE, EXPECTATION_FAILED } from './helpers.js';

const methods = group('every method');
const bodies = group('oversized and truncated bodies');
const types = group('wrong and missing content types');
const json = group('JSON where a form is expected');
const injection = group('header injection');
const forged = group('forged x-acs-request-id');
const slow = group('slow clients');
const framing = group('framing and headers');

const regions = call('DescribeRegions');
const MIB = 1024 * 1024;
const CLOSES = (code: string) => ({ status: 400, code, closes: true }) as const;
/**
 * A client that half-closes mid-body: whichever comes first, the envelope's body error or the
 * parser's refusal of a request cut short at end of stream (answered as an envelope too).
 */
const HALF_CLOSED = [CLOSES('InvalidParameter'), REFUSED] as const;
const formBody = (text: string, extra: Partial<HostileRequest> = {}): HostileRequest => ({
  method: 'POST',
  body: Buffer.from(text, 'utf8'),
  headers: [FORM],
  ...extra,
});
const FORGED_IDS = ['FORGED-REQUEST-ID', '00000000-0000-0000-0000-000000000000', '<x>]]>&', 'A'.repeat(300)];

/** Slower than the body timeout in total, whatever the machine: 10 intervals of half the timeout. */
const TRICKLE = { chunkBytes: 3, intervalMs: Math.ceil(BODY_TIMEOUT_MS / 2) };

export const TRANSPORT_CASES: readonly HostileCase[] = [
  methods('GET (signed)', signedGet(regions), ok()),
  methods('POST (signed)', signedPost(regions, []), ok()),
  methods('HEAD: headers only', { method: 'HEAD', query: regions, sign: V1 }, UNSUPPORTED_METHOD),
  ...['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'UNLOCK', 'PURGE', 'SEARCH', 'REPORT', 'COPY', 'MOVE', 'LINK', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'ACL', 'BIND', 'QUERY'].map(
    (method) => methods(method, { method, query: regions, sign: V1 }, UNSUPPORTED_METHOD),
  ),
  methods('TRACE with a body and a forged Cookie', { method: 'TRACE', query: regions, headers: [['Cookie', 'session=secret-cookie'], FORM], body: Buffer.from('a=b') }, UNSUPPORTED_METHOD),
  methods('OPTIONS * (asterisk form: not the API path)', { method: 'OPTIONS', path: '*' }, INVALID_ACTION),
  methods('lower-case get', { method: 'get', query: regions }, REFUSED),
  methods('unknown method FOO', { method: 'FOO', query: regions }, REFUSED),
  methods('CONNECT (no tunnel is offered)', { method: 'CONNECT', path: '127.0.0.1:22', noHost: true, headers: [['Host', '127.0.0.1:22']] }, { closed: true }),
  methods('a path other than the API path', { path: '/admin', query: regions, sign: V1 }, INVALID_ACTION),
  methods('an absolute-form request target', { path: 'http://127.0.0.1/', query: regions, sign: V1 }, ok()),
  methods('a path with dot segments', { path: '/../../etc/passwd', query: regions }, INVALID_ACTION),

  bodies('Content-Length over the 1 MiB limit, nothing sent', { method: 'POST', query: regions, body: Buffer.alloc(0), headers: [FORM], framing: { contentLength: MIB + 1 } }, CLOSES('InvalidParameter')),
  bodies('Content-Length of 2^53', { method: 'POST', query: regions, body: Buffer.alloc(0), headers: [FORM], framing: { contentLength: 2 ** 53 } }, CLOSES('InvalidParameter')),
  bodies('a 2 MiB chunked body', { ...formBody(`a=${'x'.repeat(2 * MIB)}`), framing: { chunked: true } }, CLOSES('InvalidParameter')),
  bodies('1 MiB + 1 byte with an honest Content-Length', formBody(`a=${'x'.repeat(MIB - 1)}`), CLOSES('InvalidParameter')),
  bodies('Content-Length larger than sent, client waits', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), framing: { contentLength: 1000 } }, CLOSES('InvalidParameter')),
  bodies('Content-Length larger than sent, client half-closes', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), framing: { contentLength: 1000, then: 'end' } }, HALF_CLOSED),
  bodies('chunked body never finished', { ...formBody('Action=DescribeRegions'), framing: { chunked: true, sendBytes: 10 } }, CLOSES('InvalidParameter')),
  bodies('Content-Length smaller than sent (the rest is a second, garbage request)', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), framing: { contentLength: 5 } }, REFUSED),
  bodies('a smuggled request inside an oversized body', formBody(`GET /?Action=DeleteInstance HTTP/1.1\r\nHost: x\r\n\r\n`, { framing: { contentLength: 99_999_999 } }), CLOSES('InvalidParameter')),
  bodies('Content-Length: -1', { ...formBody('a=b'), framing: { contentLength: -1 } }, REFUSED),
  bodies('two different Content-Length headers', { ...formBody('a=b'), headers: [FORM, ['Content-Length', '2']] }, REFUSED),
  bodies('Content-Length and Transfer-Encoding together', { ...formBody('a=b'), headers: [FORM, ['Transfer-Encoding', 'chunked']] }, REFUSED),
  bodies('chunk size that is not hex', { method: 'POST', body: Buffer.from('zz\r\nabc\r\n0\r\n\r\n'), headers: [FORM, ['Transfer-Encoding', 'chunked']], framing: { contentLength: 'omit' } }, REFUSED),
  bodies('Transfer-Encoding: gzip, chunked (not understood)', { ...formBody('a=b'), headers: [FORM, ['Transfer-Encoding', 'gzip, chunked']], framing: { contentLength: 'omit' } }, REFUSED),
  bodies('an empty POST', { method: 'POST', query: regions, body: Buffer.alloc(0), headers: [FORM] }, error(400, 'MissingParameter')),
  bodies('a form body on a GET is read too', { query: regions, body: Buffer.from('Action=DeleteInstance'), headers: [FORM] }, INVALID),
  bodies('a UTF-8 BOM before the form (part of the first name)', formBody('\uFEFFAction=DescribeRegions&Version=2014-05-26'), MISSING),
  bodies('a form that is only "="', formBody('='), MISSING),
  bodies('a form of 100,000 "=" pairs', formBody('=&'.repeat(100_000)), INVALID),

  types('form body without a Content-Type (not read)', { method: 'POST', body: Buffer.from('Action=DescribeRegions&Version=2014-05-26') }, MISSING),
  types('form body as text/plain (not read)', { method: 'POST', body: Buffer.from('Action=DescribeRegions'), headers: [['Content-Type', 'text/plain']] }, MISSING),
  types('form body as multipart/form-data (not read)', { method: 'POST', body: Buffer.from('--x\r\nContent-Disposition: form-data; name="Action"\r\n\r\nDescribeRegions\r\n--x--\r\n'), headers: [['Content-Type', 'multipart/form-data; boundary=x']] }, MISSING),
  types('form content type with a latin1 charset (read as UTF-8)', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=ISO-8859-1']] }, ok()),
  types('upper-case form content type', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), headers: [['Content-Type', 'APPLICATION/X-WWW-FORM-URLENCODED']] }, ok()),
  types('a content type that only starts like a form', { method: 'POST', body: Buffer.from('Action=DescribeRegions'), headers: [['Content-Type', 'application/x-www-form-urlencodedX']] }, MISSING),
  types('an empty Content-Type', { method: 'POST', body: Buffer.from('Action=DescribeRegions'), headers: [['Content-Type', '']] }, MISSING),
  types('XML body', { method: 'POST', body: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), headers: [['Content-Type', 'application/xml']] }, MISSING),
  types('Content-Encoding: gzip on a plain form (not decompressed)', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), headers: [FORM, ['Content-Encoding', 'gzip']] }, ok()),
  types('Content-Type repeated', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']]), headers: [FORM, ['Content-Type', 'application/json']] }, ok()),

  json('a JSON body labelled as a form', formBody('{"Action":"DescribeRegions","Version":"2014-05-26"}'), MISSING),
  json('a JSON body labelled as JSON (not read), signed query', { method: 'POST', query: regions, sign: V1, body: Buffer.from('{"Action":"DeleteInstance","__proto__":{"x":1}}'), headers: [['Content-Type', 'application/json']] }, ok()),
  json('a JSON body labelled as JSON, Action only there', { method: 'POST', body: Buffer.from('{"Action":"DescribeRegions"}'), headers: [['Content-Type', 'application/json']] }, MISSING),
  json('a JSON body with V3 signing (cannot be verified)', { method: 'POST', query: regions, sign: { version: 'V3' }, body: Buffer.from('{}'), headers: [['Content-Type', 'application/json']] }, error(400, 'IncompleteSignature', 'JSON')),
  json('a deeply nested JSON body labelled as a form', formBody('['.repeat(50_000)), MISSING),
  json('JSON in a JSON-string parameter, nested 4,000 deep', signedPost(call('DescribeInstances', ['RegionId', 'cn-hangzhou']), [['InstanceIds', `${'['.repeat(4000)}${']'.repeat(4000)}`]]), INVALID),

  injection('CR LF in Format', signedGet(call('DescribeRegions', ['Format', 'JSON\r\nX-Injected: 1'])), INVALID),
  injection('CR LF in Action', signedGet(call('DescribeRegions\r\nX-Injected: 1')), INVALID_ACTION),
  injection('CR LF in a ClientToken', signedGet(call('CreateInstance', ['RegionId', 'cn-hangzhou'], ['InstanceType', 'ecs.g7.large'], ['ClientToken', 'a\r\nX-Injected: 1'])), INVALID),
  injection('CR LF in the RegionId', signedGet(call('DescribeInstances', ['RegionId', 'cn\r\nX-Injected: 1'])), error(404, 'InvalidRegionId.NotFound')),
  injection('CR LF in the instance name (stored)', signedGet(call('CreateInstance', ['RegionId', 'cn-hangzhou'], ['InstanceType', 'ecs.g7.large'], ['InstanceName', 'n\r\nX-Injected: 1\r\n\r\n<x>'])), ok()),
  injection('…and listed back', signedGet(call('DescribeInstances', ['RegionId', 'cn-hangzhou'])), ok()),
  injection('CR LF in a Version', signedGet([['Action', 'DescribeRegions'], ['Version', '2014-05-26\r\nX-Injected: 1']]), INVALID),
  injection('encoded CR LF in the V3 action header text', { query: call('DescribeRegions%0d%0aX-Injected:%201'), sign: { version: 'V3' } }, error(403, 'InvalidAction', 'JSON')),
  injection('an obs-fold continuation line', { query: regions, headers: [['X-Custom', 'a'], [' X-Injected', '1']] }, REFUSED),
  injection('a header name with a space', { query: regions, headers: [['X Injected', '1']] }, REFUSED),
  injection('Origin with CR LF escapes (no CORS echo)', { query: regions, headers: [['Origin', 'http://evil.example%0d%0aX-Injected:%201']], sign: V1 }, ok()),
  injection('a Host header with an injection attempt', { query: regions, noHost: true, headers: [['Host', 'evil.example%0d%0aX-Injected:1']], sign: V1 }, ok()),

  ...FORGED_IDS.map((id) => forged(`x-acs-request-id: ${id.slice(0, 40)} (success)`, { ...signedGet(regions), headers: [['x-acs-request-id', id]] }, ok())),
  ...FORGED_IDS.map((id) => forged(`x-acs-request-id: ${id.slice(0, 40)} (error)`, { query: regions, headers: [['x-acs-request-id', id]] }, MISSING)),
  forged('two x-acs-request-id headers', { ...signedGet(regions), headers: [['x-acs-request-id', 'FORGED-1'], ['x-acs-request-id', 'FORGED-2']] }, ok()),
  forged('a RequestId parameter', signedGet(call('DescribeRegions', ['RequestId', 'FORGED-REQUEST-ID'])), ok()),
  forged('a RequestId parameter on an error', { query: call('DescribeRegions', ['RequestId', 'FORGED-REQUEST-ID']) }, MISSING),
  forged('x-acs-trace-id and x-request-id headers', { ...signedGet(regions), headers: [['x-acs-trace-id', 'FORGED'], ['x-request-id', 'FORGED-REQUEST-ID']] }, ok()),

  slow('form body trickled slower than the body timeout', { ...formBody('Action=DescribeRegions&Version=2014-05-26'), framing: { trickle: TRICKLE } }, CLOSES('InvalidParameter')),
  slow('chunked body trickled slower than the body timeout', { ...formBody('Action=DescribeRegions&Version=2014-05-26'), framing: { chunked: true, trickle: TRICKLE } }, CLOSES('InvalidParameter')),
  slow('signed form body trickled slower than the body timeout', { ...signedPost(regions, [['RegionId', 'cn-hangzhou'], ['Pad', 'x'.repeat(20)]]), framing: { trickle: TRICKLE } }, CLOSES('InvalidParameter')),
  slow('headers sent, body never started', { ...formBody('Action=DescribeRegions'), framing: { sendBytes: 0 } }, CLOSES('InvalidParameter')),
  slow('Expect: 100-continue, then no body', { ...formBody('Action=DescribeRegions'), headers: [FORM, ['Expect', '100-continue']], framing: { sendBytes: 0 } }, CLOSES('InvalidParameter')),
  slow('client half-closes mid-body', { ...formBody('Action=DescribeRegions&Version=2014-05-26'), framing: { sendBytes: 10, then: 'end' } }, HALF_CLOSED),
  slow('client vanishes mid-body (nothing to answer, nothing reported)', { ...formBody('Action=DescribeRegions&Version=2014-05-26'), framing: { sendBytes: 10, then: 'destroy' } }, { closed: true }),
  slow('client vanishes mid-chunked-body', { ...formBody('Action=DescribeRegions&Version=2014-05-26'), framing: { chunked: true, sendBytes: 10, then: 'destroy' } }, { closed: true }),

  framing('HTTP/1.1 without Host', { query: regions, noHost: true }, REFUSED),
  framing('two Host headers', { query: regions, headers: [['Host', 'evil.example']], sign: V1 }, ok()),
  framing('an unknown Expect', { query: regions, headers: [['Expect', 'something-else']] }, EXPECTATION_FAILED),
  framing('a 20 KB Cookie header (over the header limit)', { query: regions, headers: [['Cookie', 'c'.repeat(20_000)]] }, HEADERS_TOO_LARGE),
  framing('a thousand small headers', { query: regions, headers: Array.from({ length: 1000 }, (_, i) => [`X-H${i}`, 'v'] as const), sign: V1 }, ok()),
  framing('Accept asking for JSON', { query: regions, headers: [['Accept', 'application/json']] }, error(400, 'MissingParameter', 'JSON')),
  framing('Accept with garbage q-values', { query: regions, headers: [['Accept', 'application/json;q=abc, text/xml;q=-1, */*;q=1e9']] }, error(400, 'MissingParameter')),
  framing('Accept with 500 media types', { query: regions, headers: [['Accept', Array.from({ length: 500 }, (_, i) => `a/b${i};q=0.${i % 10}`).join(',')]] }, error(400, 'MissingParameter')),
  framing('Authorization: ACS3 garbage selects JSON', { query: regions, headers: [['Authorization', 'ACS3-HMAC-SHA256 garbage']] }, error(400, 'IncompleteSignature', 'JSON')),
];
