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

/** An AccessKeyId: visible ASCII without the field separators. */
const ACCESS_KEY_ID = /^[\x21-\x2B\x2D-\x3A\x3C-\x7E]+$/;
/** A lower-case HTTP header field name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** 256-bit digest in hex (SHA-256 and SM3 alike). */
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

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
  for (const part of text.slice(start).split(',')) {
    const item = part.trim();
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
  if (!ACCESS_KEY_ID.test(accessKeyId)) return fail('malformed', 'Authorization has an invalid Credential.');
  const signedHeaders = signedHeaderList.split(';');
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i] as string;
    if (!HEADER_NAME.test(name)) {
      return fail('malformed', 'SignedHeaders must be a ";"-separated list of lower-case header names.');
    }
    if (signedHeaders.indexOf(name) < i) return fail('malformed', `SignedHeaders repeats "${name}".`);
  }
  const signature = signatureText;
  if (!HEX_SIGNATURE.test(signature)) return fail('malformed', 'Signature must be 64 hexadecimal digits.');
  return { ok: true, value: { algorithm, accessKeyId, signedHeaders, signature: signature.toLowerCase() } };
}

/** `[A-Za-z0-9-]` */
function isSchemeChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
}
