/**
 * Test helpers for test/auth: a strict urlencoded decoder, a null-prototype param builder and a loopback
 * capture server that records what real SDKs put on the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParamMap } from '../../lib/auth/index.js';

/** Build a null-prototype param map (what the envelope middleware hands to the verifier). */
export function params(entries: Record<string, string | string[]>): ParamMap {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of Object.entries(entries)) out[k] = v;
  return out;
}

const ESCAPE_OR_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/** Decode one urlencoded component strictly: `+` is a space, `%XY` must be valid hex and valid UTF-8. */
export function decodeComponentStrict(raw: string): string {
  if (ESCAPE_OR_PERCENT.test(raw)) throw new Error(`malformed percent-escape in ${JSON.stringify(raw)}`);
  return decodeURIComponent(raw.replace(/\+/g, ' ')); // URIError on invalid UTF-8
}

/**
 * Strictly decode `a=1&b=2&a=3` into a null-prototype map (a repeated name becomes an array, values in
 * received order). Empty segments (`a=1&&b=2`) are refused; a segment without `=` has the value `''`.
 */
export function decodeFormStrict(raw: string, into: Record<string, string | string[]> = Object.create(null)): Record<string, string | string[]> {
  if (raw === '') return into;
  for (const segment of raw.split('&')) {
    if (segment === '') throw new Error('empty segment');
    const eq = segment.indexOf('=');
    const name = decodeComponentStrict(eq < 0 ? segment : segment.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponentStrict(segment.slice(eq + 1));
    const prev = into[name];
    if (prev === undefined) into[name] = value;
    else if (typeof prev === 'string') into[name] = [prev, value];
    else prev.push(value);
  }
  return into;
}

/** One request as it arrived at the capture server. */
export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A loopback server that answers every request with a JSON success body and records it. */
export interface CaptureServer {
  readonly endpoint: string; // host:port
  readonly requests: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * Start a capture server on 127.0.0.1 (random port).
 *
 * @example
 * const srv = await startCaptureServer(); ... srv.requests[0] ... await srv.close();
 */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      requests.push({
        method: req.method ?? '',
        url,
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.setHeader('content-type', 'application/json;charset=utf-8');
      res.setHeader('connection', 'close');
      res.end(JSON.stringify({ RequestId: '00000000-0000-0000-0000-000000000000' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The decoded union of query and (urlencoded) body of a captured request, as the envelope would build it. */
export function unionParams(req: CapturedRequest): Record<string, string | string[]> {
  const all = decodeFormStrict(req.rawQuery);
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) decodeFormStrict(req.body.toString('utf8'), all);
  return all;
}

/** Replace the character at `i` with a different one (keeps the length). */
export function flipChar(s: string, i: number): string {
  const c = s[i] === 'a' ? 'b' : 'a';
  return s.slice(0, i) + c + s.slice(i + 1);
}
