/**
 * `errorHandler()`: the last middleware of an Express OpenAPI service. Renders `next(err)` errors,
 * Express's own and its body parsers' errors, and "no route answered" as error envelopes.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { renderThrown } from '../core/exchange.js';
import { errors } from '../core/errors/index.js';
import { resolveExpressOptions, type ExpressEnvelopeOptions } from './options.js';
import { exchangeOf, lateExchange } from './exchange.js';
import { writeEnvelope } from './write-envelope.js';
import { unwrapThrown } from './forward-error.js';

/** Options of `errorHandler()`. */
export interface ErrorHandlerOptions extends ExpressEnvelopeOptions {
  /**
   * Answer requests no route answered with `InvalidAction` (403), as the Koa envelope does. Set to
   * `false` to let them pass on (to other middleware, or Express's own 404). Default `true`.
   */
  noRoute?: boolean;
}

/** What `errorHandler()` returns: mount it with `app.use(errorHandler())`. */
export type ErrorHandlers = [RequestHandler, ErrorRequestHandler] | [ErrorRequestHandler];

/**
 * The final middleware pair: a "no route answered" handler (`InvalidAction` 403) and an error
 * handler. Anything passed to `next(err)` is rendered by the core rules (shared with Koa): an
 * ApiError as itself; an error with an HTTP status (http-errors, body-parser's malformed or too
 * large bodies, Express's router) as the closest catalogue error; anything else as `InternalError`,
 * reported through `onError`. The options (format, HostId, Recommend, `onError`) are those of the
 * `envelope()` that began the request; the ones given here only serve requests that failed before
 * reaching `envelope()` (e.g. in a body parser mounted before it).
 *
 * @example
 * app.use(envelope());
 * app.use('/', router);
 * app.use(errorHandler());
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorHandlers {
  const { noRoute = true, ...envelopeOptions } = options;
  const fallback = resolveExpressOptions(envelopeOptions);

  const renderErrors: ErrorRequestHandler = function openApiErrorHandler(err: unknown, req, res, _next) {
    const exchange = exchangeOf(res) ?? lateExchange(req, res, fallback);
    writeEnvelope(res, exchange, renderThrown(exchange.options, exchange.state, unwrapThrown(err)));
  };
  if (!noRoute) return [renderErrors];

  const answerNoRoute: RequestHandler = function openApiNoRoute(req, res) {
    if (res.headersSent || res.writableEnded) return; // something answered, then called next()
    const exchange = exchangeOf(res) ?? lateExchange(req, res, fallback);
    writeEnvelope(res, exchange, renderThrown(exchange.options, exchange.state, new errors.InvalidAction()));
  };
  return [answerNoRoute, renderErrors];
}
