/**
 * The ROA API's protocol behaviour over real HTTP, on Koa and Express with the same bytes: dispatch
 * errors, Version, XML by Accept, 204, header and strict body parameters, throttling, and hostile
 * bodies (bad JSON, huge JSON, deep nesting, prototype keys, wrong content type, bad UTF-8, bad
 * path escapes): always an error envelope, never a crash or a report.
 */
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { createRoaApi, p } from '../../lib/index.js';
import { errorOf, send, signRoaV1, signedSend, startRoaService, type Framework, type RawRequest, type RawResponse, type RoaService } from './support.js';

const JSON_TYPE = 'application/json;charset=utf-8';
const XML_TYPE = 'text/xml;charset=utf-8';

/** What must be equal across frameworks: status, content type and body with RequestIds masked. */
function comparable(res: RawResponse): string {
  const id = String(res.headers['x-acs-request-id']);
  return JSON.stringify([res.status, res.headers['content-type'] ?? null, res.headers['content-length'] ?? null, res.text.split(id).join('<RequestId>')]);
}

const HOSTILE: Array<{ name: string; request: RawRequest; code: string; status: number; message?: RegExp }> = [
  { name: 'bad JSON', request: { method: 'POST', path: '/clusters', body: '{"name": "a",' }, code: 'InvalidParameter', status: 400, message: /not valid JSON/ },
  { name: 'a JSON array instead of an object', request: { method: 'POST', path: '/clusters', body: '[1,2]' }, code: 'InvalidParameter', status: 400, message: /JSON object/ },
  { name: 'JSON null', request: { method: 'POST', path: '/clusters', body: 'null' }, code: 'InvalidParameter', status: 400 },
  { name: 'deep nesting (100 000 levels)', request: { method: 'POST', path: '/clusters', body: '['.repeat(100_000) + ']'.repeat(100_000) }, code: 'InvalidParameter', status: 400, message: /deeper than 64/ },
  { name: 'deep nesting inside a declared field', request: { method: 'POST', path: '/clusters', body: `{"name":"a","region_id":"r","cluster_type":"Kubernetes","tags":${'['.repeat(70)}${']'.repeat(70)}}` }, code: 'InvalidParameter', status: 400 },
  { name: 'huge JSON (past the body limit)', request: { method: 'POST', path: '/clusters', body: JSON.stringify({ name: 'a'.repeat(2 * 1024 * 1024) }) }, code: 'InvalidParameter', status: 400, message: /larger than the limit/ },
  { name: 'wrong content type', request: { method: 'POST', path: '/clusters', headers: { 'content-type': 'text/plain' }, body: '{"name":"a"}' }, code: 'InvalidParameter', status: 400, message: /application\/json/ },
  { name: 'invalid UTF-8', request: { method: 'POST', path: '/clusters', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }, code: 'InvalidParameter', status: 400, message: /UTF-8/ },
  { name: 'a wrong JSON type (number for a string)', request: { method: 'POST', path: '/clusters', body: '{"name":5,"region_id":"r","cluster_type":"Kubernetes"}' }, code: 'InvalidParameter', status: 400, message: /"name"/ },
  { name: 'an enum value not allowed', request: { method: 'POST', path: '/clusters', body: '{"name":"a","region_id":"r","cluster_type":"Swarm"}' }, code: 'InvalidParameter', status: 400, message: /"cluster_type"/ },
  { name: 'a bad item in a list of structs', request: { method: 'POST', path: '/clusters', body: '{"name":"a","region_id":"r","cluster_type":"Kubernetes","tags":[{"key":"k"},{"key":7}]}' }, code: 'InvalidParameter', status: 400, message: /"tags\.2\.key"/ },
  { name: 'a malformed path escape', request: { method: 'GET', path: '/clusters/%E0%A4%A' }, code: 'InvalidParameter', status: 400 },
  { name: '__proto__ in a strict body', request: { method: 'PUT', path: '/things/t-1/labels', body: '{"labels":["a"],"__proto__":{"polluted":true}}' }, code: 'UnsupportedParameter', status: 400, message: /"__proto__"/ },
  { name: 'an undeclared field in a strict body', request: { method: 'PUT', path: '/things/t-1/labels', body: '{"labels":["a"],"extra":1}' }, code: 'UnsupportedParameter', status: 400, message: /"extra"/ },
  { name: 'a path parameter failing its pattern', request: { method: 'PUT', path: '/things/x-1/labels', body: '{"labels":["a"]}' }, code: 'InvalidParameter', status: 400, message: /"ThingId"/ },
  { name: 'a 64-bit integer past 2^53 as a JSON number', request: { method: 'PUT', path: '/things/t-1/labels', body: '{"labels":["a"],"big":12345678901234567890}' }, code: 'InvalidParameter', status: 400, message: /"big"/ },
  { name: 'an unknown path', request: { method: 'GET', path: '/nodepools' }, code: 'InvalidAction.NotFound', status: 404, message: /check your url and method/ },
  { name: 'a known path with an undeclared method', request: { method: 'PATCH', path: '/clusters' }, code: 'InvalidAction.NotFound', status: 404 },
  { name: 'a trailing slash', request: { method: 'GET', path: '/clusters/' }, code: 'InvalidAction.NotFound', status: 404 },
  { name: 'an unserved version', request: { method: 'GET', path: '/clusters', headers: { 'x-acs-version': '2014-05-26' } }, code: 'InvalidVersion', status: 400 },
];

const byFramework: Record<Framework, Map<string, RawResponse>> = { koa: new Map(), express: new Map() };

for (const framework of ['koa', 'express'] as Framework[]) {
  describe(`roa/api: protocol behaviour on ${framework}`, () => {
    let service: RoaService;
    before(async () => {
      service = await startRoaService(framework);
    });
    after(async () => {
      assert.deepEqual(service.reported, [], 'no server bugs reported');
      await service.close();
    });
    const record = (name: string, res: RawResponse): RawResponse => {
      byFramework[framework].set(name, res);
      return res;
    };

    for (const c of HOSTILE) {
      it(`answers ${c.name} with ${c.code} ${c.status}`, async () => {
        const res = record(c.name, await signedSend(service.endpoint, c.request));
        assert.equal(res.status, c.status, res.text.slice(0, 300));
        assert.equal(res.headers['content-type'], JSON_TYPE);
        const error = errorOf(res);
        assert.equal(error.Code, c.code);
        assert.equal(error.HostId, 'cs.example.test');
        if (c.message) assert.match(error.Message, c.message);
        assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
      });
    }

    it('keeps __proto__ of a non-strict body a plain field: ignored, nothing polluted', async () => {
      const res = record('proto', await signedSend(service.endpoint, { method: 'POST', path: '/clusters', body: '{"name":"proto","region_id":"r","cluster_type":"Kubernetes","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}' }));
      assert.equal(res.status, 200, res.text);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      const id = (JSON.parse(res.text) as { cluster_id: string }).cluster_id;
      const detail = await signedSend(service.endpoint, { method: 'GET', path: `/clusters/${id}` });
      assert.equal(Object.keys(JSON.parse(detail.text) as object).includes('polluted'), false);
    });

    it('reads a body sent without Content-Type as JSON (pop-core ROAClient sends none by default)', async () => {
      const ROAClient = (PopCore as unknown as { ROAClient: new (c: object) => { post(p: string, q: object, b: string): Promise<Record<string, unknown>> } }).ROAClient;
      const client = new ROAClient({ endpoint: service.endpoint, apiVersion: '2015-12-15', accessKeyId: 'testid', accessKeySecret: 'testsecret' });
      const created = await client.post('/clusters', {}, JSON.stringify({ name: 'no-type', region_id: 'r', cluster_type: 'Kubernetes' }));
      assert.match(String(created.cluster_id), /^c[0-9a-f]{32}$/);
    });

    it('answers a missing x-acs-version with MissingParameter', async () => {
      const request = { method: 'GET', path: '/clusters' };
      const headers = signRoaV1(request);
      delete headers['x-acs-version'];
      const res = record('no version', await send(service.endpoint, request, headers));
      assert.equal(res.status, 400);
      assert.match(errorOf(res).Message, /"x-acs-version"/);
    });

    it('answers XML when Accept prefers it, success and error alike, with the same RequestId in header and body', async () => {
      const request = { method: 'PUT', path: '/things/t-7/labels', body: '{"labels":["a","b"]}', headers: { accept: 'application/xml' } };
      const res = record('xml', await signedSend(service.endpoint, request));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], XML_TYPE);
      const id = String(res.headers['x-acs-request-id']);
      assert.equal(res.text, `<?xml version="1.0" encoding="UTF-8"?><TagThingResponse><RequestId>${id}</RequestId><ThingId>t-7</ThingId><Labels>a</Labels><Labels>b</Labels><Weight>1</Weight></TagThingResponse>`);
      const missing = record('xml error', await signedSend(service.endpoint, { ...request, body: '{}' }));
      assert.equal(missing.headers['content-type'], XML_TYPE);
      assert.match(missing.text, /^<\?xml version="1.0" encoding="UTF-8"\?><Error><RequestId>[^<]+<\/RequestId><HostId>cs.example.test<\/HostId><Code>MissingParameter<\/Code>/);
    });

    it('reads header parameters, defaults, 64-bit integers as digit strings, and puts the RequestId where the route asks', async () => {
      const res = record('headers', await signedSend(service.endpoint, { method: 'PUT', path: '/things/t-9/labels', body: '{"labels":["x"],"big":"1234567890123456789"}', headers: { 'x-example-trace': 'tr-1' } }));
      assert.equal(res.status, 200, res.text);
      const id = String(res.headers['x-acs-request-id']);
      assert.equal(res.text, `{"RequestId":"${id}","ThingId":"t-9","Trace":"tr-1","Labels":["x"],"Weight":1,"Big":1234567890123456789}`);
    });

    it('sends no body for a 204 route, with x-acs-request-id', async () => {
      const res = record('204', await signedSend(service.endpoint, { method: 'DELETE', path: '/things/t-1' }));
      assert.equal(res.status, 204);
      assert.equal(res.body.length, 0);
      assert.equal(res.headers['content-type'], undefined);
      assert.match(String(res.headers['x-acs-request-id']), /^[0-9A-F-]{36}$/);
    });

    it('throttles a route through the same Throttler as RPC actions', async () => {
      const first = await signedSend(service.endpoint, { method: 'GET', path: '/slow-down' });
      assert.equal(first.status, 200);
      assert.equal(first.text, '{"ok":true}');
      const second = await signedSend(service.endpoint, { method: 'GET', path: '/slow-down' });
      assert.equal(second.status, 400);
      assert.equal(errorOf(second).Code, 'Throttling');
    });
  });
}

describe('roa/api: Koa and Express send the same bytes', () => {
  it('for every request above', () => {
    const names = [...byFramework.koa.keys()];
    assert.ok(names.length >= HOSTILE.length + 5, 'both suites ran');
    for (const name of names) {
      const koa = byFramework.koa.get(name)!;
      const express = byFramework.express.get(name);
      assert.ok(express, name);
      if (name === 'proto') continue; // the cluster ids differ
      assert.equal(comparable(express), comparable(koa), name);
    }
  });
});

describe('roa/api: declarations', () => {
  it('refuses bad declarations at start-up', () => {
    const api = createRoaApi({ version: '2015-12-15' });
    const handler = () => ({});
    assert.throws(() => api.route('GET', 'clusters', { action: 'A', handler }), /must start with/);
    assert.throws(() => api.route('GET', '/a/*', { action: 'A', handler }), /neither a literal/);
    assert.throws(() => api.route('GET', '/a/:Id/:Id', { action: 'A', handler }), /twice/);
    assert.throws(() => api.route('TRACE' as 'GET', '/a', { action: 'A', handler }), /method/);
    assert.throws(() => api.route('GET', '/a/:Id', { action: 'A', path: { Other: p.string() }, handler }), /exactly Id/);
    assert.throws(() => api.route('GET', '/a', { action: 'bad name', handler }), /action/);
    assert.throws(() => api.route('GET', '/a', { action: 'A', status: 404, handler }), /2xx/);
    api.route('GET', '/a/:Id', { action: 'A', handler });
    assert.throws(() => api.route('GET', '/a/:Other', { action: 'B', handler }), /declared twice/);
    assert.throws(() => createRoaApi({ version: '' }), /version/);
  });

  it('describes its routes', () => {
    const api = createRoaApi({ version: '2015-12-15' }).route('POST', '/clusters', {
      action: 'CreateCluster',
      body: { name: p.string({ required: true }) },
      clientToken: { in: 'body', name: 'client_token' },
      handler: () => ({}),
    });
    const [route] = api.describe().routes;
    assert.equal(route?.action, 'CreateCluster');
    assert.deepEqual(route?.parameters.body.map((d) => d.name), ['name', 'client_token']);
    assert.deepEqual(route?.clientToken, { in: 'body', name: 'client_token' });
  });
});
