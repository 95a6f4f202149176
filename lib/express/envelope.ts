/**
 * `envelope()`: the Express middleware that begins every OpenAPI exchange. Express 4 and 5.
 */
import type { Request, RequestHandler } from 'express';
import { readParameters, renderThrown, type OpenApiState, type PreParsedBody } from '../core/exchange.js';
import { querystringOf } from '../core/request-target.js';
import { resolveExpressOptions, type ExpressEnvelopeOptions } from './options.js';
import { attachExchange, exchangeOf } from './exchange.js';
import { writeEnvelope } from './write-envelope.js';

declare global {
  // Express's own extension point for per-request state (merged into `res.locals`); declared
  // here, next to a public export, so that it survives into the bundled declarations.
  namespace Express {
    interface Locals {
      /** Protocol state (set by `envelope()`). */
      openapi?: OpenApiState;
      /** This request's RequestId (set by `envelope()`; also the `x-acs-request-id` header). */
      requestId?: string;
      /** The Action being served: names the XML root `<Action>Response`. */
      action?: string;
    }
  }
}

/** Fields body parsers leave on the request. */
interface ParsedRequest {
  body?: unknown;
  /** Raw body kept by a parser (`express.urlencoded({ verify })` users often set it). */
  rawBody?: unknown;
  /** Set by body-parser 1.x (Express 4) once it has read the body. */
  _body?: unknown;
}

/**
 * The OpenAPI envelope for Express (4 and 5): the same protocol, byte for byte, as the Koa
 * `envelope()`.
 *
 * Sets a RequestId (`res.locals.requestId`, header `x-acs-request-id`), chooses XML or JSON, reads
 * an urlencoded form body itself (left as `req.body`, raw bytes as `res.locals.openapi.rawBody`)
 * unless a body parser mounted earlier already read it, and exposes `res.locals.openapi`. Malformed
 * parameters, a bad `Format` and oversized bodies are answered here with an error envelope.
 * Answer with `handle()` or `sendData()`; mount `errorHandler()` last.
 *
 * @example
 * const app = express();
 * app.use(envelope({ hostId: 'ecs.example.com' }));
 * app.get('/', handle(async () => ({ Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } })));
 * app.use(errorHandler());
 */
export function envelope(options: ExpressEnvelopeOptions = {}): RequestHandler {
  const resolved = resolveExpressOptions(options);
  return function openApiEnvelope(req, res, next) {
    if (exchangeOf(res) !== undefined) {
      next(); // mounted twice (app and router): the first one owns the exchange
      return;
    }
    const exchange = attachExchange(req, res, resolved);
    const preParsed = preParsedBody(req);
    const target = req.originalUrl ?? req.url ?? '';
    const onRead = (): void => {
      if (preParsed === undefined && exchange.state.rawBody !== undefined) {
        // The envelope consumed the stream: later middleware gets the form as req.body, and body
        // parsers (body-parser 1.x checks `_body`, 2.x sees the ended stream) skip it.
        req.body = exchange.state.params.body;
        (req as ParsedRequest)._body = true;
      }
      next();
    };
    const onError = (err: unknown): void => {
      writeEnvelope(res, exchange, renderThrown(exchange.options, exchange.state, err));
    };
    let pending: Promise<void> | undefined;
    try {
      pending = readParameters(resolved.envelope, exchange.state, req, querystringOf(target), preParsed);
    } catch (err) {
      onError(err);
      return;
    }
    if (pending === undefined) onRead(); // nothing left to read: on to the handler at once
    else pending.then(onRead, onError);
  };
}

/** The body as a parser mounted before the envelope left it, or undefined when it is unread. */
function preParsedBody(req: Request): PreParsedBody | undefined {
  const parsed = req as ParsedRequest;
  if (parsed._body !== true && !req.readableEnded) return undefined;
  const body = parsed.body;
  const bodyIsRaw = Buffer.isBuffer(body) || typeof body === 'string';
  const raw = Buffer.isBuffer(parsed.rawBody) || typeof parsed.rawBody === 'string' ? parsed.rawBody : bodyIsRaw ? body : undefined;
  return { parsed: bodyIsRaw ? undefined : body, raw };
}
