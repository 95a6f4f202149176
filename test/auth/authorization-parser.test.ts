/**
 * parseAuthorizationV3 (read by hand) against the definition it replaced, kept here verbatim: the
 * scheme regular expression, a Map of fields and a Set of signed headers. Same result (value, or
 * reason and message) for random headers assembled from valid and broken pieces.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSupportedV3Algorithm, parseAuthorizationV3, type AuthorizationV3Parse } from '../../lib/auth/index.js';

const SCHEME = /^(ACS3-[A-Za-z0-9-]+) +(.*)$/s;
const ACCESS_KEY_ID = /^[\x21-\x2B\x2D-\x3A\x3C-\x7E]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;
const FIELDS = ['Credential', 'SignedHeaders', 'Signature'] as const;
type Field = (typeof FIELDS)[number];

function definition(header: string): AuthorizationV3Parse {
  const fail = (reason: 'not-acs3' | 'unsupported-algorithm' | 'malformed', message: string): AuthorizationV3Parse => ({ ok: false, reason, message });
  const scheme = SCHEME.exec(header.trim());
  if (scheme === null) {
    return header.trim().startsWith('ACS3-')
      ? fail('malformed', 'Authorization must be "<algorithm> Credential=…,SignedHeaders=…,Signature=…".')
      : fail('not-acs3', 'Authorization is not an ACS3 signature.');
  }
  const algorithm = scheme[1] as string;
  if (!isSupportedV3Algorithm(algorithm)) return fail('unsupported-algorithm', `Signature algorithm "${algorithm}" is not supported.`);
  const fields = new Map<Field, string>();
  for (const part of (scheme[2] as string).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !(FIELDS as readonly string[]).includes(name)) return fail('malformed', `Authorization has an unexpected field "${name.slice(0, 32)}".`);
    if (fields.has(name as Field)) return fail('malformed', `Authorization repeats ${name}.`);
    fields.set(name as Field, item.slice(eq + 1));
  }
  for (const name of FIELDS) if (!fields.has(name)) return fail('malformed', `Authorization is missing ${name}.`);
  const accessKeyId = fields.get('Credential') as string;
  if (!ACCESS_KEY_ID.test(accessKeyId)) return fail('malformed', 'Authorization has an invalid Credential.');
  const signedHeaders = (fields.get('SignedHeaders') as string).split(';');
  const seen = new Set<string>();
  for (const name of signedHeaders) {
    if (!HEADER_NAME.test(name)) return fail('malformed', 'SignedHeaders must be a ";"-separated list of lower-case header names.');
    if (seen.has(name)) return fail('malformed', `SignedHeaders repeats "${name}".`);
    seen.add(name);
  }
  const signature = fields.get('Signature') as string;
  if (!HEX_SIGNATURE.test(signature)) return fail('malformed', 'Signature must be 64 hexadecimal digits.');
  return { ok: true, value: { algorithm: algorithm as 'ACS3-HMAC-SHA256', accessKeyId, signedHeaders, signature: signature.toLowerCase() } };
}

const SIG = 'ab'.repeat(32);
const SCHEMES = ['ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3', 'ACS3-RSA-SHA256', 'ACS3-', 'ACS3', 'acs3-hmac-sha256', 'Bearer', 'ACS3-HMAC_SHA256', ' ACS3-HMAC-SHA256'];
const SPACES = [' ', '  ', '', '\t', '\n', '\u00A0'];
const SEPARATORS = [',', ', ', ' ,', ';', ',,'];
const FIELD_PIECES = [
  'Credential=ak', 'Credential=ak', 'Credential=', 'Credential=my ak', 'Credential=ak;x', 'Credential', 'Credential==', 'credential=ak',
  'SignedHeaders=host;x-acs-date', 'SignedHeaders=host;x-acs-date', 'SignedHeaders=', 'SignedHeaders=host;host', 'SignedHeaders=Host', 'SignedHeaders=host;;x', 'SignedHeaders=x;😀',
  `Signature=${SIG}`, `Signature=${SIG}`, `Signature=${SIG.toUpperCase()}`, `Signature=${SIG}0`, 'Signature=xyz', 'Signature=', 'Sig=1', '=', '',
];
const piece = fc.constantFrom(...SCHEMES, ...SPACES, ...SEPARATORS, ...FIELD_PIECES, '😀');
/** Scheme, spaces, then fields and separators: mostly well laid out, with broken pieces mixed in. */
const structured = fc
  .tuple(fc.constantFrom(...SCHEMES), fc.constantFrom(...SPACES), fc.array(fc.constantFrom(...FIELD_PIECES), { minLength: 1, maxLength: 4 }), fc.constantFrom(...SEPARATORS))
  .map(([scheme, space, fields, separator]) => `${scheme}${space}${fields.join(separator)}`);
const assembled = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

describe('auth/Authorization header parser', () => {
  it('gives the definition\'s result for headers assembled from valid and broken pieces (property)', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(fc.oneof(structured, structured, assembled), (header) => {
        const result = parseAuthorizationV3(header);
        assert.deepEqual(result, definition(header), JSON.stringify(header));
        outcomes.add(result.ok ? 'ok' : `${result.reason}: ${result.message.replace(/"[^"]*"/g, '""')}`);
      }),
      { numRuns: 20000 },
    );
    // every way to fail (and success) must have been exercised, or the comparison proves little
    assert.ok(outcomes.size >= 12, [...outcomes].join('\n'));
  });

  it('gives the definition\'s result for well-formed headers with random spacing and order (property)', () => {
    const field = fc.constantFrom('Credential=ak-1', 'SignedHeaders=host;x-acs-date;x-acs-signature-nonce;x-acs-content-sha256', `Signature=${SIG}`);
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', '  '), fc.constantFrom(',', ', ', ' , '), fc.constantFrom('', ' ', '\t'), (fields, space, comma, outer) => {
        const header = `${outer}ACS3-HMAC-SHA256${space}${fields.join(comma)}${outer}`;
        assert.deepEqual(parseAuthorizationV3(header), definition(header), JSON.stringify(header));
      }),
      { numRuns: 3000 },
    );
  });
});
