/**
 * ROA Signature V1: the test vectors of docs/roa.md (computed with openapi-util's own
 * `getStringToSign` / `getROASignature`, re-checked here against it), a property that anything the
 * SDK signer signs verifies, and the authentication checks over the wire (nonce replay, Content-MD5,
 * Date, unsigned and RPC-signed requests on a ROA route).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import OpenApiUtil from '@alicloud/openapi-util';
import { contentMd5, parseHttpDate, parseRoaAuthorization, stringToSignRoa, verifyRoaV1 } from '../../lib/index.js';
import { BODY, DATE, VECTORS } from './vectors.js';
import { KEY, errorOf, send, signRoaV1, signV3, signedSend, startRoaService, type RoaService } from './support.js';

describe('roa/signature: ROA Signature V1', () => {
  for (const v of VECTORS) {
    it(`${v.name}: our string to sign and signature, and openapi-util's, are the recorded ones`, () => {
      const query = Object.assign(Object.create(null), v.query) as Record<string, string>;
      assert.equal(stringToSignRoa({ method: v.method, path: v.path, query, headers: v.headers }), v.stringToSign);
      assert.equal(OpenApiUtil.getStringToSign({ method: v.method, pathname: v.path, headers: v.headers, query: v.query } as never), v.stringToSign);
      assert.equal(OpenApiUtil.getROASignature(v.stringToSign, 'testsecret'), v.signature);
      const body = Buffer.from(v.body);
      assert.deepEqual(verifyRoaV1({ method: v.method, path: v.path, query, headers: v.headers, body, signature: v.signature, accessKeySecret: 'testsecret' }), {
        ok: true,
        bodyOk: true,
        stringToSign: v.stringToSign,
      });
      assert.equal(verifyRoaV1({ method: v.method, path: v.path, query, headers: v.headers, body, signature: v.signature, accessKeySecret: 'testsecret2' }).ok, false);
    });
  }

  it('TV-ROA-2 with a tampered body: Content-MD5 fails, and the string shown carries the body\'s real MD5', () => {
    const v = VECTORS[1]!;
    const tampered = Buffer.from(BODY.replace('k8s', 'k9s'));
    const r = verifyRoaV1({ method: v.method, path: v.path, query: v.query, headers: v.headers, body: tampered, signature: v.signature, accessKeySecret: 'testsecret' });
    assert.equal(r.ok, false);
    assert.equal(r.bodyOk, false);
    assert.ok(r.stringToSign.includes(`\n${contentMd5(tampered)}\n`));
    assert.equal(contentMd5(tampered), createHash('md5').update(tampered).digest('base64'));
  });

  it('verifies whatever openapi-util signs (property: paths, query names and values, x-acs headers)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.array(token, { minLength: 1, maxLength: 4 }),
        fc.dictionary(token, fc.string({ maxLength: 16 }), { maxKeys: 5, noNullPrototype: true }),
        fc.dictionary(token.map((t) => `x-acs-${t.toLowerCase()}`), fc.string({ minLength: 1, maxLength: 16 }).filter((s) => s.trim() === s && !/[\t\n\r\f]/.test(s)), { maxKeys: 3, noNullPrototype: true }),
        (method, segments, query, extra) => {
          const path = `/${segments.join('/')}`;
          const headers = { accept: 'application/json', date: DATE, ...extra };
          const signature = OpenApiUtil.getROASignature(OpenApiUtil.getStringToSign({ method, pathname: path, headers, query } as never), 'sk');
          const q = Object.assign(Object.create(null), query) as Record<string, string>;
          assert.equal(verifyRoaV1({ method, path, query: q, headers, body: Buffer.alloc(0), signature, accessKeySecret: 'sk' }).ok, true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('parses Authorization and Date strictly', () => {
    assert.deepEqual(parseRoaAuthorization('acs testid:zvuNlShVDXZIrKV1ZshQOEePiHI='), { accessKeyId: 'testid', signature: 'zvuNlShVDXZIrKV1ZshQOEePiHI=' });
    for (const bad of ['acs testid', 'acs :zvuNlShVDXZIrKV1ZshQOEePiHI=', 'acs testid:short=', 'ACS testid:zvuNlShVDXZIrKV1ZshQOEePiHI=', 'acs a b:zvuNlShVDXZIrKV1ZshQOEePiHI=']) {
      assert.equal(parseRoaAuthorization(bad), undefined, bad);
    }
    assert.equal(parseHttpDate(DATE), Date.parse('2026-12-06T02:46:23Z'));
    for (const bad of ['Sun, 31 Feb 2026 02:46:23 GMT', '2026-12-06T02:46:23Z', 'Sun, 06 Dec 2026 02:46:23 UTC', 'Sun, 6 Dec 2026 02:46:23 GMT', '']) {
      assert.equal(parseHttpDate(bad), undefined, bad);
    }
  });

  describe('over the wire', () => {
    let service: RoaService;
    before(async () => {
      service = await startRoaService('koa');
    });
    after(async () => {
      assert.deepEqual(service.reported, []);
      await service.close();
    });
    const create = (name: string) => ({ method: 'POST', path: '/clusters', body: JSON.stringify({ name, region_id: 'cn-hangzhou', cluster_type: 'Kubernetes' }) });

    it('accepts a request signed with Content-MD5, and refuses its replay with SignatureNonceUsed', async () => {
      const request = create('replayed');
      const headers = signRoaV1(request, KEY, { withContentMd5: true });
      const first = await send(service.endpoint, request, headers);
      assert.equal(first.status, 200, first.text);
      const again = await send(service.endpoint, request, headers);
      assert.equal(again.status, 400);
      assert.equal(errorOf(again).Code, 'SignatureNonceUsed');
    });

    it('refuses a body changed after signing (Content-MD5) with SignatureDoesNotMatch, and creates nothing', async () => {
      const request = create('original');
      const headers = signRoaV1(request, KEY, { withContentMd5: true });
      const res = await send(service.endpoint, { ...request, body: request.body.replace('original', 'tampered') }, headers);
      assert.equal(res.status, 400);
      const error = errorOf(res);
      assert.equal(error.Code, 'SignatureDoesNotMatch');
      assert.match(error.Message, /server string to sign is:POST\napplication\/json\n[A-Za-z0-9+/]{22}==\n/);
      const list = await signedSend(service.endpoint, { method: 'GET', path: '/clusters', query: { name: 'tampered' } });
      assert.equal(list.text, '[]');
    });

    it('refuses a Date outside the 15-minute window with IllegalTimestamp, and a malformed one', async () => {
      const old = await signedSend(service.endpoint, { method: 'GET', path: '/clusters' }, { date: new Date(Date.now() - 20 * 60_000) });
      assert.equal(old.status, 400);
      assert.equal(errorOf(old).Code, 'IllegalTimestamp');
      const request = { method: 'GET', path: '/clusters' };
      const headers = signRoaV1(request);
      const bad = await send(service.endpoint, request, { ...headers, date: '2026-12-06T02:46:23Z' });
      assert.equal(errorOf(bad).Code, 'IllegalTimestamp');
    });

    it('answers an unsigned ROA request MissingParameter "Authorization", and does not take an RPC V1 query signature', async () => {
      const unsigned = await send(service.endpoint, { method: 'GET', path: '/clusters' }, { 'x-acs-version': '2015-12-15' });
      assert.equal(unsigned.status, 400);
      assert.deepEqual([errorOf(unsigned).Code, errorOf(unsigned).Message], ['MissingParameter', 'The input parameter "Authorization" that is mandatory for processing this request is not supplied.']);
      const rpcStyle = await send(
        service.endpoint,
        { method: 'GET', path: '/clusters', query: { AccessKeyId: 'testid', Signature: 'zvuNlShVDXZIrKV1ZshQOEePiHI=', SignatureNonce: 'n', Timestamp: new Date().toISOString(), SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0' } },
        { 'x-acs-version': '2015-12-15' },
      );
      assert.equal(errorOf(rpcStyle).Code, 'MissingParameter');
    });

    it('V3 over the ROA path (openapi-util getAuthorization): accepted, a replay is SignatureNonceUsed, a changed body SignatureDoesNotMatch', async () => {
      const request = create('v3');
      const headers = signV3(request, service.endpoint);
      const first = await send(service.endpoint, request, headers);
      assert.equal(first.status, 200, first.text);
      assert.equal(errorOf(await send(service.endpoint, request, headers)).Code, 'SignatureNonceUsed');
      const fresh = signV3(request, service.endpoint);
      const tampered = await send(service.endpoint, { ...request, body: request.body.replace('"v3"', '"v4"') }, fresh);
      assert.equal(errorOf(tampered).Code, 'SignatureDoesNotMatch');
      const moved = signV3({ method: 'DELETE', path: '/clusters/c-a' }, service.endpoint);
      assert.equal(errorOf(await send(service.endpoint, { method: 'DELETE', path: '/clusters/c-b' }, moved)).Code, 'SignatureDoesNotMatch', 'the path is signed');
    });

    it('ROA V1: a signature for one path does not serve another', async () => {
      const headers = signRoaV1({ method: 'DELETE', path: '/clusters/c-a' });
      assert.equal(errorOf(await send(service.endpoint, { method: 'DELETE', path: '/clusters/c-b' }, headers)).Code, 'SignatureDoesNotMatch');
    });

    it('refuses an unknown AccessKeyId and a malformed Authorization', async () => {
      const request = { method: 'GET', path: '/clusters' };
      const unknown = await send(service.endpoint, request, signRoaV1(request, { accessKeyId: 'nobody', secret: 'x' }));
      assert.equal(errorOf(unknown).Code, 'InvalidAccessKeyId.NotFound');
      const headers = signRoaV1(request);
      const malformed = await send(service.endpoint, request, { ...headers, authorization: 'acs testid' });
      assert.equal(errorOf(malformed).Code, 'IncompleteSignature');
    });
  });
});
