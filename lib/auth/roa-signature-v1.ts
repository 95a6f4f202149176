/**
 * The ROA ("RESTful") Signature V1 of Alibaba Cloud OpenAPI: `Authorization: acs <AccessKeyId>:<signature>`,
 * base64 HMAC-SHA1 keyed with the raw AccessKeySecret over the method, `Accept`, `Content-MD5`,
 * `Content-Type`, `Date`, the canonical `x-acs-*` headers and the resource (docs/roa.md §Signature V1).
 * Pure functions, written to give exactly the string the SDK signers build (`roa.js` in the `lib` folder of the `@alicloud/pop-core` package:
 * `buildStringToSign`, openapi-util `getStringToSign` / `getROASignature`).
 */
import { constantTimeEqual } from './constant-time.js';
import { digest, hmac } from './digests.js';
import type { HeaderMap } from './signed-headers-v3.js';
import type { ParamMap } from './canonical-query.js';

/** A parsed `Authorization: acs …` header. */
export interface RoaAuthorization {
  readonly accessKeyId: string;
  readonly signature: string;
}

/** Canonical base64 of a 20-byte HMAC-SHA1 (as the V1 RPC signature). */
const WELL_FORMED_SIGNATURE = /^[A-Za-z0-9+/]{26}[AEIMQUYcgkosw048]=$/;
const ACS_AUTHORIZATION = /^acs ([^\s:]{1,128}):(\S{1,128})$/;

/**
 * True when the request carries an `Authorization: acs …` header (a ROA Signature V1 request).
 *
 * @example
 * isRoaV1Request({ authorization: 'acs testid:3Bx…=' }); // true
 */
export function isRoaV1Request(headers: HeaderMap): boolean {
  const value = headers.authorization;
  return typeof value === 'string' && value.startsWith('acs ');
}

/**
 * Parse `acs <AccessKeyId>:<signature>`; undefined when malformed (the signature must be the
 * 28-character base64 of an HMAC-SHA1).
 *
 * @example
 * parseRoaAuthorization('acs testid:kRA2cnpJVacIhDMzXnoNZG9tDCI='); // { accessKeyId: 'testid', signature: 'kRA2…' }
 */
export function parseRoaAuthorization(value: string): RoaAuthorization | undefined {
  const match = ACS_AUTHORIZATION.exec(value);
  if (match === null) return undefined;
  const [, accessKeyId, signature] = match as unknown as [string, string, string];
  return WELL_FORMED_SIGNATURE.test(signature) ? { accessKeyId, signature } : undefined;
}

function headerText(value: string | readonly string[] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(',');
}

/**
 * CanonicalizedHeaders: every received `x-acs-*` header, names sorted, each as
 * `name:value\n` with tab, CR, LF and form feed replaced by spaces and the value trimmed.
 *
 * @example
 * canonicalHeadersRoa({ 'x-acs-version': '2015-12-15', 'x-acs-signature-nonce': 'n1', host: 'x' });
 * // 'x-acs-signature-nonce:n1\nx-acs-version:2015-12-15\n'
 */
export function canonicalHeadersRoa(headers: HeaderMap): string {
  const names = Object.keys(headers).filter((name) => name.startsWith('x-acs-')).sort();
  let out = '';
  for (const name of names) out += `${name}:${headerText(headers[name]).replace(/[\t\n\r\f]/g, ' ').trim()}\n`;
  return out;
}

/**
 * CanonicalizedResource: the path as received, then `?` and the decoded query as `name=value`
 * pairs sorted by name and joined with `&` (no encoding; a repeated name gives its values joined by
 * `,`, as the SDKs' template strings do). No query: the path alone.
 *
 * @example
 * canonicalResourceRoa('/clusters', { page_size: '10', name: 'a b' }); // '/clusters?name=a b&page_size=10'
 */
export function canonicalResourceRoa(path: string, query: ParamMap): string {
  const names = Object.keys(query).sort();
  if (names.length === 0) return path;
  return `${path}?${names.map((name) => `${name}=${headerText(query[name])}`).join('&')}`;
}

/** Input of {@link stringToSignRoa}. */
export interface RoaStringToSignInput {
  readonly method: string;
  /** The raw request path, without the query. */
  readonly path: string;
  /** The decoded query parameters. */
  readonly query: ParamMap;
  /** The received headers, lower-case names. */
  readonly headers: HeaderMap;
  /** Replaces the received `content-md5` line (the server's own digest, for the error message). */
  readonly contentMd5?: string | undefined;
}

/**
 * The string to sign: `METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n` + CanonicalizedHeaders +
 * CanonicalizedResource (absent headers are empty lines).
 *
 * @example
 * stringToSignRoa({ method: 'GET', path: '/clusters', query: {}, headers });
 * // 'GET\napplication/json\n1B2M2Y8AsgTpgAmY7PhCfg==\n\nSun, 06 Dec 2026 02:46:23 GMT\nx-acs-signature-method:HMAC-SHA1\n…/clusters'
 */
export function stringToSignRoa(input: RoaStringToSignInput): string {
  const h = input.headers;
  const md5 = input.contentMd5 ?? headerText(h['content-md5']);
  return (
    `${input.method}\n${headerText(h.accept)}\n${md5}\n${headerText(h['content-type'])}\n${headerText(h.date)}\n` +
    canonicalHeadersRoa(h) +
    canonicalResourceRoa(input.path, input.query)
  );
}

/**
 * Sign a ROA string: `base64(HMAC-SHA1(key = AccessKeySecret, stringToSign))` (no `&` suffix, unlike RPC V1).
 *
 * @example
 * signRoa('testsecret', stringToSign); // 28-character base64
 */
export function signRoa(accessKeySecret: string, stringToSign: string): string {
  return hmac('sha1', accessKeySecret, stringToSign, 'base64');
}

/**
 * The base64 MD5 of a body, as `Content-MD5` carries it.
 *
 * @example
 * contentMd5(Buffer.alloc(0)); // '1B2M2Y8AsgTpgAmY7PhCfg=='
 */
export function contentMd5(body: Buffer): string {
  return digest('md5', body, 'base64');
}

/** Input of {@link verifyRoaV1}. */
export interface VerifyRoaV1Input extends Omit<RoaStringToSignInput, 'contentMd5'> {
  /** The raw body bytes (empty when there is none). */
  readonly body: Buffer;
  readonly signature: string;
  readonly accessKeySecret: string;
}

/** Result of {@link verifyRoaV1}. */
export interface RoaV1Verification {
  readonly ok: boolean;
  /** False when a `Content-MD5` header was sent and does not match the body. */
  readonly bodyOk: boolean;
  /** The server's string to sign (with the body's real MD5 when the header is wrong), for the error message. */
  readonly stringToSign: string;
}

/**
 * Verify a ROA V1 signature in constant time. A received `Content-MD5` must be the body's MD5
 * (case-sensitive base64, constant time); when it is not, the signature is not accepted and the
 * string to sign shown carries the server's digest. Without the header the body is not covered by
 * the signature (openapi-client's ROA V1 sends none).
 *
 * @example
 * const r = verifyRoaV1({ method: 'GET', path: '/clusters', query, headers, body, signature, accessKeySecret: 'testsecret' });
 */
export function verifyRoaV1(input: VerifyRoaV1Input): RoaV1Verification {
  const received = input.headers['content-md5'];
  let bodyOk = true;
  let contentMd5Line: string | undefined;
  if (received !== undefined) {
    const actual = contentMd5(input.body);
    bodyOk = typeof received === 'string' && constantTimeEqual(received.trim(), actual);
    if (!bodyOk) contentMd5Line = actual;
  }
  const stringToSign = stringToSignRoa({ ...input, contentMd5: contentMd5Line });
  const ok = bodyOk && constantTimeEqual(input.signature, signRoa(input.accessKeySecret, stringToSign));
  return { ok, bodyOk, stringToSign };
}
