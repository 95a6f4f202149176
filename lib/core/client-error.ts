/**
 * Envelopes for the requests Node's HTTP server refuses before any middleware runs: bytes that are
 * not HTTP/1.1 (a bad method, a control character in a header, conflicting framing…), headers over
 * the size limit, a request that took too long, an `Expect` the server cannot meet. Node answers
 * those with a bare status line; `answerRefusedRequests(server)` answers an XML error envelope with
 * a RequestId instead, or closes the socket when nothing can be written (docs/operations.md).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorLike } from './errors/api-error.js';
import { resolveEnvelopeOptions, type EnvelopeOptions } from './options.js';
import { renderError } from './render/envelope.js';

/** Options of {@link answerRefusedRequests}: those of the envelope that apply here (use the same values). */
export type RefusalOptions = Pick<EnvelopeOptions, 'hostId' | 'requestId' | 'cors' | 'recommend'>;

/** The answers, by the condition Node reports. Codes are this package's own (see docs/operations.md). */
export const REFUSALS = Object.freeze({
  /** Not HTTP/1.1 as the parser accepts it. */
  malformed: { code: 'InvalidRequest.Malformed', status: 400, message: 'The request is not a well-formed HTTP/1.1 request.' },
  /** Request line and headers over the server's `maxHeaderSize` (Node answers 431). */
  headersTooLarge: { code: 'InvalidRequest.HeadersTooLarge', status: 431, message: 'The request line and headers are larger than the server accepts.' },
  /** Headers or body not received within the server's `headersTimeout` / `requestTimeout` (Node answers 408). */
  timeout: { code: 'InvalidRequest.Timeout', status: 408, message: 'The request was not received in time.' },
  /** An HTTP/1.1 request without `Host` (Node answers 400 itself unless `requireHostHeader` is off). */
  missingHost: { code: 'InvalidRequest.Malformed', status: 400, message: 'An HTTP/1.1 request must have a Host header.' },
  /** An `Expect` other than `100-continue` (Node answers 417). */
  expectation: { code: 'InvalidRequest.ExpectationFailed', status: 417, message: 'The expectation given in the Expect header cannot be met.' },
} satisfies Record<string, ApiErrorLike>);

/** What Node tells a `clientError` listener (its `code` names the parser's complaint). */
interface ClientError extends Error {
  readonly code?: string;
}

/** The response in progress on a socket (Node keeps it there; no public accessor exists). */
interface SocketWithResponse extends Socket {
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
}

/** How long a refused client has to read the answer before the socket is destroyed. */
const LINGER_MS = 5000;

function refusalFor(err: ClientError): ApiErrorLike {
  if (err.code === 'HPE_HEADER_OVERFLOW') return REFUSALS.headersTooLarge;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return REFUSALS.timeout;
  return REFUSALS.malformed;
}

/**
 * Make `server` answer every request its HTTP parser refuses with an XML error envelope (status,
 * `x-acs-request-id`, `Connection: close`, CORS headers when `cors` is on) instead of Node's bare
 * status line, and close the connection. When nothing can be written (the peer reset the
 * connection, or a response on it has already started) the socket is just closed. An `Expect`
 * header other than `100-continue` gets a 417 envelope (`checkExpectation`), and an HTTP/1.1
 * request without `Host` a 400 envelope (Node's own check, `requireHostHeader`, is taken over by
 * a wrapper around the request listeners present when this is called). Returns `server`.
 *
 * Attach it once, after the app's request listener, to the server that runs the Koa or Express app, with the envelope's `hostId`
 * (and `requestId`, `cors`) so that these answers look like the others.
 *
 * @example
 * const app = new Koa();
 * app.use(envelope({ hostId: 'ecs.example.com' }));
 * app.use(koaRpc(api));
 * const server = answerRefusedRequests(http.createServer(app.callback()), { hostId: 'ecs.example.com' });
 * server.listen(8080);
 */
export function answerRefusedRequests<S extends Server>(server: S, options: RefusalOptions = {}): S {
  const resolved = resolveEnvelopeOptions(options);
  const render = (error: ApiErrorLike): { requestId: string; body: Buffer; contentType: string } => {
    const requestId = resolved.newRequestId();
    const input = { requestId, hostId: resolved.hostId };
    const recommend = resolved.recommend?.({ code: error.code, ...input });
    const out = renderError('XML', error, recommend === undefined ? input : { ...input, recommend });
    return { requestId, body: Buffer.from(out.body, 'utf8'), contentType: out.contentType };
  };
  const cors = Object.entries(resolved.corsHeaders ?? {});

  server.on('clientError', (err: ClientError, socket: SocketWithResponse) => {
    const started = socket._httpMessage?.headersSent === true;
    if (err.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const error = refusalFor(err);
    const { requestId, body, contentType } = render(error);
    const head = [
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Bad Request'}`,
      `Content-Type: ${contentType}`,
      `Content-Length: ${body.length}`,
      `x-acs-request-id: ${requestId}`,
      `Date: ${new Date().toUTCString()}`,
      ...cors.map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    // A peer that never reads must not hold the socket.
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });

  const refuse = (res: ServerResponse, error: ApiErrorLike): void => {
    const { requestId, body, contentType } = render(error);
    res.shouldKeepAlive = false;
    res.writeHead(error.status, {
      'content-type': contentType,
      'content-length': body.length,
      'x-acs-request-id': requestId,
      ...Object.fromEntries(cors),
      connection: 'close',
    });
    res.end(body);
  };
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => refuse(res, REFUSALS.expectation));
  const hostCheck = server as Server & { requireHostHeader?: boolean };
  if (hostCheck.requireHostHeader !== false) {
    // Node answers a Host-less HTTP/1.1 request itself, with a bare 400 and no event: take that
    // check over, in front of the request listeners already attached (the app).
    const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    if (listeners.length === 0) throw new TypeError('answerRefusedRequests(server): attach it after the request listener (http.createServer(app))');
    hostCheck.requireHostHeader = false;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
        refuse(res, REFUSALS.missingHost);
        return;
      }
      for (const listener of listeners) listener.call(server, req, res);
    });
  }
  return server;
}
