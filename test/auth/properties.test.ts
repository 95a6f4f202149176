/**
 * fast-check properties: anything an independent reference signer signs verifies; any change fails.
 */
import assert from 'node:assert/strict';
import querystring from 'node:querystring';
import fc from 'fast-check';
import {
  checkSignedHeadersV3,
  compareCodePoints,
  parseAuthorizationV3,
  payloadHashMatches,
  verifyV1,
  verifyV3,
  type ParamMap,
} from '../../lib/auth/index.js';
import { decodeFormStrict } from './support.js';
import { refSignV1, refSignV3 } from './reference.js';

/** Characters the encodings disagree on, mixed into arbitrary Unicode (emoji included). */
const SPECIAL = fc.constantFrom(' ', '*', '!', "'", '(', ')', '~', '+', '/', '%', '&', '=', '😀', '中', 'é', '\uFFFD', '\u00A0');
const anyText = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 3 }), SPECIAL), { maxLength })
    .map((parts) => parts.join(''));

const NAME = anyText(6).filter((n) => n !== 'Signature');
const VALUE = fc.oneof(anyText(8), fc.array(anyText(4), { minLength: 2, maxLength: 3 }));
/** Unique names, so the list is also a valid null-prototype map. */
const PAIRS = fc.uniqueArray(fc.tuple(NAME, VALUE), { selector: ([n]) => n, maxLength: 8 });
const METHOD = fc.constantFrom('GET', 'POST');
const SECRET = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });

function toMap(pairs: ReadonlyArray<readonly [string, string | readonly string[]]>): ParamMap {
  const out: Record<string, string | readonly string[]> = Object.create(null);
  for (const [n, v] of pairs) out[n] = v;
  return out;
}

/** Replace the code point at `index` (mod length) of `s` by a different one. */
function changeOneChar(s: string, index: number, replacement: string): string {
  const chars = Array.from(s);
  if (chars.length === 0) return replacement;
  const i = index % chars.length;
  chars[i] = chars[i] === replacement ? (replacement === 'a' ? 'b' : 'a') : replacement;
  return chars.join('');
}

/** Flip one bit of one byte of a base64 or hex signature and re-encode it. */
function flipSignatureBit(signature: string, encoding: 'base64' | 'hex', byteIndex: number, bit: number): string {
  const bytes = Buffer.from(signature, encoding);
  const i = byteIndex % bytes.length;
  bytes[i] = (bytes[i] as number) ^ (1 << bit);
  return bytes.toString(encoding);
}

describe('auth/properties', () => {
  describe('Signature V1', () => {
    it('a request signed by the reference implementation verifies', () => {
      fc.assert(
        fc.property(PAIRS, METHOD, SECRET, (pairs, method, secret) => {
          const signature = refSignV1(method, pairs, secret);
          assert.equal(verifyV1({ method, params: toMap(pairs), signature, accessKeySecret: secret }).ok, true);
        }),
        { numRuns: 400 },
      );
    });

    it('still verifies after a wire round trip with raw * ! \' ( ) (querystring.stringify) and a strict decode', () => {
      fc.assert(
        fc.property(PAIRS, METHOD, SECRET, (pairs, method, secret) => {
          const signature = refSignV1(method, pairs, secret);
          const wire: Record<string, string | readonly string[]> = {};
          for (const [n, v] of pairs) wire[n] = v;
          const decoded = decodeFormStrict(querystring.stringify(wire as querystring.ParsedUrlQueryInput));
          assert.equal(verifyV1({ method, params: decoded, signature, accessKeySecret: secret }).ok, true);
        }),
        { numRuns: 300 },
      );
    });

    it('fails when one character of a name or value changes', () => {
      fc.assert(
        fc.property(
          PAIRS.filter((p) => p.length > 0),
          METHOD,
          SECRET,
          fc.nat(),
          fc.nat(),
          fc.boolean(),
          fc.oneof(SPECIAL, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
          (pairs, method, secret, which, at, inName, replacement) => {
            const signature = refSignV1(method, pairs, secret);
            const index = which % pairs.length;
            const [name, value] = pairs[index] as [string, string | readonly string[]];
            const changed = pairs.map((p) => [...p] as [string, string | readonly string[]]);
            if (inName) {
              changed[index] = [changeOneChar(name, at, replacement), value];
            } else if (typeof value === 'string') {
              changed[index] = [name, changeOneChar(value, at, replacement)];
            } else {
              const values = [...value];
              values[at % values.length] = changeOneChar(values[at % values.length] as string, at, replacement);
              changed[index] = [name, values];
            }
            assert.equal(verifyV1({ method, params: toMap(changed), signature, accessKeySecret: secret }).ok, false);
          },
        ),
        { numRuns: 400 },
      );
    });

    it('fails when any bit of the signature flips, or the method or secret changes', () => {
      fc.assert(
        fc.property(PAIRS, METHOD, SECRET, fc.nat(19), fc.nat(7), fc.nat(), (pairs, method, secret, byte, bit, at) => {
          const signature = refSignV1(method, pairs, secret);
          const params = toMap(pairs);
          const flipped = flipSignatureBit(signature, 'base64', byte, bit);
          assert.equal(verifyV1({ method, params, signature: flipped, accessKeySecret: secret }).ok, false);
          assert.equal(verifyV1({ method: method === 'GET' ? 'POST' : 'GET', params, signature, accessKeySecret: secret }).ok, false);
          assert.equal(verifyV1({ method, params, signature, accessKeySecret: changeOneChar(secret, at, '\u0000') }).ok, false);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('Signature V3', () => {
    const HEADER_VALUE = fc.stringMatching(/^[\x21-\x7E]([\x20-\x7E]{0,20}[\x21-\x7E])?$/);

    it('a request signed by the reference implementation verifies; any bit flip or changed query fails', () => {
      fc.assert(
        fc.property(
          PAIRS,
          METHOD,
          SECRET,
          fc.uint8Array({ maxLength: 64 }),
          HEADER_VALUE,
          HEADER_VALUE,
          fc.nat(31),
          fc.nat(7),
          (query, method, secret, bodyBytes, action, nonce, byte, bit) => {
            const body = Buffer.from(bodyBytes);
            const headers: Record<string, string> = {
              host: 'ecs.aliyuncs.com',
              'x-acs-action': action,
              'x-acs-version': '2014-05-26',
              'x-acs-date': '2026-11-29T18:43:17Z',
              'x-acs-signature-nonce': nonce,
              'x-acs-content-sha256': '',
            };
            headers['x-acs-content-sha256'] = refSignV3({ method, query, headers: {}, body, secret }).payloadHash;
            const ref = refSignV3({ method, query, headers, body, secret });
            const parsed = parseAuthorizationV3(`ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=${ref.signedHeaders},Signature=${ref.signature}`);
            assert.ok(parsed.ok);
            assert.deepEqual(checkSignedHeadersV3(parsed.value.signedHeaders, headers), { ok: true });
            assert.equal(payloadHashMatches(body, headers['x-acs-content-sha256']), true);
            const base = { method, path: '/', query: toMap(query), headers, hashedPayload: ref.payloadHash, accessKeySecret: secret };
            assert.equal(verifyV3({ ...base, authorization: parsed.value }).ok, true);
            const flipped = { ...parsed.value, signature: flipSignatureBit(ref.signature, 'hex', byte, bit) };
            assert.equal(verifyV3({ ...base, authorization: flipped }).ok, false);
            const extra = toMap([...query, ['ExtraParameterName_X', 'x']]); // 20 chars: NAME cannot produce it
            assert.equal(verifyV3({ ...base, query: extra, authorization: parsed.value }).ok, false);
            if (body.length > 0) {
              const tampered = Buffer.from(body);
              tampered[byte % body.length] = (tampered[byte % body.length] as number) ^ (1 << bit);
              assert.equal(payloadHashMatches(tampered, headers['x-acs-content-sha256']), false);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe('name order', () => {
    it('compareCodePoints agrees with UTF-8 byte order', () => {
      fc.assert(
        fc.property(anyText(6), anyText(6), (a, b) => {
          const expected = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
          assert.equal(Math.sign(compareCodePoints(a, b)), expected);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
