/**
 * One request to a local service over real HTTP, signed (Signature V1 or V3, by the hostile
 * campaign's signer) or not, with the whole answer read: status, body bytes, RequestId header.
 */
import http from 'node:http';
import { encodePairs, sign, type Pairs, type Signing } from '../hostile/signing.js';

/** What came back. */
export interface SentRequest {
  readonly status: number;
  readonly body: Buffer;
  readonly requestId: string;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * Send `method /?query` (plus a form body when `form` is given) to 127.0.0.1:`port`.
 *
 * @example
 * const res = await sendSigned(port, 'GET', [['Action', 'DescribeRegions'], ['Version', '2014-05-26']], { version: 'V1' });
 */
export function sendSigned(port: number, method: string, query: Pairs, signing?: Signing, form?: Pairs): Promise<SentRequest> {
  const host = `127.0.0.1:${port}`;
  const signed = signing === undefined ? { query, form, headers: [] as Pairs } : sign({ method, path: '/', query, form, host }, signing);
  const body = signed.form === undefined ? undefined : Buffer.from(encodePairs(signed.form), 'utf8');
  const headers: Record<string, string> = Object.fromEntries(signed.headers);
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const qs = encodePairs(signed.query);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: qs === '' ? '/' : `/?${qs}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), requestId: String(res.headers['x-acs-request-id']), headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Wait (bounded: about 1 s of 2 ms turns) until `check` returns a value, and return it; throws
 * `failure()` otherwise. For effects that follow a response (listeners run on `finish`).
 *
 * @example
 * const record = await eventually(() => records.find((r) => r.RequestId === id), () => 'no record');
 */
export async function eventually<T>(check: () => T | undefined, failure: () => string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(failure());
}
