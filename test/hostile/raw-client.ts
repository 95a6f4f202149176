/**
 * A raw HTTP/1.1 client over node:net, for requests no ordinary client will send: any bytes in the
 * request target and headers, a Content-Length that lies, a body trickled slower than the server's
 * timeout, a body cut short and then the connection closed. Every exchange is bounded in time.
 */
import net from 'node:net';

/** How the body is put on the wire. */
export interface Framing {
  /** Content-Length to declare: a number (may lie), `'omit'`, or by default the body's length. */
  readonly contentLength?: number | 'omit';
  /** Send the body chunked (Transfer-Encoding: chunked). */
  readonly chunked?: boolean;
  /** Send only this many body bytes. */
  readonly sendBytes?: number;
  /**
   * After a short body: `'end'` (half-close: the client can still read the answer), `'destroy'`
   * (the client vanishes: there is no answer to read), or `'wait'` for the server (default).
   */
  readonly then?: 'end' | 'destroy' | 'wait';
  /** Trickle the body: `chunkBytes` every `intervalMs`. */
  readonly trickle?: { readonly chunkBytes: number; readonly intervalMs: number };
}

/** One request, byte for byte. */
export interface RawRequest {
  readonly method: string;
  /** Request target, sent as latin1 bytes (so any byte 0x00-0xFF can be expressed). */
  readonly target: string;
  /** Header lines, sent as latin1 bytes, in order. Host and Connection: close come first. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  readonly framing?: Framing;
  /** Omit the default `Host` header (the case supplies its own, or none). */
  readonly noHost?: boolean;
}

/** A response as received. */
export interface RawResponse {
  readonly status: number;
  /** Header lines in order, names lower-cased. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** Everything received, for leak checks. */
  readonly bytes: Buffer;
}

/** The outcome of an exchange. */
export type RawOutcome =
  | { readonly kind: 'response'; readonly response: RawResponse }
  | { readonly kind: 'closed'; readonly bytes: Buffer }
  | { readonly kind: 'timeout'; readonly bytes: Buffer };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function head(request: RawRequest, port: number, bodyLength: number): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  if (request.noHost !== true) lines.push(`Host: 127.0.0.1:${port}`);
  lines.push('Connection: close');
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  const framing = request.framing ?? {};
  if (framing.chunked === true) lines.push('Transfer-Encoding: chunked');
  else if (framing.contentLength === undefined) {
    if (request.body !== undefined) lines.push(`Content-Length: ${bodyLength}`);
  } else if (framing.contentLength !== 'omit') lines.push(`Content-Length: ${framing.contentLength}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

function chunk(bytes: Buffer, chunked: boolean): Buffer {
  if (!chunked || bytes.length === 0) return bytes;
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1')]);
}

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (let guard = 0; guard < 100_000 && at < body.length; guard++) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Parse a complete HTTP/1.1 response (the request asked for `Connection: close`, so the response
 * is everything up to the end of the connection).
 *
 * @example
 * const response = parseResponse(bytes, 'GET');
 */
export function parseResponse(received: Buffer, method: string): RawResponse | undefined {
  let bytes = received;
  // Interim 1xx responses (100 Continue) precede the final one.
  for (let guard = 0; guard < 10 && /^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 16).toString('latin1')); guard++) {
    const end = bytes.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    bytes = bytes.subarray(end + 4);
  }
  const split = bytes.indexOf('\r\n\r\n');
  if (split === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  if (!/^HTTP\/1\.[01] \d{3}/.test(statusLine)) return undefined;
  const headers = lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
  });
  let body = bytes.subarray(split + 4);
  const header = (name: string) => headers.find(([n]) => n === name)?.[1];
  if (method === 'HEAD' || status === 204 || status === 304) body = Buffer.alloc(0);
  else if (header('transfer-encoding')?.toLowerCase() === 'chunked') body = decodeChunked(body);
  else if (header('content-length') !== undefined) body = body.subarray(0, Number(header('content-length')));
  return { status, headers, body, bytes };
}

/**
 * Send one request to 127.0.0.1:`port` and wait (at most `timeoutMs`) for the server to answer and
 * close the connection.
 *
 * @example
 * const outcome = await rawExchange(port, { method: 'GET', target: '/?Action=%ZZ', headers: [] });
 */
export function rawExchange(port: number, request: RawRequest, timeoutMs = 5000): Promise<RawOutcome> {
  const body = request.body ?? Buffer.alloc(0);
  const framing = request.framing ?? {};
  const toSend = framing.sendBytes === undefined ? body : body.subarray(0, framing.sendBytes);
  const chunked = framing.chunked === true;
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1' });
    let done = false;
    const finish = (kind: 'closed' | 'timeout') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(received);
      const response = bytes.length === 0 ? undefined : parseResponse(bytes, request.method);
      resolve(response !== undefined ? { kind: 'response', response } : { kind, bytes });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    // The server may reset a connection whose body it refused: keep what arrived.
    socket.on('error', () => finish('closed'));
    socket.once('connect', () => {
      void (async () => {
        socket.write(head(request, port, body.length));
        if (framing.trickle === undefined) {
          if (toSend.length > 0) socket.write(chunk(toSend, chunked));
        } else {
          const { chunkBytes, intervalMs } = framing.trickle;
          for (let at = 0; at < toSend.length && !done; at += chunkBytes) {
            await sleep(intervalMs);
            if (!done && !socket.destroyed) socket.write(chunk(toSend.subarray(at, at + chunkBytes), chunked));
          }
        }
        const complete = toSend.length === body.length;
        if (done || socket.destroyed) return;
        if (chunked && complete) socket.write('0\r\n\r\n');
        if (!complete && framing.then === 'end') socket.end();
        if (!complete && framing.then === 'destroy') setTimeout(() => finish('closed'), 20);
      })();
    });
  });
}
