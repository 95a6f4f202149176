/**
 * Random bodies, content types and paths sent signed to the ROA API (pop-core-style signing with
 * Content-MD5, so that every body reaches the parser): every answer is a success or an error
 * envelope with a 4xx status, never a 5xx, a hang or a report.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { errorOf, signedSend, startRoaService, type RoaService } from './support.js';

const jsonish = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '[', '{"name":', '{"__proto__":{"x":1}}', '{"name":"a","region_id":"r","cluster_type":"Kubernetes","tags":[{"key":[]}]}', '\u0000', '{"labels":[1,2,3]}'),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

describe('roa/fuzz: random bodies never break the ROA API', () => {
  let service: RoaService;
  before(async () => {
    service = await startRoaService('koa');
  });
  after(async () => {
    await service.close();
  });

  it('answers 2xx or a 4xx error envelope for 150 random signed requests', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/clusters', '/things/t-1/labels', '/clusters/c%2Fx', '/api/v1/clusters'),
        fc.constantFrom('POST', 'PUT', 'GET'),
        jsonish,
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/vnd.api+json', 'application/x-www-form-urlencoded'),
        async (path, method, body, type) => {
          const res = await signedSend(service.endpoint, { method, path, body, headers: { 'content-type': type } }, { withContentMd5: true });
          assert.ok(res.status < 500, `${method} ${path} ${type} ${JSON.stringify(body).slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
          const key = res.status < 300 ? `${res.status}` : `${res.status} ${errorOf(res).Code}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        },
      ),
      { numRuns: 150 },
    );
    assert.deepEqual(service.reported, []);
    assert.ok([...seen.keys()].some((k) => k.startsWith('400')), 'some requests were refused');
  });
});
