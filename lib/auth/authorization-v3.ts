/**
 * Parser for the V3 `Authorization` header (docs/protocol.md §5.1):
 * `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2;…>,Signature=<hex>`.
 */
import { isSupportedV3Algorithm, type V3Algorithm } from './algorithms-v3.js';

/** A successfully parsed V3 `Authorization` header. */
export interface AuthorizationV3 {
  readonly algorithm: V3Algorithm;
  /** The AccessKeyId from `Credential=`. */
  readonly accessKeyId: string;
  /** Lower-case header names from `SignedHeaders=`, in the order given. */
  readonly signedHeaders: readonly string[];
  /** The signature, lower-case hex. */
  readonly signature: string;
}

/**
 * Why a header could not be parsed.
 * - `not-acs3`: the scheme does not start with `ACS3-` (not a V3 request; e.g. `Bearer …`).
 * - `unsupported-algorithm`: an `ACS3-…` scheme this server cannot verify (`ACS3-RSA-SHA256`, SM3 without OpenSSL support).
 * - `malformed`: an `ACS3-…` header whose fields are missing, repeated, unknown or ill-formed.
 *
 * The caller maps `malformed` to `IncompleteSignature`; `message` says what is wrong and never contains
 * the signature.
 */
export type AuthorizationV3Failure = {
  readonly ok: false;
  readonly reason: 'not-acs3' | 'unsupported-algorithm' | 'malformed';
  readonly message: string;
};

/** Result of {@link parseAuthorizationV3}. */
export type AuthorizationV3Parse = { readonly ok: true; readonly value: AuthorizationV3 } | AuthorizationV3Failure;

/*
 * The three field shapes, as ASCII classes checked by a char-code scan (this runs on every V3 request;
 * the patterns are the definition, test/auth/authorization-parser.test.ts checks against them):
 * - AccessKeyId: /^[\x21-\x2B\x2D-\x3A\x3C-\x7E]+$/ (visible ASCII without the field separators);
 * - a lower-case header field name (RFC 9110 token): /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
 * - the signature, a 256-bit digest in hex (SHA-256 and SM3 alike): /^[0-9a-fA-F]{64}$/.
 */
const ACCESS_KEY_CHAR = 1;
const HEADER_NAME_CHAR = 2;
const HEX_CHAR = 4;
const CHAR_CLASSES: Uint8Array = (() => {
  const table = new Uint8Array(0x80);
  for (let code = 0x21; code <= 0x7e; code++) if (code !== 0x2c && code !== 0x3b) table[code] = (table[code] as number) | ACCESS_KEY_CHAR;
  for (const ch of "!#$%&'*+.^_`|~-0123456789abcdefghijklmnopqrstuvwxyz") table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] as number) | HEADER_NAME_CHAR;
  for (const ch of '0123456789abcdefABCDEF') table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] as number) | HEX_CHAR;
  return table;
})();

/** True when `text` is non-empty and every character is ASCII of class `charClass`. */
function allOfClass(text: string, charClass: number): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 || ((CHAR_CLASSES[code] as number) & charClass) === 0) return false;
  }
  return true;
}

function fail(reason: AuthorizationV3Failure['reason'], message: string): AuthorizationV3Failure {
  return { ok: false, reason, message };
}

/**
 * Parse a V3 `Authorization` header. Spaces around the commas between fields are tolerated (SDKs emit
 * none; hand-written clients copy the doc's `, ` layout). Fields may come in any order but each exactly once.
 * `SignedHeaders` must be non-empty, lower case, without duplicates. The signature must be 64 hex digits
 * (returned lower-cased).
 *
 * @param header the raw header value (a Node `string[]` is refused by the caller's type)
 * @example
 * parseAuthorizationV3('ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=' + 'ab'.repeat(32));
 * // { ok: true, value: { algorithm: 'ACS3-HMAC-SHA256', accessKeyId: 'ak', signedHeaders: ['host', 'x-acs-date'], signature: 'abab…' } }
 * parseAuthorizationV3('ACS3-HMAC-SHA256 Credential=ak');
 * // { ok: false, reason: 'malformed', message: 'Authorization is missing SignedHeaders.' }
 */
export function parseAuthorizationV3(header: string): AuthorizationV3Parse {
  // Read by hand what /^(ACS3-[A-Za-z0-9-]+) +(.*)$/s reads from the trimmed header: the scheme's
  // letters, digits and dashes, at least one space, then the fields (everything after the spaces).
  const text = header.trim();
  if (!text.startsWith('ACS3-')) return fail('not-acs3', 'Authorization is not an ACS3 signature.');
  let end = 5;
  while (end < text.length && isSchemeChar(text.charCodeAt(end))) end++;
  if (end === 5 || text.charCodeAt(end) !== 0x20) {
    return fail('malformed', 'Authorization must be "<algorithm> Credential=…,SignedHeaders=…,Signature=…".');
  }
  const algorithm = text.slice(0, end);
  if (!isSupportedV3Algorithm(algorithm)) {
    return fail('unsupported-algorithm', `Signature algorithm "${algorithm}" is not supported.`);
  }
  let start = end + 1;
  while (text.charCodeAt(start) === 0x20) start++;
  let credential: string | undefined;
  let signedHeaderList: string | undefined;
  let signatureText: string | undefined;
  // The comma-separated fields after the scheme, read in place (as `text.slice(start).split(',')` would
  // cut them, without the intermediate array).
  for (let from = start, comma = 0; comma < text.length; from = comma + 1) {
    comma = text.indexOf(',', from);
    if (comma < 0) comma = text.length;
    const item = text.slice(from, comma).trim();
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (eq >= 0 && name === 'Credential') {
      if (credential !== undefined) return fail('malformed', 'Authorization repeats Credential.');
      credential = value;
    } else if (eq >= 0 && name === 'SignedHeaders') {
      if (signedHeaderList !== undefined) return fail('malformed', 'Authorization repeats SignedHeaders.');
      signedHeaderList = value;
    } else if (eq >= 0 && name === 'Signature') {
      if (signatureText !== undefined) return fail('malformed', 'Authorization repeats Signature.');
      signatureText = value;
    } else {
      return fail('malformed', `Authorization has an unexpected field "${name.slice(0, 32)}".`);
    }
  }
  if (credential === undefined) return fail('malformed', 'Authorization is missing Credential.');
  if (signedHeaderList === undefined) return fail('malformed', 'Authorization is missing SignedHeaders.');
  if (signatureText === undefined) return fail('malformed', 'Authorization is missing Signature.');
  const accessKeyId = credential;
  if (!allOfClass(accessKeyId, ACCESS_KEY_CHAR)) return fail('malformed', 'Authorization has an invalid Credential.');
  const signedHeaders = signedHeaderList.split(';');
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i] as string;
    if (!allOfClass(name, HEADER_NAME_CHAR)) {
      return fail('malformed', 'SignedHeaders must be a ";"-separated list of lower-case header names.');
    }
    if (signedHeaders.indexOf(name) < i) return fail('malformed', `SignedHeaders repeats "${name}".`);
  }
  const signature = signatureText;
  if (signature.length !== 64 || !allOfClass(signature, HEX_CHAR)) return fail('malformed', 'Signature must be 64 hexadecimal digits.');
  return { ok: true, value: { algorithm, accessKeyId, signedHeaders, signature: signature.toLowerCase() } };
}

/** `[A-Za-z0-9-]` */
function isSchemeChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
}
