/**
 * Parser for the V3 `Authorization` header (protocol.md §5.1):
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

const SCHEME = /^(ACS3-[A-Za-z0-9-]+) +(.*)$/s;
/** An AccessKeyId: visible ASCII without the field separators. */
const ACCESS_KEY_ID = /^[\x21-\x2B\x2D-\x3A\x3C-\x7E]+$/;
/** A lower-case HTTP header field name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** 256-bit digest in hex (SHA-256 and SM3 alike). */
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;
const FIELDS = ['Credential', 'SignedHeaders', 'Signature'] as const;
type Field = (typeof FIELDS)[number];

function fail(reason: AuthorizationV3Failure['reason'], message: string): AuthorizationV3Failure {
  return { ok: false, reason, message };
}

function isField(name: string): name is Field {
  return (FIELDS as readonly string[]).includes(name);
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
  const scheme = SCHEME.exec(header.trim());
  if (scheme === null) {
    return header.trim().startsWith('ACS3-')
      ? fail('malformed', 'Authorization must be "<algorithm> Credential=…,SignedHeaders=…,Signature=…".')
      : fail('not-acs3', 'Authorization is not an ACS3 signature.');
  }
  const algorithm = scheme[1] as string;
  if (!isSupportedV3Algorithm(algorithm)) {
    return fail('unsupported-algorithm', `Signature algorithm "${algorithm}" is not supported.`);
  }
  const fields = new Map<Field, string>();
  for (const part of (scheme[2] as string).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !isField(name)) {
      return fail('malformed', `Authorization has an unexpected field "${name.slice(0, 32)}".`);
    }
    if (fields.has(name)) return fail('malformed', `Authorization repeats ${name}.`);
    fields.set(name, item.slice(eq + 1));
  }
  for (const name of FIELDS) {
    if (!fields.has(name)) return fail('malformed', `Authorization is missing ${name}.`);
  }
  const accessKeyId = fields.get('Credential') as string;
  if (!ACCESS_KEY_ID.test(accessKeyId)) return fail('malformed', 'Authorization has an invalid Credential.');
  const signedHeaders = (fields.get('SignedHeaders') as string).split(';');
  const seen = new Set<string>();
  for (const name of signedHeaders) {
    if (!HEADER_NAME.test(name)) {
      return fail('malformed', 'SignedHeaders must be a ";"-separated list of lower-case header names.');
    }
    if (seen.has(name)) return fail('malformed', `SignedHeaders repeats "${name}".`);
    seen.add(name);
  }
  const signature = fields.get('Signature') as string;
  if (!HEX_SIGNATURE.test(signature)) return fail('malformed', 'Signature must be 64 hexadecimal digits.');
  return { ok: true, value: { algorithm, accessKeyId, signedHeaders, signature: signature.toLowerCase() } };
}
