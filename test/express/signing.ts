/**
 * Signed raw requests for the parity suite, signed with the independent reference signer
 * (test/auth/reference.ts) at a fixed time with given nonces, so that the same bytes can be sent to
 * every service.
 */
import { createHash } from 'node:crypto';
import { refEncode, refSignV1, refSignV3 } from '../auth/reference.js';
import type { RawRequest } from './raw-http.js';
import { VERSION } from './rpc-services.js';

export type Pairs = ReadonlyArray<readonly [string, string]>;

/** ISO 8601 without milliseconds, as the SDKs send it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Pairs percent-encoded for the wire. */
export function wire(pairs: Pairs): string {
  return pairs.map(([name, value]) => `${refEncode(name)}=${refEncode(value)}`).join('&');
}

function grouped(pairs: Pairs): Array<readonly [string, string | string[]]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of pairs) map.set(name, [...(map.get(name) ?? []), value]);
  return [...map].map(([name, values]) => [name, values.length === 1 ? (values[0] as string) : values] as const);
}

/** What a V1 request is made of. */
export interface V1Input {
  readonly action: string;
  readonly accessKeyId: string;
  /** The secret it is signed with (a wrong one gives SignatureDoesNotMatch). */
  readonly secret: string;
  readonly nonce: string;
  /** Epoch ms (or the literal timestamp text). */
  readonly timestamp: number | string;
  readonly method?: 'GET' | 'POST';
  readonly format?: 'JSON' | 'XML';
  readonly business?: Pairs;
  /** Pairs to drop from the request after signing (e.g. a missing AccessKeyId). */
  readonly omit?: readonly string[];
}

/** A V1 request (common parameters + business pairs + reference `Signature`), by GET or POST form. */
export function v1Request(input: V1Input): RawRequest {
  const pairs: Array<readonly [string, string]> = [
    ['AccessKeyId', input.accessKeyId],
    ['Action', input.action],
    ['Format', input.format ?? 'JSON'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', input.nonce],
    ['SignatureVersion', '1.0'],
    ['Timestamp', typeof input.timestamp === 'number' ? isoSeconds(input.timestamp) : input.timestamp],
    ['Version', VERSION],
    ...(input.business ?? []),
  ];
  const method = input.method ?? 'GET';
  const signed = [...pairs, ['Signature', refSignV1(method, grouped(pairs), input.secret)] as const].filter(([name]) => !(input.omit ?? []).includes(name));
  if (method === 'GET') return { method, target: `/?${wire(signed)}` };
  return { method, target: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: wire(signed) };
}

/** What a V3 request is made of. */
export interface V3Input {
  readonly action: string;
  readonly accessKeyId: string;
  readonly secret: string;
  readonly nonce: string;
  readonly timestamp: number;
  readonly method?: 'GET' | 'POST';
  readonly query?: Pairs;
  /** A form body. */
  readonly body?: string;
  /** Replace the body after signing (the payload hash then no longer matches). */
  readonly tamperedBody?: string;
}

/**
 * A V3 (ACS3-HMAC-SHA256) request signed over `host` (the `127.0.0.1` the raw client sends), the
 * `x-acs-*` headers and, with a body, `content-type`, as the SDKs sign.
 */
export function v3Request(input: V3Input): RawRequest {
  const body = Buffer.from(input.body ?? '', 'utf8');
  const signedHeaders: Record<string, string> = {
    host: '127.0.0.1',
    'x-acs-action': input.action,
    'x-acs-version': VERSION,
    'x-acs-date': isoSeconds(input.timestamp),
    'x-acs-signature-nonce': input.nonce,
    ...(body.length > 0 ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
  };
  signedHeaders['x-acs-content-sha256'] = createHash('sha256').update(body).digest('hex');
  const method = input.method ?? 'POST';
  const query = input.query ?? [];
  const signed = refSignV3({ method, query: grouped(query), headers: signedHeaders, body, secret: input.secret });
  const { host: _host, ...headers } = signedHeaders; // the raw client sends Host itself
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signed.signedHeaders},Signature=${signed.signature}`;
  const sent = input.tamperedBody ?? input.body;
  return { method, target: query.length > 0 ? `/?${wire(query)}` : '/', headers, ...(sent === undefined || sent === '' ? {} : { body: sent }) };
}
