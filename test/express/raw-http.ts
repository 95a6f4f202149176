/**
 * A raw HTTP/1.1 exchange over a TCP socket to 127.0.0.1: the exact request bytes out, the exact
 * response bytes back (the request says `Connection: close`, so the response ends with the socket).
 * Used to compare what two servers put on the wire, byte for byte.
 */
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request to send. */
export interface RawRequest {
  readonly method: string;
  /** Path and query, sent as is. */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Body bytes; sent with Content-Length unless a `transfer-encoding` header is given. */
  readonly body?: string;
}

/** A response as received. */
export interface RawResponse {
  /** The status line, e.g. `HTTP/1.1 200 OK`. */
  readonly statusLine: string;
  readonly status: number;
  /** Header lines in received order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** The whole response. */
  readonly bytes: Buffer;
}

/** Serialise a request. */
export function requestBytes(request: RawRequest): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  const headers = request.headers ?? {};
  for (const name of Object.keys(headers)) lines.push(`${name}: ${headers[name]}`);
  const chunked = Object.keys(headers).some((n) => n.toLowerCase() === 'transfer-encoding');
  let body = Buffer.alloc(0);
  if (request.body !== undefined) {
    const bytes = Buffer.from(request.body, 'utf8');
    if (chunked) {
      body = Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
    } else {
      lines.push(`Content-Length: ${bytes.length}`);
      body = bytes;
    }
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** Send one request and read the whole response. */
export function rawExchange(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1' });
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      const bytes = Buffer.concat(chunks);
      if (bytes.length > 0) resolve(parseResponse(bytes));
      else reject(err ?? new Error('the server closed the connection without a response'));
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // A server that answers before reading the whole body may reset the connection: keep what came.
    socket.on('error', (err) => finish(err));
    socket.write(requestBytes(request));
  });
}

function parseResponse(bytes: Buffer): RawResponse {
  const split = bytes.indexOf('\r\n\r\n');
  if (split === -1) throw new Error(`no header end in ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`);
  const [statusLine = '', ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const headers = lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()] as const;
  });
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body: bytes.subarray(split + 4), bytes };
}

/** The value of a header (case-insensitive), or undefined. */
export function headerOf(res: RawResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** Listen on an ephemeral 127.0.0.1 port; returns the port and a close function. */
export async function listen(listener: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
