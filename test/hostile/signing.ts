/**
 * Building signed (or deliberately mis-signed) requests for the hostile corpus and the fuzzer:
 * Signature V1 over the decoded union of query and form parameters, Signature V3 over the query,
 * the headers and the raw body, each with hooks to break one field at a time.
 */
import { randomUUID } from 'node:crypto';
import { popEncode, sha256Hex, signV1, signV3, stringToSignV1, stringToSignV3, canonicalRequestV3 } from '../../lib/auth/index.js';
import { ECS_VERSION } from '../../examples/ecs/api.js';
import { KEY } from './service.js';

/** Name/value pairs in wire order; a name may repeat. */
export type Pairs = ReadonlyArray<readonly [string, string]>;

/**
 * `name=value&…` with POP percent-encoding (what the SDKs send).
 *
 * @example
 * encodePairs([['Action', 'DescribeRegions'], ['Tag.1.Key', 'a b']]); // 'Action=DescribeRegions&Tag.1.Key=a%20b'
 */
export function encodePairs(pairs: Pairs): string {
  return pairs.map(([name, value]) => `${popEncode(name)}=${popEncode(value)}`).join('&');
}

/** The decoded union the server computes: query first, then body; repeated names as arrays. */
function union(...lists: Pairs[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const list of lists) {
    for (const [name, value] of list) {
      const existing = out[name];
      if (existing === undefined) out[name] = value;
      else if (typeof existing === 'string') out[name] = [existing, value];
      else existing.push(value);
    }
  }
  return out;
}

/**
 * A POP timestamp without milliseconds.
 *
 * @example
 * popTimestamp(new Date('2026-11-29T18:43:17.123Z')); // '2026-11-29T18:43:17Z'
 */
export function popTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** How to sign with V1, and what to break. A field set to `null` is left out. */
export interface V1Signing {
  readonly version: 'V1';
  readonly accessKeyId?: string | null;
  readonly secret?: string;
  readonly signatureMethod?: string | null;
  readonly signatureVersion?: string | null;
  readonly nonce?: string | null;
  /** A fixed text, or a function called at signing time (for timestamps relative to the send). */
  readonly timestamp?: string | (() => string) | null;
  /** Replace the computed signature (`null`: send none). */
  readonly signature?: ((real: string) => string) | null;
  /** Put the common parameters in the form body instead of the query. */
  readonly inBody?: boolean;
}

/** How to sign with V3, and what to break. */
export interface V3Signing {
  readonly version: 'V3';
  readonly accessKeyId?: string;
  readonly secret?: string;
  readonly date?: string;
  readonly nonce?: string;
  /** Default: the body's SHA-256. */
  readonly contentSha256?: string;
  /** Default: every x-acs-* header sent plus host. */
  readonly signedHeaders?: readonly string[];
  /** Replace the whole Authorization header. */
  readonly authorization?: (real: string) => string;
}

export type Signing = V1Signing | V3Signing;

/** A request's parts before signing. */
export interface Unsigned {
  readonly method: string;
  readonly path: string;
  readonly query: Pairs;
  readonly form: Pairs | undefined;
  /** The Host header the client sends (V3 signs it). */
  readonly host: string;
}

/** What signing adds. */
export interface Signed {
  readonly query: Pairs;
  readonly form: Pairs | undefined;
  readonly headers: Pairs;
}

function present<T>(value: T | null | undefined, fallback: T): T | undefined {
  return value === null ? undefined : value === undefined ? fallback : value;
}

function signWithV1(request: Unsigned, signing: V1Signing): Signed {
  const common: [string, string][] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) common.push([name, value]);
  };
  add('AccessKeyId', present(signing.accessKeyId, KEY.accessKeyId));
  add('SignatureMethod', present(signing.signatureMethod, 'HMAC-SHA1'));
  add('SignatureVersion', present(signing.signatureVersion, '1.0'));
  add('SignatureNonce', present(signing.nonce, randomUUID()));
  add('Timestamp', present(typeof signing.timestamp === 'function' ? signing.timestamp() : signing.timestamp, popTimestamp()));
  const query = signing.inBody === true ? request.query : [...request.query, ...common];
  const form = signing.inBody === true ? [...(request.form ?? []), ...common] : request.form;
  const real = signV1(stringToSignV1(request.method, union(query, form ?? [])), signing.secret ?? KEY.secret);
  const signature = signing.signature === null ? undefined : signing.signature === undefined ? real : signing.signature(real);
  if (signature === undefined) return { query, form, headers: [] };
  if (signing.inBody === true) return { query, form: [...(form ?? []), ['Signature', signature]], headers: [] };
  return { query: [...query, ['Signature', signature]], form, headers: [] };
}

function signWithV3(request: Unsigned, signing: V3Signing, body: Buffer): Signed {
  const action = request.query.find(([n]) => n === 'Action')?.[1] ?? '';
  const version = request.query.find(([n]) => n === 'Version')?.[1] ?? ECS_VERSION;
  const query = request.query.filter(([n]) => n !== 'Action' && n !== 'Version');
  const headers: Record<string, string> = {
    host: request.host,
    'x-acs-action': action,
    'x-acs-version': version,
    'x-acs-date': signing.date ?? popTimestamp(),
    'x-acs-signature-nonce': signing.nonce ?? randomUUID().replace(/-/g, ''),
    'x-acs-content-sha256': signing.contentSha256 ?? sha256Hex(body),
  };
  const signedHeaders = signing.signedHeaders ?? Object.keys(headers).sort();
  const canonical = canonicalRequestV3({
    method: request.method,
    path: request.path,
    query: union(query),
    headers,
    signedHeaders,
    hashedPayload: headers['x-acs-content-sha256'] as string,
  });
  const signature = signV3(signing.secret ?? KEY.secret, stringToSignV3(canonical));
  const real = `ACS3-HMAC-SHA256 Credential=${signing.accessKeyId ?? KEY.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  const authorization = signing.authorization === undefined ? real : signing.authorization(real);
  const sent: [string, string][] = Object.keys(headers)
    .filter((name) => name !== 'host')
    .map((name) => [name, headers[name] as string]);
  sent.push(['authorization', authorization]);
  return { query, form: request.form, headers: sent };
}

/**
 * Sign a request (fresh nonce and timestamp unless given). V3 moves Action and Version into the
 * `x-acs-action` / `x-acs-version` headers, as the SDKs do.
 *
 * @example
 * const signed = sign({ method: 'GET', path: '/', query: [['Action', 'DescribeRegions'], ['Version', ECS_VERSION]], form: undefined, host }, { version: 'V1' });
 */
export function sign(request: Unsigned, signing: Signing): Signed {
  if (signing.version === 'V1') return signWithV1(request, signing);
  const body = request.form === undefined ? Buffer.alloc(0) : Buffer.from(encodePairs(request.form), 'utf8');
  return signWithV3(request, signing, body);
}
