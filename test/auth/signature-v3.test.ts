import assert from 'node:assert/strict';
import { createHash, getHashes } from 'node:crypto';
import {
  canonicalRequestV3,
  canonicalUriV3,
  checkSignedHeadersV3,
  isSupportedV3Algorithm,
  parseAuthorizationV3,
  payloadHashMatches,
  sha256Hex,
  signV3,
  stringToSignV3,
  verifyV3,
  type AuthorizationV3,
  type HeaderMap,
  type ParamMap,
} from '../../lib/auth/index.js';
import { decodeFormStrict, flipChar, params } from './support.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

interface V3Vector {
  readonly name: string;
  readonly method: string;
  readonly secret: string;
  readonly query: ParamMap;
  readonly headers: HeaderMap;
  readonly body: Buffer;
  readonly signedHeaders: readonly string[];
  readonly hashedCanonicalRequest?: string;
  readonly signature: string;
}

function tvV31(date: string, nonce: string, hashed: string, signature: string): V3Vector {
  return {
    name: `TV-V3-1 official example (${date}, ${nonce.slice(0, 4)}…)`,
    method: 'POST',
    secret: 'YourAccessKeySecret',
    query: params({ ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' }),
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': date,
      'x-acs-signature-nonce': nonce,
      'x-acs-content-sha256': EMPTY_SHA256,
    },
    body: Buffer.alloc(0),
    signedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
    hashedCanonicalRequest: hashed,
    signature,
  };
}

const VECTORS: readonly V3Vector[] = [
  tvV31(
    '2023-10-26T10:22:32Z',
    '3156853299f313e23d1673dc12e1703d',
    '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
    '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
  ),
  // Hashed canonical request recomputed independently (Python hashlib); the signature is the one
  // printed in the ROA-style V3 doc page.
  tvV31(
    '2023-10-26T09:01:01Z',
    'd410180a5abf7fe235dd9b74aca91fc0',
    '29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015',
    'e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804',
  ),
  {
    name: 'TV-V3-2 openapi-client wire capture, RPC query + form body',
    method: 'POST',
    secret: 'sk',
    query: decodeFormStrict('RegionId=cn-hangzhou&Tag.1.Key=k&Tag.1.Value=v%20w'),
    headers: {
      host: '127.0.0.1:18080',
      'content-type': 'application/x-www-form-urlencoded',
      'x-acs-action': 'DescribeRegions',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2026-11-29T18:43:17Z',
      'x-acs-signature-nonce': '231ed2a44da5577affe749f53b06beb0',
      'x-acs-credentials-provider': 'static_ak',
      'x-acs-content-sha256': 'dfd221c04d977e3e83c843309aea389ca06795b0d8b3d9dbb88fb472e0d41e49',
    },
    body: Buffer.from('Desc=x%20y'),
    signedHeaders: [
      'content-type',
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-credentials-provider',
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-version',
    ],
    signature: '3c033df3b10d7328c071ee020a97866467825fff7ce71a9d27592aad7a852a38',
  },
];

function authorizationOf(tv: V3Vector, signature = tv.signature): AuthorizationV3 {
  return { algorithm: 'ACS3-HMAC-SHA256', accessKeyId: 'YourAccessKeyId', signedHeaders: tv.signedHeaders, signature };
}

function verifyVector(tv: V3Vector, change: Partial<{ method: string; path: string; query: ParamMap; headers: HeaderMap; secret: string; signature: string }> = {}): boolean {
  const headers = change.headers ?? tv.headers;
  return verifyV3({
    method: change.method ?? tv.method,
    path: change.path ?? '/',
    query: change.query ?? tv.query,
    headers,
    hashedPayload: headers['x-acs-content-sha256'] as string,
    authorization: authorizationOf(tv, change.signature),
    accessKeySecret: change.secret ?? tv.secret,
  }).ok;
}

function replaceEntry<T>(map: Readonly<Record<string, T>>, name: string, rename: string, value: T): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  for (const key of Object.keys(map)) {
    if (key === name) out[rename] = value;
    else out[key] = map[key] as T;
  }
  return out;
}

describe('auth/signature-v3', () => {
  describe('docs/protocol.md test vectors', () => {
    for (const tv of VECTORS) {
      describe(tv.name, () => {
        it('reproduces the body hash, hashed canonical request and signature, and verifies', () => {
          assert.equal(sha256Hex(tv.body), tv.headers['x-acs-content-sha256']);
          assert.equal(payloadHashMatches(tv.body, tv.headers['x-acs-content-sha256']), true);
          const canonical = canonicalRequestV3({
            method: tv.method,
            path: '/',
            query: tv.query,
            headers: tv.headers,
            signedHeaders: tv.signedHeaders,
            hashedPayload: sha256Hex(tv.body),
          });
          const hashed = createHash('sha256').update(canonical).digest('hex');
          if (tv.hashedCanonicalRequest !== undefined) assert.equal(hashed, tv.hashedCanonicalRequest);
          const sts = stringToSignV3(canonical);
          assert.equal(sts, 'ACS3-HMAC-SHA256\n' + hashed);
          assert.equal(signV3(tv.secret, sts), tv.signature);
          const auth = parseAuthorizationV3(`ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=${tv.signedHeaders.join(';')},Signature=${tv.signature}`);
          assert.ok(auth.ok);
          assert.deepEqual(checkSignedHeadersV3(auth.value.signedHeaders, tv.headers), { ok: true });
          const r = verifyV3({ method: tv.method, path: '/', query: tv.query, headers: tv.headers, hashedPayload: sha256Hex(tv.body), authorization: auth.value, accessKeySecret: tv.secret });
          assert.deepEqual(r, { ok: true, canonicalRequest: canonical, stringToSign: sts });
        });

        it('fails after a one-character change to any query name or value', () => {
          let checked = 0;
          for (const name of Object.keys(tv.query)) {
            const value = tv.query[name] as string;
            for (let i = 0; i < name.length; i++) {
              assert.equal(verifyVector(tv, { query: replaceEntry(tv.query, name, flipChar(name, i), value) }), false);
              checked++;
            }
            for (let i = 0; i < value.length; i++) {
              assert.equal(verifyVector(tv, { query: replaceEntry(tv.query, name, name, flipChar(value, i)) }), false);
              checked++;
            }
          }
          assert.ok(checked > 20);
        });

        it('fails after a one-character change to any signed header value', () => {
          for (const name of tv.signedHeaders) {
            const value = tv.headers[name] as string;
            for (let i = 0; i < value.length; i++) {
              assert.equal(verifyVector(tv, { headers: replaceEntry(tv.headers, name, name, flipChar(value, i)) }), false, `${name}[${i}]`);
            }
          }
        });

        it('fails for another method, path, secret or signature, or an added query parameter', () => {
          assert.equal(verifyVector(tv, { method: 'GET' }), false);
          assert.equal(verifyVector(tv, { method: 'post' }), false);
          assert.equal(verifyVector(tv, { path: '/x' }), false);
          for (let i = 0; i < tv.secret.length; i++) assert.equal(verifyVector(tv, { secret: flipChar(tv.secret, i) }), false);
          assert.equal(verifyVector(tv, { secret: tv.secret + '&' }), false);
          for (let i = 0; i < tv.signature.length; i++) assert.equal(verifyVector(tv, { signature: flipChar(tv.signature, i) }), false);
          const added: Record<string, string | readonly string[]> = Object.create(null);
          for (const key of Object.keys(tv.query)) added[key] = tv.query[key] as string;
          added.Extra = '';
          assert.equal(verifyVector(tv, { query: added }), false);
        });

        it('does not depend on headers outside SignedHeaders', () => {
          const headers = { ...tv.headers, 'user-agent': 'x', accept: 'application/json', 'x-acs-retry-attempts': '2' };
          assert.equal(verifyVector(tv, { headers }), true);
        });
      });
    }
  });

  describe('canonicalRequestV3', () => {
    it('trims header values, keeps SignedHeaders order and ends the header block with a blank line', () => {
      const canonical = canonicalRequestV3({
        method: 'GET',
        path: '',
        query: params({}),
        headers: { host: '  h  ', 'x-acs-date': 'd', 'x-acs-multi': [' b', 'a '] },
        signedHeaders: ['x-acs-date', 'host', 'x-acs-multi'],
        hashedPayload: EMPTY_SHA256,
      });
      assert.equal(canonical, `GET\n/\n\nx-acs-date:d\nhost:h\nx-acs-multi:a,b\n\nx-acs-date;host;x-acs-multi\n${EMPTY_SHA256}`);
    });

    it('encodes query names and values like V1 and repeats repeated names in received order', () => {
      const canonical = canonicalRequestV3({
        method: 'GET',
        path: '/',
        query: decodeFormStrict("b=2&a=x*y!'()~&b=1"),
        headers: { host: 'h' },
        signedHeaders: ['host'],
        hashedPayload: EMPTY_SHA256,
      });
      assert.equal(canonical.split('\n')[2], 'a=x%2Ay%21%27%28%29~&b=2&b=1');
    });
  });

  describe('canonicalUriV3', () => {
    it('re-encodes each path segment with the POP rules', () => {
      assert.equal(canonicalUriV3(''), '/');
      assert.equal(canonicalUriV3('/'), '/');
      assert.equal(canonicalUriV3('/a%20b/c*d/(e)'), '/a%20b/c%2Ad/%28e%29');
      assert.equal(canonicalUriV3('/a%2Fb/%E4%B8%AD'), '/a%2Fb/%E4%B8%AD');
      assert.equal(canonicalUriV3('/a+b'), '/a%2Bb');
      assert.equal(canonicalUriV3('/bad%zz'), '/bad%25zz');
    });
  });

  describe('parseAuthorizationV3', () => {
    const sig = 'ab'.repeat(32);

    it('parses the SDK layout and tolerates spaces after commas', () => {
      for (const header of [
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak, SignedHeaders=host;x-acs-date, Signature=${sig}`,
        `ACS3-HMAC-SHA256  Signature=${sig.toUpperCase()} ,Credential=ak,SignedHeaders=host;x-acs-date`,
      ]) {
        assert.deepEqual(parseAuthorizationV3(header), {
          ok: true,
          value: { algorithm: 'ACS3-HMAC-SHA256', accessKeyId: 'ak', signedHeaders: ['host', 'x-acs-date'], signature: sig },
        }, header);
      }
    });

    it('reports a non-ACS3 scheme as not-acs3', () => {
      for (const header of ['', 'Bearer abc', 'acs3-hmac-sha256 Credential=ak', 'AWS4-HMAC-SHA256 Credential=x']) {
        const r = parseAuthorizationV3(header);
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, 'not-acs3', header);
      }
    });

    it('reports unknown or unavailable ACS3 algorithms as unsupported-algorithm', () => {
      for (const header of [`ACS3-RSA-SHA256 Credential=ak,SignedHeaders=host,Signature=${sig}`, `ACS3-HMAC-MD5 Credential=ak,SignedHeaders=host,Signature=${sig}`]) {
        const r = parseAuthorizationV3(header);
        assert.equal(!r.ok && r.reason, 'unsupported-algorithm', header);
      }
    });

    it('reports malformed ACS3 headers as malformed, without echoing the signature', () => {
      const cases = [
        'ACS3-HMAC-SHA256',
        'ACS3-HMAC-SHA256 ',
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host`,
        `ACS3-HMAC-SHA256 Credential=ak,Signature=${sig}`,
        `ACS3-HMAC-SHA256 SignedHeaders=host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=a k,SignedHeaders=host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,Credential=ak,SignedHeaders=host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=${sig},Extra=1`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=${sig},`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;;x-acs-date,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=Host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host x,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=${sig.slice(1)}`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=${sig}0`,
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=${'g'.repeat(64)}`,
        `ACS3-HMAC-SHA256 credential=ak,SignedHeaders=host,Signature=${sig}`,
        `ACS3-HMAC-SHA256 Credential ak,SignedHeaders=host,Signature=${sig}`,
        `ACS3-HMAC-SHA256,Credential=ak,SignedHeaders=host,Signature=${sig}`,
      ];
      for (const header of cases) {
        const r = parseAuthorizationV3(header);
        assert.equal(r.ok, false, header);
        assert.equal(!r.ok && r.reason, 'malformed', header);
        assert.ok(!r.ok && !r.message.includes(sig), header);
      }
    });

    it('accepts ACS3-HMAC-SM3 exactly when node:crypto offers sm3', () => {
      const hasSm3 = getHashes().includes('sm3');
      assert.equal(isSupportedV3Algorithm('ACS3-HMAC-SM3'), hasSm3);
      const r = parseAuthorizationV3(`ACS3-HMAC-SM3 Credential=ak,SignedHeaders=host,Signature=${sig}`);
      assert.equal(r.ok ? 'ok' : r.reason, hasSm3 ? 'ok' : 'unsupported-algorithm');
    });
  });

  describe('checkSignedHeadersV3', () => {
    const full: HeaderMap = {
      host: 'h',
      'x-acs-date': 'd',
      'x-acs-signature-nonce': 'n',
      'x-acs-content-sha256': EMPTY_SHA256,
    };
    const minimal = ['host', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce'];

    it('accepts the minimum when no conditional header is present', () => {
      assert.deepEqual(checkSignedHeadersV3(minimal, full), { ok: true });
    });

    it('requires host, x-acs-date, x-acs-signature-nonce and x-acs-content-sha256', () => {
      for (const name of minimal) {
        const r = checkSignedHeadersV3(minimal.filter((n) => n !== name), full);
        assert.deepEqual(r, { ok: false, reason: 'unsigned-required', headers: [name] });
      }
    });

    it('requires x-acs-action, x-acs-version and credential headers when they are present', () => {
      for (const name of ['x-acs-action', 'x-acs-version', 'x-acs-security-token', 'x-acs-bearer-token', 'x-acs-accesskey-id']) {
        const headers = { ...full, [name]: 'v' };
        assert.deepEqual(checkSignedHeadersV3(minimal, headers), { ok: false, reason: 'unsigned-required', headers: [name] });
        assert.deepEqual(checkSignedHeadersV3([...minimal, name], headers), { ok: true });
      }
    });

    it('does not require content-type or informational x-acs-* headers', () => {
      const headers = { ...full, 'content-type': 'application/x-www-form-urlencoded', 'x-acs-credentials-provider': 'static_ak' };
      assert.deepEqual(checkSignedHeadersV3(minimal, headers), { ok: true });
    });

    it('refuses a signed header that did not arrive', () => {
      assert.deepEqual(checkSignedHeadersV3([...minimal, 'content-type'], full), { ok: false, reason: 'signed-but-absent', headers: ['content-type'] });
    });

    it('honours a custom policy', () => {
      assert.deepEqual(checkSignedHeadersV3(['host'], { host: 'h' }, { required: ['host'], requiredIfPresent: [] }), { ok: true });
    });
  });

  describe('payloadHashMatches', () => {
    it('compares against the raw bytes, case-insensitively, and rejects absent or repeated headers', () => {
      const body = Buffer.from('Desc=x%20y');
      const hex = 'dfd221c04d977e3e83c843309aea389ca06795b0d8b3d9dbb88fb472e0d41e49';
      assert.equal(payloadHashMatches(body, hex), true);
      assert.equal(payloadHashMatches(body, hex.toUpperCase()), true);
      assert.equal(payloadHashMatches(Buffer.from('Desc=x y'), hex), false); // same decoded form, other bytes
      assert.equal(payloadHashMatches(body, flipChar(hex, 10)), false);
      assert.equal(payloadHashMatches(body, hex.slice(1)), false);
      assert.equal(payloadHashMatches(body, undefined), false);
      assert.equal(payloadHashMatches(body, [hex, hex]), false);
      assert.equal(payloadHashMatches(Buffer.alloc(0), EMPTY_SHA256), true);
    });

    it('uses SM3 for ACS3-HMAC-SM3 when available', function () {
      if (!getHashes().includes('sm3')) this.skip(); // this OpenSSL build has no SM3: the algorithm is refused instead (tested above)
      const body = Buffer.from('abc');
      const sm3 = createHash('sm3').update(body).digest('hex');
      assert.equal(sm3, '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'); // GB/T 32905 example
      assert.equal(payloadHashMatches(body, sm3, 'ACS3-HMAC-SM3'), true);
      assert.equal(payloadHashMatches(body, sha256Hex(body), 'ACS3-HMAC-SM3'), false);
    });
  });
});
