/**
 * An independent reference implementation of the POP signatures, written from docs/protocol.md §4.1 / §5.2
 * with different building blocks than lib/auth: byte-wise UTF-8 encoding (no encodeURIComponent) and
 * sorting by UTF-8 bytes with Buffer.compare (no code-unit arithmetic).
 */
import { createHash, createHmac } from 'node:crypto';

const UNRESERVED = new Set(Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~', (c) => c.charCodeAt(0)));

/** RFC 3986 encoding of the UTF-8 bytes, upper-case hex. */
export function refEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    out += UNRESERVED.has(byte) ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** `name=value` pairs sorted by the UTF-8 bytes of the raw name; arrays keep their order. */
export function refCanonical(pairs: ReadonlyArray<readonly [string, string | readonly string[]]>): string {
  const sorted = [...pairs].sort((a, b) => Buffer.compare(Buffer.from(a[0], 'utf8'), Buffer.from(b[0], 'utf8')));
  const out: string[] = [];
  for (const [name, value] of sorted) {
    for (const v of typeof value === 'string' ? [value] : value) out.push(refEncode(name) + '=' + refEncode(v));
  }
  return out.join('&');
}

/** V1 signature over `pairs` (which must not contain `Signature`). */
export function refSignV1(method: string, pairs: ReadonlyArray<readonly [string, string | readonly string[]]>, secret: string): string {
  const stringToSign = method + '&' + refEncode('/') + '&' + refEncode(refCanonical(pairs));
  return createHmac('sha1', Buffer.from(secret + '&', 'utf8')).update(Buffer.from(stringToSign, 'utf8')).digest('base64');
}

/** V3 ACS3-HMAC-SHA256 signature of an RPC request (path `/`). */
export function refSignV3(input: {
  method: string;
  query: ReadonlyArray<readonly [string, string | readonly string[]]>;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  secret: string;
}): { signedHeaders: string; signature: string; payloadHash: string } {
  const payloadHash = createHash('sha256').update(input.body).digest('hex');
  const names = Object.keys(input.headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${(input.headers[n] as string).trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [input.method, '/', refCanonical(input.query), canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const stringToSign = 'ACS3-HMAC-SHA256\n' + createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  const signature = createHmac('sha256', input.secret).update(stringToSign, 'utf8').digest('hex');
  return { signedHeaders, signature, payloadHash };
}
