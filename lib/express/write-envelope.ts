/**
 * Writing a rendered envelope to an Express (Node) response, with the same status, headers, in the
 * same order, and body as the Koa adapter sends.
 */
import type { Response } from 'express';
import type { RenderedFailure } from '../core/exchange.js';
import { EMPTY_BODY_STATUSES, keptOnError } from '../core/success.js';
import type { ExpressExchange } from './exchange.js';

/**
 * Send a rendered success or error; report it first when it hides a server bug. An error envelope
 * replaces every header set before it except CORS policy headers (keeping `x-acs-request-id` and
 * adding the error's own headers). When the response has already started, nothing can be rendered: the connection is
 * closed so the client sees a failure, not a truncated success.
 *
 * @example
 * writeEnvelope(res, exchange, renderThrown(exchange.options, exchange.state, err));
 */
export function writeEnvelope(res: Response, exchange: ExpressExchange, rendered: RenderedFailure): void {
  if (rendered.report !== undefined) exchange.report(rendered.report);
  if (res.headersSent || res.writableEnded || res.destroyed) {
    res.socket?.destroy();
    return;
  }
  const { envelope, headers } = rendered;
  if (rendered.code !== undefined) exchange.state.errorCode = rendered.code; // errors only: successes keep the state's shape
  if (envelope.status >= 400) {
    for (const name of res.getHeaderNames()) if (!keptOnError(name)) res.removeHeader(name);
    res.setHeader('x-acs-request-id', exchange.state.requestId);
    if (headers !== undefined) for (const name of Object.keys(headers)) res.setHeader(name, headers[name] as string);
  }
  res.statusCode = envelope.status;
  if (EMPTY_BODY_STATUSES.has(envelope.status)) {
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    res.end();
    return;
  }
  res.setHeader('Content-Type', envelope.contentType);
  res.setHeader('Content-Length', Buffer.byteLength(envelope.body, 'utf8'));
  res.end(envelope.body, 'utf8');
}
