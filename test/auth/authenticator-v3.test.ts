/**
 * signatureAuthenticator over HTTP, Signature V3 (ACS3-HMAC-SHA256): the published vectors verify with a
 * fixed clock, changes to the body, query, headers, method or secret fail, the checks answer in order,
 * and a body that was not kept raw is never verified against re-serialised data.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import request from 'supertest';
import {
  RawBodyUnavailableError,
  SIGNATURE_MISMATCH_PREFIX,
  createRpcApi,
  envelope,
  koaRpc,
  signatureAuthenticator,
  staticCredentials,
} from '../../lib/index.js';
import {
  KEYS,
  assertError,
  assertOk,
  authService,
  commonV1,
  json,
  sendV1,
  sendV3,
  signedV1,
  signedV3,
  type V3Request,
} from './auth-service.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const TV31_TIME = Date.parse('2023-10-26T10:22:32Z');
const TV31_SIGNED = 'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version';

function tv31(date = '2023-10-26T10:22:32Z', nonce = '3156853299f313e23d1673dc12e1703d', signature = '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0'): V3Request {
  return {
    method: 'POST',
    query: [
      ['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'],
      ['RegionId', 'cn-shanghai'],
    ],
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': date,
      'x-acs-signature-nonce': nonce,
      'x-acs-content-sha256': EMPTY_SHA256,
      authorization: `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=${TV31_SIGNED},Signature=${signature}`,
    },
    body: Buffer.alloc(0),
  };
}

const TV32_TIME = Date.parse('2026-11-29T18:43:17Z');
function tv32(): V3Request {
  return {
    method: 'POST',
    query: [
      ['RegionId', 'cn-hangzhou'],
      ['Tag.1.Key', 'k'],
      ['Tag.1.Value', 'v w'],
    ],
    headers: {
      host: '127.0.0.1:18080',
      'content-type': 'application/x-www-form-urlencoded',
      'x-acs-action': 'DescribeRegions',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2026-11-29T18:43:17Z',
      'x-acs-signature-nonce': '231ed2a44da5577affe749f53b06beb0',
      'x-acs-credentials-provider': 'static_ak',
      'x-acs-content-sha256': 'dfd221c04d977e3e83c843309aea389ca06795b0d8b3d9dbb88fb472e0d41e49',
      authorization:
        'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=3c033df3b10d7328c071ee020a97866467825fff7ce71a9d27592aad7a852a38',
    },
    body: Buffer.from('Desc=x%20y'),
  };
}

function withHeaders(req: V3Request, headers: Record<string, string | undefined>): V3Request {
  const out: Record<string, string> = { ...req.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return { ...req, headers: out };
}

describe('auth/authenticator V3 over HTTP', () => {
  describe('published test vectors, fixed clock', () => {
    it('TV-V3-1 (official example, empty body) verifies; the answer is JSON', async () => {
      const service = authService(TV31_TIME);
      const res = await sendV3(service, tv31());
      assertOk(res, 'YourAccessKeyId', 'V3');
      assert.deepEqual(service.callers, [{ accessKeyId: 'YourAccessKeyId', signatureVersion: 'V3' }]);
    });

    it('TV-V3-1 with the other date/nonce pair verifies', async () => {
      const service = authService(Date.parse('2023-10-26T09:01:01Z'));
      const res = await sendV3(service, tv31('2023-10-26T09:01:01Z', 'd410180a5abf7fe235dd9b74aca91fc0', 'e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804'));
      assertOk(res, 'YourAccessKeyId', 'V3');
    });

    it('TV-V3-1 with a wrong secret: SignatureDoesNotMatch carrying "ACS3-HMAC-SHA256\\n" + the published canonical-request hash', async () => {
      const service = authService(TV31_TIME, { credentials: async () => ({ secret: 'YourAccessKeySecreT', state: 'active' }) });
      const body = assertError(await sendV3(service, tv31()), 400, 'SignatureDoesNotMatch');
      assert.equal(body.Message, SIGNATURE_MISMATCH_PREFIX + 'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    });

    it('TV-V3-1: changing the query, a signed header, the method or the path fails', async () => {
      const base = tv31();
      const variants: Array<[string, V3Request]> = [
        ['query value', { ...base, query: [base.query[0] as readonly [string, string], ['RegionId', 'cn-shanghaj']] }],
        ['extra query parameter', { ...base, query: [...base.query, ['InstanceType', 'ecs.g7.large']] }],
        ['host', withHeaders(base, { host: 'ecs.cn-shanghai.aliyuncs.co' })],
        ['x-acs-action', withHeaders(base, { 'x-acs-action': 'RunInstancez' })],
        ['x-acs-version', withHeaders(base, { 'x-acs-version': '2014-05-27' })],
        ['method', { ...base, method: 'GET' }],
      ];
      for (const [label, variant] of variants) {
        const service = authService(TV31_TIME);
        const res = await sendV3(service, variant);
        if (label === 'x-acs-action') assertError(res, 400, 'SignatureDoesNotMatch'); // authentication runs before the action lookup
        else assertError(res, 400, 'SignatureDoesNotMatch', new RegExp(`^${SIGNATURE_MISMATCH_PREFIX.replace(/\./g, '\\.')}ACS3-HMAC-SHA256\\n[0-9a-f]{64}$`));
        assert.equal(service.callers.length, 0, label);
      }
    });

    it('TV-V3-2 (openapi-client capture: query + form body + x-acs-credentials-provider) verifies', async () => {
      assertOk(await sendV3(authService(TV32_TIME), tv32()), 'ak', 'V3');
    });

    it('TV-V3-2: a changed body byte fails with the server string to sign over the real body hash', async () => {
      const res = await sendV3(authService(TV32_TIME), { ...tv32(), body: Buffer.from('Desc=x%20z') });
      assertError(res, 400, 'SignatureDoesNotMatch', new RegExp(`^Specified signature is not matched with our calculation\\. server string to sign is:ACS3-HMAC-SHA256\\n[0-9a-f]{64}$`));
      // The header is right for the new body, but the signature covered the old header value.
      const rehashed = withHeaders({ ...tv32(), body: Buffer.from('Desc=x%20z') }, { 'x-acs-content-sha256': 'e0b6cf3a3b1f1ff0aa5b2e6a70e4e7e17f9c0ffd4f6c2c1d0b3ad0b5d0f7c0a1' });
      assertError(await sendV3(authService(TV32_TIME), rehashed), 400, 'SignatureDoesNotMatch');
    });

    it('TV-V3-2: the upper-case hex form of the body hash is refused (it is signed as sent)', async () => {
      const upper = withHeaders(tv32(), { 'x-acs-content-sha256': 'DFD221C04D977E3E83C843309AEA389CA06795B0D8B3D9DBB88FB472E0D41E49' });
      assertError(await sendV3(authService(TV32_TIME), upper), 400, 'SignatureDoesNotMatch');
    });
  });

  describe('check order: each request fails this step and every later one', () => {
    const NOW = Date.parse('2026-03-01T10:00:00Z');
    const good = (extra: Partial<Parameters<typeof signedV3>[0]> = {}): V3Request =>
      signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW, query: [['RegionId', 'cn-hangzhou']], body: 'Desc=x%20y', ...extra });

    it('0. a correct request is served', async () => {
      assertOk(await sendV3(authService(NOW), good()), 'mock-ak', 'V3');
    });

    it('1. an Authorization that does not parse (no date, no nonce) → IncompleteSignature', async () => {
      for (const authorization of [
        'ACS3-HMAC-SHA256 Credential=mock-ak',
        'ACS3-HMAC-SHA256 Credential=mock-ak,SignedHeaders=host,Signature=abc',
        'ACS3-HMAC-SHA256',
        'ACS3-HMAC-SHA256 Credential=mock-ak,SignedHeaders=Host,Signature=' + 'a'.repeat(64),
      ]) {
        const req = withHeaders(good(), { authorization, 'x-acs-date': undefined, 'x-acs-signature-nonce': undefined });
        assertError(await sendV3(authService(NOW), req), 400, 'IncompleteSignature', /^The request signature does not conform to Aliyun standards: /);
      }
    });

    it('1b. an ACS3 algorithm this server cannot verify → IncompleteSignature naming it', async () => {
      const req = withHeaders(good(), { authorization: 'ACS3-RSA-SHA256 Credential=mock-ak,SignedHeaders=host,Signature=' + 'a'.repeat(64) });
      assertError(await sendV3(authService(NOW), req), 400, 'IncompleteSignature', /"ACS3-RSA-SHA256" is not supported/);
    });

    it('2. no x-acs-date (no nonce) → MissingParameter "x-acs-date"', async () => {
      const req = withHeaders(good(), { 'x-acs-date': undefined, 'x-acs-signature-nonce': undefined });
      assertError(await sendV3(authService(NOW), req), 400, 'MissingParameter', /"x-acs-date"/);
    });

    it('3. no x-acs-signature-nonce (no content hash) → MissingParameter "x-acs-signature-nonce"', async () => {
      const req = withHeaders(good(), { 'x-acs-signature-nonce': undefined, 'x-acs-content-sha256': undefined });
      assertError(await sendV3(authService(NOW), req), 400, 'MissingParameter', /"x-acs-signature-nonce"/);
    });

    it('4. no x-acs-content-sha256 (bad date) → MissingParameter "x-acs-content-sha256"', async () => {
      const req = withHeaders(good(), { 'x-acs-content-sha256': undefined, 'x-acs-date': 'today' });
      assertError(await sendV3(authService(NOW), req), 400, 'MissingParameter', /"x-acs-content-sha256"/);
    });

    it('5. x-acs-date unparseable or 20 minutes old (unknown key) → IllegalTimestamp naming x-acs-date', async () => {
      const bad = withHeaders(good({ accessKeyId: 'nobody' }), { 'x-acs-date': '2026-03-01T10:00:00' });
      assertError(await sendV3(authService(NOW), bad), 400, 'IllegalTimestamp', /not well formatted: x-acs-date must be/);
      const old = good({ accessKeyId: 'nobody', now: NOW - 20 * 60_000 });
      assertError(await sendV3(authService(NOW), old), 400, 'IllegalTimestamp', /x-acs-date 2026-03-01T09:40:00Z is more than 15 minutes before the server time 2026-03-01T10:00:00Z/);
    });

    it('6. unknown key (host not signed) → InvalidAccessKeyId.NotFound; disabled → Forbidden.AccessKeyDisabled', async () => {
      const unknown = good({ accessKeyId: 'nobody' });
      const unsignedHost = withHeaders(unknown, { authorization: unknown.headers.authorization?.replace('host;', '') });
      assertError(await sendV3(authService(NOW), unsignedHost), 400, 'InvalidAccessKeyId.NotFound');
      const disabled = good({ accessKeyId: 'disabled-ak', secret: 'disabled-secret-Zq7' });
      assertError(await sendV3(authService(NOW), disabled), 403, 'Forbidden.AccessKeyDisabled');
    });

    it('7. signed headers that miss a required one, or list an absent one (wrong body) → IncompleteSignature', async () => {
      const base = good({ body: 'Desc=other' });
      const tampered = { ...base, body: Buffer.from('Desc=x%20y') };
      for (const [drop, name] of [['host;', 'host'], ['x-acs-date;', 'x-acs-date'], ['x-acs-signature-nonce;', 'x-acs-signature-nonce'], ['x-acs-content-sha256;', 'x-acs-content-sha256'], ['x-acs-action;', 'x-acs-action']] as const) {
        const req = withHeaders(tampered, { authorization: base.headers.authorization?.replace(drop, '') });
        assertError(await sendV3(authService(NOW), req), 400, 'IncompleteSignature', new RegExp(`must be listed in SignedHeaders: ${name}\\.$`));
      }
      const absent = withHeaders(tampered, { authorization: base.headers.authorization?.replace('SignedHeaders=', 'SignedHeaders=x-custom;') });
      assertError(await sendV3(authService(NOW), absent), 400, 'IncompleteSignature', /listed in SignedHeaders but absent: x-custom\./);
    });

    it('8. the body does not match its signed hash → SignatureDoesNotMatch', async () => {
      const req = { ...good(), body: Buffer.from('Desc=x%20Y') };
      assertError(await sendV3(authService(NOW), req), 400, 'SignatureDoesNotMatch');
    });

    it('9. a forged signature (nonce already used) → SignatureDoesNotMatch; 10. a replay → SignatureNonceUsed', async () => {
      const service = authService(NOW);
      const first = good();
      assertOk(await sendV3(service, first), 'mock-ak', 'V3');
      const forged = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'guess', now: NOW, nonce: first.headers['x-acs-signature-nonce'] as string });
      assertError(await sendV3(service, forged), 400, 'SignatureDoesNotMatch');
      assertError(await sendV3(service, first), 400, 'SignatureNonceUsed');
      assert.equal(service.runs.get('DescribeRegions'), 1);
    });
  });

  describe('details', () => {
    const NOW = Date.parse('2026-03-01T10:00:00Z');

    it('Action in the query instead of x-acs-action; repeated query names; GET without a body', async () => {
      const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW, method: 'GET', query: [['Tag', 'b'], ['Tag', 'a'], ['Name', "a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀"]] });
      assertOk(await sendV3(authService(NOW), req), 'mock-ak', 'V3');
    });

    it('STS: x-acs-security-token (signed) reaches the provider and the caller', async () => {
      const service = authService(NOW);
      const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'sts-ak', secret: 'sts-secret-Zq7', now: NOW, extraHeaders: { 'x-acs-security-token': 'token-1' } });
      assertOk(await sendV3(service, req), 'sts-ak', 'V3');
      assert.deepEqual(service.callers, [{ accessKeyId: 'sts-ak', signatureVersion: 'V3', securityToken: 'token-1' }]);
      const other = signedV3({ action: 'DescribeRegions', accessKeyId: 'sts-ak', secret: 'sts-secret-Zq7', now: NOW, extraHeaders: { 'x-acs-security-token': 'token-2' } });
      assertError(await sendV3(service, other), 400, 'InvalidSecurityToken.MismatchWithAccessKey');
      const none = signedV3({ action: 'DescribeRegions', accessKeyId: 'sts-ak', secret: 'sts-secret-Zq7', now: NOW });
      assertError(await sendV3(service, none), 400, 'MissingParameter', /"SecurityToken"/);
    });

    it('STS: an unsigned x-acs-security-token is IncompleteSignature (it says who the caller is)', async () => {
      const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'sts-ak', secret: 'sts-secret-Zq7', now: NOW });
      const withToken = withHeaders(req, { 'x-acs-security-token': 'token-1' });
      assertError(await sendV3(authService(NOW), withToken), 400, 'IncompleteSignature', /x-acs-security-token/);
    });

    it('signatureVersions: a V3-only service refuses V1, a V1-only service refuses V3', async () => {
      const v3only = authService(NOW, { signatureVersions: ['V3'] });
      assertError(await sendV1(v3only, signedV1(commonV1('DescribeRegions', 'mock-ak', NOW), 'mock-secret-Zq7')), 400, 'IncompleteSignature', /does not accept Signature V1/);
      assertError(await request(v3only.callback).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON'), 400, 'MissingParameter', /"Authorization"/);
      assertOk(await sendV3(v3only, signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW })), 'mock-ak', 'V3');
      const v1only = authService(NOW, { signatureVersions: ['V1'] });
      assertError(await sendV3(v1only, signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW })), 400, 'IncompleteSignature', /does not accept Signature V3/);
    });

    it('a non-ACS3 Authorization header is not V3: the V1 checks apply', async () => {
      const res = await request(authService(NOW).callback).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON').set('authorization', 'Bearer abc');
      assertError(res, 400, 'MissingParameter', /"AccessKeyId"/);
    });

    it('a V3 body that is not a form cannot be verified: IncompleteSignature, the handler does not run', async () => {
      const service = authService(NOW);
      const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW, body: '{"a":1}', extraHeaders: { 'content-type': 'application/json' } });
      assertError(await sendV3(service, req), 400, 'IncompleteSignature', /only application\/x-www-form-urlencoded bodies/);
      assert.equal(service.callers.length, 0);
    });

    describe('a body parser before envelope()', () => {
      function serviceWithParser(keepRaw: boolean): { app: Koa; reported: Error[]; seen: string[] } {
        const reported: Error[] = [];
        const seen: string[] = [];
        const api = createRpcApi<Koa.Context>({
          version: '2014-05-26',
          authenticate: signatureAuthenticator({ credentials: staticCredentials(KEYS), clock: () => NOW }),
        });
        api.action('DescribeRegions', { handler: (_p, _ctx, { caller }) => (seen.push(caller?.accessKeyId ?? ''), { AccessKeyId: caller?.accessKeyId ?? '', SignatureVersion: caller?.signatureVersion ?? '' }) });
        const app = new Koa();
        app.silent = true;
        app.on('error', (err: Error) => reported.push(err));
        // A minimal urlencoded parser that re-serialises nothing but drops the bytes (unless keepRaw).
        app.use(async (ctx, next) => {
          const chunks: Buffer[] = [];
          for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
          const raw = Buffer.concat(chunks);
          const req = ctx.request as unknown as { body?: unknown; rawBody?: string };
          req.body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
          if (keepRaw) req.rawBody = raw.toString('utf8');
          await next();
        });
        app.use(envelope());
        app.use(koaRpc(api));
        return { app, reported, seen };
      }

      it('raw bytes not kept: the request fails (InternalError 500, RawBodyUnavailableError reported)', async () => {
        const { app, reported, seen } = serviceWithParser(false);
        const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW, body: 'Desc=x%20y' });
        const res = await sendV3({ callback: app.callback() } as never, req);
        assertError(res, 500, 'InternalError');
        assert.equal(seen.length, 0);
        assert.equal(reported.length, 1);
        assert.ok(reported[0] instanceof RawBodyUnavailableError);
        assert.match(String(reported[0]?.message), /Mount envelope\(\) before any body parser/);
      });

      it('raw bytes kept (ctx.request.rawBody): the request verifies', async () => {
        const { app, seen } = serviceWithParser(true);
        const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW, body: 'Desc=x%20y&Name=%E4%B8%AD%F0%9F%98%80' });
        assertOk(await sendV3({ callback: app.callback() } as never, req), 'mock-ak', 'V3');
        assert.deepEqual(seen, ['mock-ak']);
      });
    });

    it('the JSON answer of a V3 request has no Format parameter to follow', async () => {
      const res = await sendV3(authService(NOW), signedV3({ action: 'DescribeRegions', accessKeyId: 'mock-ak', secret: 'mock-secret-Zq7', now: NOW }));
      assert.equal(json(res).AccessKeyId, 'mock-ak');
    });
  });
});
