/**
 * Alibaba Cloud OpenAPI Signature V3 (`ACS3-HMAC-SHA256`, optionally `ACS3-HMAC-SM3`), docs/protocol.md §5.
 * Pure functions: the caller supplies the decoded query, the headers, the raw path and the raw body hash.
 */
import { hashHexV3, hmacHexV3, type V3Algorithm } from './algorithms-v3.js';
import type { AuthorizationV3 } from './authorization-v3.js';
import { canonicalQuery, type ParamMap } from './canonical-query.js';
import { constantTimeEqual } from './constant-time.js';
import { popEncode } from './percent-encode.js';
import { canonicalHeadersV3, type HeaderMap } from './signed-headers-v3.js';

/**
 * Lower-case hex SHA-256 of some bytes.
 *
 * @example
 * sha256Hex(Buffer.from('Desc=x%20y')); // 'dfd221c04d977e3e83c843309aea389ca06795b0d8b3d9dbb88fb472e0d41e49'
 */
export function sha256Hex(data: Buffer | string): string {
  return hashHexV3(data, 'ACS3-HMAC-SHA256');
}

/**
 * Whether the received `x-acs-content-sha256` header equals the hash of the raw body bytes (SHA-256, or
 * SM3 for `ACS3-HMAC-SM3`, whose SDKs put the SM3 digest in the same header). Case-insensitive hex,
 * constant time. An absent header (`undefined`) or a repeated one (array) never matches.
 *
 * @param rawBody the body exactly as received (empty buffer when there is none)
 * @param header the `x-acs-content-sha256` header value
 * @example
 * payloadHashMatches(Buffer.alloc(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'); // true
 */
export function payloadHashMatches(
  rawBody: Buffer,
  header: string | readonly string[] | undefined,
  algorithm: V3Algorithm = 'ACS3-HMAC-SHA256',
): boolean {
  if (typeof header !== 'string') return false;
  return constantTimeEqual(header.trim().toLowerCase(), hashHexV3(rawBody, algorithm));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape is signed as the literal text; it simply will not verify
  }
}

/**
 * CanonicalURI of V3: the received path with each `/`-separated segment decoded then POP-encoded, so that
 * SDK-encoded and raw forms agree. An empty path is `/`. RPC requests always use `/`.
 *
 * @param rawPath the request path as received, without the query string
 * @example
 * canonicalUriV3('/');                   // '/'
 * canonicalUriV3('/repos/a%20b/x(1)');  // '/repos/a%20b/x%281%29'
 */
export function canonicalUriV3(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  return rawPath
    .split('/')
    .map((segment) => popEncode(decodeSegment(segment)))
    .join('/');
}

/** Input of {@link canonicalRequestV3}. */
export interface CanonicalRequestV3Input {
  /** The HTTP method actually received. */
  readonly method: string;
  /** The raw request path without the query (see {@link canonicalUriV3}). */
  readonly path: string;
  /** The decoded query parameters only (form-body parameters are covered by the payload hash). */
  readonly query: ParamMap;
  /** The received headers, lower-case names. */
  readonly headers: HeaderMap;
  /** The parsed `SignedHeaders` list, in the order given by the client. */
  readonly signedHeaders: readonly string[];
  /**
   * The HashedPayload line: the `x-acs-content-sha256` header exactly as received (the client signed what it
   * sent), after {@link payloadHashMatches} has confirmed it against the raw body.
   */
  readonly hashedPayload: string;
}

/**
 * CanonicalRequest of V3:
 * `METHOD\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHashedPayload`,
 * where CanonicalHeaders ends with its own `\n`. The query is encoded like V1 (names sorted by code point,
 * both names and values POP-encoded; a repeated name emits each value in received order).
 *
 * @example
 * canonicalRequestV3({ method: 'POST', path: '/', query, headers, signedHeaders: ['host', 'x-acs-date'], hashedPayload: sha256Hex('') });
 * // 'POST\n/\nImageId=…&RegionId=cn-shanghai\nhost:…\nx-acs-date:…\n\nhost;x-acs-date\ne3b0…'
 */
export function canonicalRequestV3(input: CanonicalRequestV3Input): string {
  return canonicalRequestOf(input.method, input.path, input.query, input.headers, input.signedHeaders, input.hashedPayload);
}

function canonicalRequestOf(
  method: string,
  path: string,
  query: ParamMap,
  headers: HeaderMap,
  signedHeaders: readonly string[],
  hashedPayload: string,
): string {
  return (
    method + '\n' +
    canonicalUriV3(path) + '\n' +
    canonicalQuery(query) + '\n' +
    canonicalHeadersV3(signedHeaders, headers) + '\n' +
    signedHeaders.join(';') + '\n' +
    hashedPayload
  );
}

/**
 * StringToSign of V3: `<algorithm>\n<hex hash of the canonical request>`.
 *
 * @example
 * stringToSignV3(canonicalRequest); // 'ACS3-HMAC-SHA256\n7ea06492…' for TV-V3-1
 */
export function stringToSignV3(canonicalRequest: string, algorithm: V3Algorithm = 'ACS3-HMAC-SHA256'): string {
  return algorithm + '\n' + hashHexV3(canonicalRequest, algorithm);
}

/**
 * Sign a V3 string: lower-case hex HMAC keyed with the raw AccessKeySecret (no `&` suffix).
 *
 * @example
 * signV3('YourAccessKeySecret', stringToSign); // '06563a9e1b43…' for TV-V3-1
 */
export function signV3(accessKeySecret: string, stringToSign: string, algorithm: V3Algorithm = 'ACS3-HMAC-SHA256'): string {
  return hmacHexV3(accessKeySecret, stringToSign, algorithm);
}

/** Input of {@link verifyV3}. */
export interface VerifyV3Input extends Omit<CanonicalRequestV3Input, 'signedHeaders'> {
  /** The parsed `Authorization` header (its algorithm, signed headers and signature are used). */
  readonly authorization: AuthorizationV3;
  /** The AccessKeySecret looked up for `authorization.accessKeyId`. */
  readonly accessKeySecret: string;
}

/** Result of {@link verifyV3}: the server's canonical request and string to sign, for error messages. */
export interface V3Verification {
  readonly ok: boolean;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

/**
 * Verify a V3 signature in constant time. Check the signed-header policy
 * (`checkSignedHeadersV3`) and the body hash ({@link payloadHashMatches}) before calling this.
 *
 * @example
 * const auth = parseAuthorizationV3(req.headers.authorization);
 * if (auth.ok) {
 *   const r = verifyV3({ method, path: '/', query, headers, hashedPayload: headers['x-acs-content-sha256'], authorization: auth.value, accessKeySecret });
 *   if (!r.ok) throw new errors.SignatureDoesNotMatch({ message: PREFIX + r.stringToSign });
 * }
 */
export function verifyV3(input: VerifyV3Input): V3Verification {
  const { authorization } = input;
  const canonicalRequest = canonicalRequestOf(input.method, input.path, input.query, input.headers, authorization.signedHeaders, input.hashedPayload);
  const stringToSign = stringToSignV3(canonicalRequest, authorization.algorithm);
  const expected = signV3(input.accessKeySecret, stringToSign, authorization.algorithm);
  return { ok: constantTimeEqual(authorization.signature, expected), canonicalRequest, stringToSign };
}
