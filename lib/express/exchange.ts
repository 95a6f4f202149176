/**
 * The per-request exchange of the Express adapter: the protocol state (also on `res.locals`), the
 * options it was begun with and its error reporter. Kept on the response under a registered
 * symbol, so `errorHandler()`, `handle()` and `sendData()` find what `envelope()` began, even when
 * two copies of the package (CommonJS and ESM) are loaded.
 */
import type { Request, Response } from 'express';
import { beginExchange, readQuery, type OpenApiState, type ReportedError } from '../core/exchange.js';
import { querystringOf } from '../core/request-target.js';
import type { ResolvedEnvelopeOptions } from '../core/options.js';
import type { ResolvedExpressOptions } from './options.js';
import { recordExchange } from '../core/exchange-record.js';

/** What the adapter keeps per request. */
export interface ExpressExchange {
  readonly options: ResolvedEnvelopeOptions;
  readonly state: OpenApiState;
  /** Report a server bug (already tagged with the RequestId). */
  readonly report: (err: ReportedError) => void;
}

const EXCHANGE = Symbol.for('aliyun-openapi-middleware.express.exchange');

type WithExchange = { [EXCHANGE]?: ExpressExchange };

/**
 * The exchange `envelope()` (or `errorHandler()`) began for this response, if any.
 *
 * @example
 * const exchange = exchangeOf(res);
 */
export function exchangeOf(res: Response): ExpressExchange | undefined {
  return (res as unknown as WithExchange)[EXCHANGE];
}

/**
 * Begin an exchange: a RequestId (`res.locals.requestId`, header `x-acs-request-id`), the format
 * implied by the headers, and `res.locals.openapi`.
 *
 * @example
 * const exchange = attachExchange(req, res, resolved);
 */
export function attachExchange(req: Request, res: Response, resolved: ResolvedExpressOptions): ExpressExchange {
  const state = beginExchange(resolved.envelope, req.headers);
  const onError = resolved.onError;
  const report = (err: ReportedError): void => {
    try {
      onError(err, req);
    } catch (reporterFailure) {
      // A failing reporter must not turn an answered request into an unanswered one.
      console.error('aliyun-openapi-middleware: onError threw while reporting', err, reporterFailure);
    }
  };
  const exchange: ExpressExchange = { options: resolved.envelope, state, report };
  Object.defineProperty(res, EXCHANGE, { value: exchange, configurable: true, enumerable: false, writable: false });
  // res.locals exists under Express; a bare `http` response (tests, other routers) gets one.
  const locals = (res.locals ??= Object.create(null) as Response['locals']);
  locals.openapi = state;
  locals.requestId = state.requestId;
  res.setHeader('x-acs-request-id', state.requestId);
  const { corsHeaders, onExchange } = resolved.envelope;
  if (corsHeaders !== undefined) for (const name of Object.keys(corsHeaders)) res.setHeader(name, corsHeaders[name] as string);
  if (onExchange !== undefined) recordExchange(req, res, state, onExchange, () => ({ action: locals.action, caller: locals.caller }), report);
  return exchange;
}

/**
 * The exchange for a response reaching `errorHandler()` without `envelope()` (an error raised by
 * middleware mounted before it): begun from the handler's own options, with the format chosen
 * from the headers and, when it parses, the query string. The body is never read here.
 *
 * @example
 * const exchange = exchangeOf(res) ?? lateExchange(req, res, fallback);
 */
export function lateExchange(req: Request, res: Response, resolved: ResolvedExpressOptions): ExpressExchange {
  const exchange = attachExchange(req, res, resolved);
  try {
    readQuery(exchange.options, exchange.state, querystringOf(req.originalUrl ?? req.url ?? ''));
  } catch {
    // A malformed query or a bad Format: the error being rendered wins; the header format stays.
  }
  return exchange;
}
