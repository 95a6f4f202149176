/**
 * Parity: the same requests sent to a Koa service and to Express 5 and Express 4 services built
 * from the same route definitions get the same bytes back: status line, every header in the same
 * order (Date and the RequestId value normalised) and the body (RequestId normalised). Each case
 * also checks what a client must see, so two equally wrong answers cannot pass.
 */
import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import express from 'express';
import express4 from 'express4';
import { errors, defineError, type EnvelopeOptions } from '../../lib/index.js';
import { koaService, expressService, type Routes, type Service } from './services.js';
import { rawExchange, listen, headerOf, type RawRequest, type RawResponse } from './raw-http.js';
import { parseXmlStrict, childText, childNames } from '../support/xml.js';
import { JSON_TYPE, XML_TYPE, REQUEST_ID } from '../support/http.js';

function httpError(status: number, message?: string): Error {
  return Object.assign(new Error(message ?? STATUS_CODES[status]), { status, statusCode: status, expose: status < 500 });
}

const ZoneNotAvailable = defineError('Zone.NotAvailable', 400, 'The zone {zone} is not available.');

const regions = { Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）' }, { RegionId: 'cn-shanghai', LocalName: '华东2（上海）' }] } };

const routes: Routes = {
  '/regions': { action: 'DescribeRegions', run: () => regions },
  '/anonymous': { run: () => ({ A: 1 }) },
  '/echo': {
    action: 'Echo',
    run: ({ params }) => ({
      Param: Object.keys(params).map((name) => ({ Name: name, Value: params[name] })),
    }),
  },
  '/created': { action: 'CreateInstance', status: 201, run: () => ({ InstanceId: 'i-bp1' }) },
  '/no-content': { action: 'DeleteInstance', status: 204, run: () => ({ Ignored: true }) },
  '/types': {
    action: 'Types',
    run: () => ({
      OwnerId: 2n ** 63n - 1n,
      CreationTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      Count: 2.5,
      Ok: false,
      Missing: undefined,
      Nothing: null,
      Infinite: Number.POSITIVE_INFINITY,
      Empty: { Item: [] },
      Nested: [[1, 2], [3]],
      Sparse: [1, undefined, 2],
      Text: 'AT&amp;T <b>]]></b> "q" \'a\' \r\n\t end \u0000\uD800 😀',
      Tags: { Tag: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: '' }] },
    }),
  },
  '/headers/ok': { action: 'Headers', headers: { 'access-control-allow-origin': '*', 'content-disposition': 'inline' }, run: () => ({ A: 1 }) },
  '/headers/error': {
    headers: { 'Access-Control-Allow-Origin': 'https://console.example.com', 'content-disposition': 'attachment', 'cache-control': 'max-age=60' },
    run: () => { throw new errors.Throttling({ headers: { 'x-acs-retry-after': '1500' } }); },
  },
  '/forged-request-id': { action: 'Forged', run: () => ({ RequestId: 'FORGED', A: 1 }) },
  '/typed/missing': { run: () => { throw new errors.MissingParameter('RegionId'); } },
  '/typed/custom': { run: () => { throw new errors.InvalidParameter({ parameter: 'PageSize', message: 'PageSize must be 1-100.' }); } },
  '/typed/defined': { run: () => { throw new ZoneNotAvailable({ zone: 'cn-hangzhou-z' }); } },
  '/typed/unavailable': { run: async () => { throw new errors.ServiceUnavailable(); } },
  '/typed/throttling': {
    run: () => {
      throw new errors.Throttling({ headers: { 'x-acs-retry-after': '1500', 'bad header': 'x', 'x-inject': 'a\r\nb' } });
    },
  },
  '/typed/data': {
    run: () => {
      throw new errors.ForbiddenRAM({
        data: { AccessDeniedDetail: { PolicyType: 'AccountLevelIdentityBasedPolicy', AuthAction: 'ecs:DescribeInstances' }, Code: 'Forged', RequestId: 'x' },
      });
    },
  },
  '/typed/bad-data': { run: () => { throw new errors.InvalidParameter({ data: { 'bad key': 1 } }); } },
  '/bug/type-error': { run: () => { throw new TypeError('x is undefined at /srv/app.js:10'); } },
  '/bug/rejected': { run: async () => Promise.reject(new RangeError('async bug at /srv/app.js:20')) },
  '/bug/string': { run: () => { throw 'a string'; } },
  '/bug/null': { run: () => { throw null; } },
  '/bug/key': { action: 'Bad', run: () => ({ 'bad key': 1 }) },
  '/bug/cycle': { run: () => { const a: Record<string, unknown> = {}; a.Self = a; return a; } },
  '/bug/date': { run: () => ({ When: new Date(Number.NaN) }) },
  '/status/400': { run: () => { throw httpError(400, 'bad thing'); } },
  '/status/404': { run: () => { throw httpError(404, 'no such thing'); } },
  '/status/405': { run: () => { throw httpError(405); } },
  '/status/413': { run: () => { throw httpError(413, 'request entity too large'); } },
  '/status/429': { run: () => { throw httpError(429); } },
  '/status/500': { run: () => { throw httpError(500, 'internal detail /srv/app.js'); } },
  '/status/502': { run: () => { throw httpError(502); } },
  '/status/503': { run: () => { throw httpError(503); } },
};

const plain: EnvelopeOptions = { hostId: 'parity.test', maxParameters: 50, bodyLimit: 1000 };
const tuned: EnvelopeOptions = {
  hostId: 'tuned.parity.test',
  defaultFormat: 'JSON',
  fallbackAction: 'Generic',
  recommend: 'https://api.example.com/troubleshoot?q={Code}&requestId={RequestId}',
};

type Expectation = {
  status: number;
  type?: string;
  code?: string;
  reports?: number;
  /** Headers that must be present with these values / absent. */
  present?: Readonly<Record<string, string>>;
  absent?: readonly string[];
};

interface Case {
  readonly name: string;
  readonly request: RawRequest;
  readonly service?: 'plain' | 'tuned';
  readonly expect: Expectation;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const get = (target: string, headers?: Record<string, string>): RawRequest => ({ method: 'GET', target, ...(headers ? { headers } : {}) });
const post = (target: string, body: string, headers: Record<string, string> = form): RawRequest => ({ method: 'POST', target, headers, body });
const manyParams = Array.from({ length: 51 }, (_, i) => `P${i}=1`).join('&');

const cases: Case[] = [
  // success, format choice
  { name: 'success, XML by default', request: get('/regions'), expect: { status: 200, type: XML_TYPE } },
  { name: 'success, Format=JSON', request: get('/regions?Format=JSON'), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, Format=json (lower case)', request: get('/regions?Format=json'), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, Format=xml wins over Accept JSON', request: get('/regions?Format=xml', { accept: 'application/json' }), expect: { status: 200, type: XML_TYPE } },
  { name: 'success, Accept prefers JSON', request: get('/regions', { accept: 'text/xml;q=0.5, application/json' }), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, Accept prefers XML', request: get('/regions', { accept: 'application/json;q=0.4, text/xml' }), expect: { status: 200, type: XML_TYPE } },
  { name: 'success, Accept */*', request: get('/regions', { accept: '*/*' }), expect: { status: 200, type: XML_TYPE } },
  { name: 'success, V3 Authorization chooses JSON', request: get('/regions', { authorization: 'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=00' }), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, default JSON (tuned)', service: 'tuned', request: get('/regions'), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, POST form with Format=JSON (pop-core style)', request: post('/echo', 'Action=DescribeRegions&Format=JSON&RegionId=cn-hangzhou&InstanceId.1=i-1&InstanceId.2=i-2'), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, chunked form body', request: post('/echo', 'Format=JSON&Name=a%20b%2Bc+d', { ...form, 'transfer-encoding': 'chunked' }), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, repeated names and __proto__ in query and body', request: post('/echo?A=1&__proto__=q', 'A=2&A=3&constructor=c'), expect: { status: 200, type: XML_TYPE } },
  { name: 'success, a JSON body is not read', request: post('/echo?Format=JSON', '{"Format":"XML"}', { 'content-type': 'application/json' }), expect: { status: 200, type: JSON_TYPE } },
  { name: 'success, HEAD', request: { method: 'HEAD', target: '/regions' }, expect: { status: 200, type: XML_TYPE } },
  { name: 'success, handler status 201', request: get('/created'), expect: { status: 201, type: XML_TYPE } },
  { name: 'success, handler status 204 sends no body', request: get('/no-content'), expect: { status: 204 } },
  { name: 'success, data RequestId is replaced', request: get('/forged-request-id?Format=JSON'), expect: { status: 200, type: JSON_TYPE } },
  { name: 'headers a handler set are kept on success', request: get('/headers/ok'), expect: { status: 200, type: XML_TYPE, present: { 'access-control-allow-origin': '*', 'content-disposition': 'inline' } } },
  {
    name: 'only CORS headers a handler set survive an error',
    request: get('/headers/error?Format=JSON'),
    expect: { status: 400, type: JSON_TYPE, code: 'Throttling', present: { 'access-control-allow-origin': 'https://console.example.com', 'x-acs-retry-after': '1500' }, absent: ['content-disposition', 'cache-control'] },
  },
  // XML root naming
  { name: 'XML root from Action', request: get('/anonymous?Action=DescribeZones'), expect: { status: 200, type: XML_TYPE } },
  { name: 'XML root from x-acs-action', request: get('/anonymous', { 'x-acs-action': 'RunInstances' }), expect: { status: 200, type: XML_TYPE } },
  { name: 'XML root fallback for an invalid Action', service: 'tuned', request: get('/anonymous?Action=%3Cbad%3E&Format=XML'), expect: { status: 200, type: XML_TYPE } },
  // data mapping
  { name: 'lists, bigint, Date, null, nesting, escaping (XML)', request: get('/types'), expect: { status: 200, type: XML_TYPE } },
  { name: 'lists, bigint, Date, null, nesting, escaping (JSON)', request: get('/types?Format=JSON'), expect: { status: 200, type: JSON_TYPE } },
  // typed errors
  { name: 'MissingParameter (XML)', request: get('/typed/missing'), expect: { status: 400, type: XML_TYPE, code: 'MissingParameter' } },
  { name: 'MissingParameter (JSON)', request: get('/typed/missing?Format=JSON'), expect: { status: 400, type: JSON_TYPE, code: 'MissingParameter' } },
  { name: 'InvalidParameter with a custom message', request: post('/typed/custom', 'Format=JSON'), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
  { name: 'a defineError() class', request: get('/typed/defined'), expect: { status: 400, type: XML_TYPE, code: 'Zone.NotAvailable' } },
  { name: 'a rejected typed error', request: get('/typed/unavailable?Format=JSON'), expect: { status: 503, type: JSON_TYPE, code: 'ServiceUnavailable' } },
  { name: 'error headers kept, unsafe ones dropped', request: get('/typed/throttling?Format=JSON'), expect: { status: 400, type: JSON_TYPE, code: 'Throttling', present: { 'x-acs-retry-after': '1500' }, absent: ['x-inject', 'bad header'] } },
  { name: 'error data after the fixed fields (JSON)', request: get('/typed/data?Format=JSON'), expect: { status: 403, type: JSON_TYPE, code: 'Forbidden.RAM' } },
  { name: 'error data after the fixed fields (XML)', request: get('/typed/data'), expect: { status: 403, type: XML_TYPE, code: 'Forbidden.RAM' } },
  { name: 'error data that cannot be rendered', request: get('/typed/bad-data'), expect: { status: 500, type: XML_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'Recommend (tuned, JSON)', service: 'tuned', request: get('/typed/missing'), expect: { status: 400, type: JSON_TYPE, code: 'MissingParameter' } },
  { name: 'Recommend (tuned, XML)', service: 'tuned', request: get('/typed/data?Format=XML'), expect: { status: 403, type: XML_TYPE, code: 'Forbidden.RAM' } },
  // bugs
  { name: 'a thrown TypeError', request: get('/bug/type-error'), expect: { status: 500, type: XML_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'a rejected RangeError', request: get('/bug/rejected?Format=JSON'), expect: { status: 500, type: JSON_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'a thrown string', request: get('/bug/string'), expect: { status: 500, type: XML_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'a thrown null', request: get('/bug/null?Format=JSON'), expect: { status: 500, type: JSON_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'data with a key that is not an XML name', request: get('/bug/key?Format=JSON'), expect: { status: 500, type: JSON_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'data with a cycle', request: get('/bug/cycle'), expect: { status: 500, type: XML_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'data with an invalid Date', request: get('/bug/date'), expect: { status: 500, type: XML_TYPE, code: 'InternalError', reports: 1 } },
  // errors with an HTTP status (http-errors shape)
  { name: 'status 400 with an exposed message', request: get('/status/400?Format=JSON'), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
  { name: 'status 404', request: get('/status/404?Format=JSON'), expect: { status: 403, type: JSON_TYPE, code: 'InvalidAction' } },
  { name: 'status 405', request: get('/status/405'), expect: { status: 403, type: XML_TYPE, code: 'UnsupportedHTTPMethod' } },
  { name: 'status 413', request: get('/status/413'), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'status 429', request: get('/status/429?Format=JSON'), expect: { status: 400, type: JSON_TYPE, code: 'Throttling' } },
  { name: 'status 500 hides its message', request: get('/status/500?Format=JSON'), expect: { status: 500, type: JSON_TYPE, code: 'InternalError', reports: 1 } },
  { name: 'status 502', request: get('/status/502'), expect: { status: 503, type: XML_TYPE, code: 'ServiceUnavailable' } },
  { name: 'status 503', request: get('/status/503'), expect: { status: 503, type: XML_TYPE, code: 'ServiceUnavailable' } },
  // no route
  { name: 'no route (XML)', request: get('/nothing'), expect: { status: 403, type: XML_TYPE, code: 'InvalidAction' } },
  { name: 'no route (JSON, POST form)', request: post('/nothing', 'Format=JSON&Action=Nope'), expect: { status: 403, type: JSON_TYPE, code: 'InvalidAction' } },
  { name: 'no route (tuned)', service: 'tuned', request: get('/nothing/deeper?Action=X'), expect: { status: 403, type: JSON_TYPE, code: 'InvalidAction' } },
  // bad input
  { name: 'unknown Format', request: get('/regions?Format=yaml'), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'repeated Format', request: get('/regions?Format=JSON&Format=XML'), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'Format in the body conflicting with the query', request: post('/regions?Format=JSON', 'Format=XML'), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
  { name: 'unknown Format (tuned: JSON default)', service: 'tuned', request: get('/regions?Format=yaml'), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
  { name: 'malformed percent-encoding in the query', request: get('/regions?Format=JSON&A=%zz'), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'invalid UTF-8 in the query', request: get('/regions?A=%E4%B8'), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'malformed percent-encoding in the body', request: post('/echo?Format=JSON', 'A=%ff'), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
  // The query fails as a whole, so its Format is unknown: the default format answers.
  { name: 'too many parameters in the query', request: get(`/regions?Format=JSON&${manyParams}`), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'too many parameters, query and body together', request: post(`/echo?${manyParams.slice(0, 200)}`, `Format=JSON&${manyParams}`), expect: { status: 400, type: XML_TYPE, code: 'InvalidParameter' } },
  { name: 'oversized body (declared length)', request: post('/echo?Format=JSON', `A=${'x'.repeat(2000)}`), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
  { name: 'oversized body (chunked)', request: post('/echo?Format=JSON', `A=${'x'.repeat(2000)}`, { ...form, 'transfer-encoding': 'chunked' }), expect: { status: 400, type: JSON_TYPE, code: 'InvalidParameter' } },
];

/** The response with the RequestId value and the Date header normalised. */
function normalised(res: RawResponse): string {
  const id = headerOf(res, 'x-acs-request-id');
  assert.ok(id !== undefined && REQUEST_ID.test(id), `x-acs-request-id: ${id}`);
  return res.bytes
    .toString('latin1')
    .split(id)
    .join('<RequestId>')
    .replace(/\r\nDate: [^\r]*\r\n/, '\r\nDate: <date>\r\n');
}

function checkExpectation(res: RawResponse, expected: Expectation, label: string): void {
  assert.equal(res.status, expected.status, `${label}: status`);
  assert.equal(headerOf(res, 'content-type'), expected.type, `${label}: content type`);
  for (const [name, value] of Object.entries(expected.present ?? {})) assert.equal(headerOf(res, name), value, `${label}: ${name}`);
  for (const name of expected.absent ?? []) assert.equal(headerOf(res, name), undefined, `${label}: no ${name}`);
  const id = headerOf(res, 'x-acs-request-id');
  const text = res.body.toString('utf8');
  if (expected.type === undefined || res.body.length === 0) return;
  if (expected.type === JSON_TYPE) {
    const body = JSON.parse(text) as Record<string, unknown>;
    assert.equal(body.RequestId, id, `${label}: RequestId`);
    assert.equal(body.Code, expected.code, `${label}: Code`);
  } else {
    const root = parseXmlStrict(text);
    assert.equal(childText(root, 'RequestId'), id, `${label}: RequestId`);
    if (expected.code === undefined) assert.notEqual(root.name, 'Error', label);
    else {
      assert.equal(root.name, 'Error', label);
      assert.equal(childText(root, 'Code'), expected.code, `${label}: Code`);
    }
  }
}

type Target = { label: string; port: number; service: Service<unknown> };

const frameworks = [
  { label: 'Express 5', create: () => express() },
  { label: 'Express 4', create: () => express4() },
] as const;

describe('Express adapter: byte-for-byte parity with Koa', () => {
  const servers: Array<() => Promise<void>> = [];
  const targets: Record<'plain' | 'tuned', Target[]> = { plain: [], tuned: [] };

  before(async () => {
    for (const kind of ['plain', 'tuned'] as const) {
      const options = kind === 'plain' ? plain : tuned;
      const koa = koaService(routes, options);
      const koaServer = await listen(koa.app.callback());
      servers.push(koaServer.close);
      targets[kind].push({ label: 'Koa', port: koaServer.port, service: koa });
      for (const fw of frameworks) {
        const svc = expressService(fw.create, routes, options);
        const srv = await listen(svc.app);
        servers.push(srv.close);
        targets[kind].push({ label: fw.label, port: srv.port, service: svc });
      }
    }
  });

  after(async () => {
    await Promise.all(servers.map((close) => close()));
  });

  for (const c of cases) {
    it(c.name, async () => {
      const [reference, ...others] = targets[c.service ?? 'plain'];
      assert.ok(reference !== undefined && others.length === 2);
      const results: Array<{ target: Target; res: RawResponse; reported: Array<{ message: string; requestId: string | undefined }> }> = [];
      for (const target of [reference, ...others]) {
        target.service.reported.length = 0;
        const res = await rawExchange(target.port, c.request);
        const id = headerOf(res, 'x-acs-request-id');
        const reported = target.service.reported.map((err) => ({ message: err.message, requestId: err.requestId === id ? '<same>' : err.requestId }));
        results.push({ target, res, reported });
        checkExpectation(res, c.expect, `${c.name} on ${target.label}`);
        assert.equal(reported.length, c.expect.reports ?? 0, `${target.label}: reported errors`);
        for (const r of reported) assert.equal(r.requestId, '<same>', `${target.label}: reported error carries the RequestId`);
      }
      const [koa, ...rest] = results;
      for (const other of rest) {
        assert.equal(normalised(other.res), normalised(koa!.res), `${other.target.label} sends what Koa sends`);
        assert.deepEqual(other.reported, koa!.reported, `${other.target.label} reports what Koa reports`);
      }
    });
  }

  it('covers every route in the table', () => {
    const used = new Set(cases.map((c) => c.request.target.split('?')[0]));
    for (const path of Object.keys(routes)) assert.ok(used.has(path), `no case for ${path}`);
  });

  it('sends the RequestId header and body value fresh per request on every framework', async () => {
    for (const target of targets.plain) {
      const a = await rawExchange(target.port, get('/regions?Format=JSON', { 'x-acs-request-id': 'FORGED' }));
      const b = await rawExchange(target.port, get('/regions?Format=JSON'));
      assert.notEqual(headerOf(a, 'x-acs-request-id'), 'FORGED');
      assert.notEqual(headerOf(a, 'x-acs-request-id'), headerOf(b, 'x-acs-request-id'));
      assert.deepEqual(childNames(parseXmlStrict((await rawExchange(target.port, get('/regions'))).body.toString())), ['RequestId', 'Regions']);
    }
  });
});
