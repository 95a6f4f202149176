/**
 * Real SDK oracles: requests signed by the official Node SDKs must verify with lib/auth, and must stop
 * verifying when the server holds another secret or the request is altered.
 */
import assert from 'node:assert/strict';
import { getHashes } from 'node:crypto';
import fc from 'fast-check';
import RPCClient from '@alicloud/pop-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import OpenApiCoreClient, * as $Core from '@alicloud/openapi-core';
import {
  checkSignedHeadersV3,
  isWellFormedV1Signature,
  parseAuthorizationV3,
  payloadHashMatches,
  verifyV1,
  verifyV3,
  type HeaderMap,
  type ParamMap,
  type V3Algorithm,
} from '../../lib/auth/index.js';
import { decodeFormStrict, params, startCaptureServer, unionParams, type CaptureServer, type CapturedRequest } from './support.js';

// aliyun-sdk ships no types; its ECS client is a callback API.
const ALY = require('aliyun-sdk') as {
  ECS: new (cfg: Record<string, string>) => {
    describeInstances(p: Record<string, string>, cb: (err: unknown, data: unknown) => void): void;
  };
};

const AK = 'mock-ak';
const SECRET = 'mock-secret';
/** Every character class the clients encode differently on the wire (docs/protocol.md §3.2). */
const TRICKY = "a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀";

type Outcome = { readonly version: 'V1' | 'V3'; readonly ok: boolean; readonly detail: string };

/** What the middleware will do with a request: pick V1 or V3 and run every check of lib/auth. */
function verifyCaptured(req: CapturedRequest, secret: string): Outcome {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const parsed = parseAuthorizationV3(authorization);
    if (!parsed.ok) return { version: 'V3', ok: false, detail: parsed.reason };
    const headers: HeaderMap = req.headers;
    const policy = checkSignedHeadersV3(parsed.value.signedHeaders, headers);
    if (!policy.ok) return { version: 'V3', ok: false, detail: policy.reason };
    const hashHeader = headers['x-acs-content-sha256'];
    if (!payloadHashMatches(req.body, hashHeader, parsed.value.algorithm)) return { version: 'V3', ok: false, detail: 'payload' };
    const r = verifyV3({
      method: req.method,
      path: req.path,
      query: decodeFormStrict(req.rawQuery),
      headers,
      hashedPayload: hashHeader as string,
      authorization: parsed.value,
      accessKeySecret: secret,
    });
    return { version: 'V3', ok: r.ok, detail: r.stringToSign };
  }
  const all = unionParams(req);
  const signature = all.Signature;
  if (!isWellFormedV1Signature(signature)) return { version: 'V1', ok: false, detail: 'IncompleteSignature' };
  const r = verifyV1({ method: req.method, params: all, signature, accessKeySecret: secret });
  return { version: 'V1', ok: r.ok, detail: r.stringToSign };
}

function assertVerifies(req: CapturedRequest, version: 'V1' | 'V3'): void {
  const good = verifyCaptured(req, SECRET);
  assert.equal(good.version, version);
  assert.equal(good.ok, true, `${req.method} ${req.url}\n${good.detail}`);
  assert.equal(verifyCaptured(req, SECRET + 'x').ok, false);
  assert.equal(verifyCaptured(req, SECRET.slice(1)).ok, false);
}

function newOpenApiClient(endpoint: string, signatureAlgorithm?: string): {
  callApi(p: unknown, r: unknown, rt: unknown): Promise<unknown>;
} {
  const config = new $OpenApi.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint, protocol: 'HTTP', ...(signatureAlgorithm ? { signatureAlgorithm } : {}) });
  return new (OpenApiClient as unknown as new (c: unknown) => { callApi(p: unknown, r: unknown, rt: unknown): Promise<unknown> })(config);
}

const RPC_PARAMS = {
  action: 'DescribeRegions',
  version: '2014-05-26',
  protocol: 'HTTP',
  pathname: '/',
  method: 'POST',
  authType: 'AK',
  style: 'RPC',
  reqBodyType: 'formData',
  bodyType: 'json',
};

describe('auth/sdk-oracles', () => {
  let srv: CaptureServer;
  beforeEach(async () => {
    srv = await startCaptureServer();
  });
  afterEach(async () => {
    await srv.close();
  });

  function only(): CapturedRequest {
    assert.equal(srv.requests.length, 1);
    return srv.requests[0] as CapturedRequest;
  }

  describe('@alicloud/pop-core 1.8 over the wire (V1)', () => {
    function client(): { request(action: string, p: Record<string, unknown>, o: Record<string, unknown>): Promise<unknown> } {
      return new (RPCClient as unknown as new (cfg: Record<string, string>) => {
        request(action: string, p: Record<string, unknown>, o: Record<string, unknown>): Promise<unknown>;
      })({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: `http://${srv.endpoint}`, apiVersion: '2014-05-26' });
    }

    it('GET with a tricky value, an empty value and a repeat list', async () => {
      await client().request('describeRegions', { Name: TRICKY, Empty: '', InstanceId: ['i-1', 'i 2*'], Tag: [{ Key: 'k', Value: 'v!' }] }, {});
      const req = only();
      assert.equal(req.method, 'GET');
      assert.match(req.rawQuery, /&Signature=[^&]+$/); // Signature last, unsorted
      assertVerifies(req, 'V1');
      const all = unionParams(req);
      assert.equal(all.Name, TRICKY);
      assert.equal(all['InstanceId.2'], 'i 2*');
      assert.equal(all['Tag.1.Value'], 'v!');
    });

    it('POST with everything (Signature included) in the form body', async () => {
      await client().request('DescribeRegions', { Name: TRICKY, RegionId: 'cn-hangzhou' }, { method: 'POST' });
      const req = only();
      assert.equal(req.method, 'POST');
      assert.equal(req.rawQuery, '');
      assert.match(req.body.toString(), /Signature=/);
      assertVerifies(req, 'V1');
    });

    it('a request altered in transit no longer verifies', async () => {
      await client().request('DescribeRegions', { RegionId: 'cn-hangzhou' }, {});
      const req = only();
      const tampered = { ...req, rawQuery: req.rawQuery.replace('RegionId=cn-hangzhou', 'RegionId=cn-beijing') };
      assert.notEqual(tampered.rawQuery, req.rawQuery);
      assert.equal(verifyCaptured(tampered, SECRET).ok, false);
      const asPost = { ...req, method: 'POST' };
      assert.equal(verifyCaptured(asPost, SECRET).ok, false);
    });
  });

  describe('@alicloud/openapi-client 0.4 over the wire', () => {
    it('V2 (signatureAlgorithm "v2"): query with raw * ! ( ) plus a form body, lower-case Format', async () => {
      const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou', Name: TRICKY }), body: { Desc: TRICKY } });
      await newOpenApiClient(srv.endpoint, 'v2').callApi(new $OpenApi.Params(RPC_PARAMS), request, {});
      const req = only();
      assert.match(req.rawQuery, /Format=json/);
      assert.match(req.rawQuery, /\*c~d/); // '*' left raw on the wire
      assertVerifies(req, 'V1');
      assert.equal(unionParams(req).Desc, TRICKY);
    });

    it('V3 default: ACS3-HMAC-SHA256 with query and form body', async () => {
      const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou', Name: TRICKY, 'Tag.1.Key': 'k' }), body: { Desc: TRICKY } });
      await newOpenApiClient(srv.endpoint).callApi(new $OpenApi.Params(RPC_PARAMS), request, {});
      const req = only();
      assert.match(String(req.headers.authorization), /^ACS3-HMAC-SHA256 Credential=mock-ak,/);
      assertVerifies(req, 'V3');
      const tamperedBody = { ...req, body: Buffer.from(req.body.toString().replace('Desc=', 'Desd=')) };
      assert.equal(verifyCaptured(tamperedBody, SECRET).detail, 'payload');
      const tamperedQuery = { ...req, rawQuery: req.rawQuery.replace('cn-hangzhou', 'cn-beijing') };
      assert.equal(verifyCaptured(tamperedQuery, SECRET).ok, false);
      const tamperedAction = { ...req, headers: { ...req.headers, 'x-acs-action': 'DeleteInstance' } };
      assert.equal(verifyCaptured(tamperedAction, SECRET).ok, false);
    });

    it('V3 without a body (POST, content-length 0, empty-body hash)', async () => {
      const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou' }) });
      await newOpenApiClient(srv.endpoint).callApi(new $OpenApi.Params(RPC_PARAMS), request, {});
      const req = only();
      assert.equal(req.body.length, 0);
      assertVerifies(req, 'V3');
    });

    it('V3 with ACS3-HMAC-SM3 when node:crypto has sm3', async function () {
      if (!getHashes().includes('sm3')) this.skip(); // without SM3 the parser refuses the algorithm (signature-v3.test.ts)
      const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou' }), body: { Desc: TRICKY } });
      await newOpenApiClient(srv.endpoint, 'ACS3-HMAC-SM3').callApi(new $OpenApi.Params(RPC_PARAMS), request, {});
      const req = only();
      assert.match(String(req.headers.authorization), /^ACS3-HMAC-SM3 /);
      assertVerifies(req, 'V3');
    });
  });

  describe('@alicloud/openapi-core 1.x over the wire (V3 default)', () => {
    it('verifies, with a 64-hex nonce', async () => {
      const Ctor = OpenApiCoreClient as unknown as new (c: unknown) => { callApi(p: unknown, r: unknown, rt: unknown): Promise<unknown> };
      const client = new Ctor(new $Core.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: srv.endpoint, protocol: 'HTTP' }));
      const request = new $Core.$OpenApiUtil.OpenApiRequest({ query: { RegionId: 'cn-hangzhou', Name: TRICKY }, body: { Desc: TRICKY } });
      await client.callApi(new $Core.$OpenApiUtil.Params(RPC_PARAMS), request, {});
      const req = only();
      assert.match(String(req.headers['x-acs-signature-nonce']), /^[0-9a-f]{64}$/);
      assertVerifies(req, 'V3');
    });
  });

  describe('aliyun-sdk 1.12 over the wire (V1, POST body, millisecond Timestamp)', () => {
    it('verifies', async () => {
      const ecs = new ALY.ECS({ accessKeyId: AK, secretAccessKey: SECRET, endpoint: `http://${srv.endpoint}`, apiVersion: '2014-05-26' });
      await new Promise((resolve, reject) => {
        ecs.describeInstances({ RegionId: 'cn-hangzhou', InstanceName: TRICKY }, (err, data) => (err ? reject(err) : resolve(data)));
      });
      const req = only();
      const all = unionParams(req);
      assert.match(String(all.Timestamp), /\.\d{3}Z$/);
      assertVerifies(req, 'V1');
    });
  });

  describe('@alicloud/openapi-util signing helpers called directly', () => {
    // Names the SDKs produce: ASCII letters, digits and dots (flattened lists).
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,15}$/);
    const value = fc.string({ unit: 'grapheme', maxLength: 24 });
    const paramRecord = fc.dictionary(name, value, { minKeys: 0, maxKeys: 8, noNullPrototype: true });

    it('getRPCSignature(params, method, secret) verifies with verifyV1', () => {
      fc.assert(
        fc.property(paramRecord, fc.constantFrom('GET', 'POST'), fc.string({ minLength: 1, maxLength: 30 }), (record, method, secret) => {
          const signature = OpenApiUtil.getRPCSignature(record, method, secret);
          const p = params(record);
          assert.equal(verifyV1({ method, params: p, signature, accessKeySecret: secret }).ok, true);
          assert.equal(verifyV1({ method, params: p, signature, accessKeySecret: secret + '!' }).ok, false);
        }),
        { numRuns: 200 },
      );
    });

    it('getRPCSignature over the TV-1 parameters gives the published signature', () => {
      const record = {
        AccessKeyId: 'testid',
        Action: 'DescribeRegions',
        Format: 'XML',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
        SignatureVersion: '1.0',
        Timestamp: '2016-02-23T12:46:24Z',
        Version: '2014-05-26',
      };
      const signature = OpenApiUtil.getRPCSignature(record, 'GET', 'testsecret');
      assert.equal(signature, 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
      assert.equal(verifyV1({ method: 'GET', params: params(record), signature, accessKeySecret: 'testsecret' }).ok, true);
    });

    const algorithms: V3Algorithm[] = getHashes().includes('sm3') ? ['ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3'] : ['ACS3-HMAC-SHA256'];
    for (const algorithm of algorithms) {
      for (const [label, getAuthorization] of [
        ['openapi-util getAuthorization', OpenApiUtil.getAuthorization.bind(OpenApiUtil)],
        ['openapi-core OpenApiUtil.getAuthorization', $Core.OpenApiUtil.getAuthorization.bind($Core.OpenApiUtil)],
      ] as const) {
        it(`${label} (${algorithm}) verifies with verifyV3`, () => {
          fc.assert(
            fc.property(paramRecord, fc.string({ maxLength: 40 }), fc.constantFrom('GET', 'POST'), (query, body, method) => {
              const bodyBytes = Buffer.from(body, 'utf8');
              const payload = OpenApiUtil.hexEncode(OpenApiUtil.hash(bodyBytes, algorithm));
              const headers: Record<string, string> = {
                host: 'ecs.cn-hangzhou.aliyuncs.com',
                'x-acs-action': 'DescribeRegions',
                'x-acs-version': '2014-05-26',
                'x-acs-date': '2026-11-29T18:43:17Z',
                'x-acs-signature-nonce': 'n0nce',
                'x-acs-content-sha256': payload,
                'content-type': 'application/x-www-form-urlencoded',
              };
              const authorization = getAuthorization({ method, pathname: '/', query, headers } as never, algorithm, payload, AK, SECRET);
              const parsed = parseAuthorizationV3(authorization);
              assert.ok(parsed.ok, authorization);
              assert.equal(parsed.value.algorithm, algorithm);
              assert.deepEqual(checkSignedHeadersV3(parsed.value.signedHeaders, headers), { ok: true });
              assert.equal(payloadHashMatches(bodyBytes, payload, algorithm), true);
              const input = { method, path: '/', query: params(query) as ParamMap, headers, hashedPayload: payload, authorization: parsed.value };
              assert.equal(verifyV3({ ...input, accessKeySecret: SECRET }).ok, true);
              assert.equal(verifyV3({ ...input, accessKeySecret: SECRET + '&' }).ok, false);
            }),
            { numRuns: 150 },
          );
        });
      }
    }
  });
});
