/**
 * Options of the Express adapter: the core envelope options plus where server bugs are reported
 * (Express has no `error` event like Koa's `app.on('error')`).
 */
import type { Request } from 'express';
import { resolveEnvelopeOptions, type EnvelopeOptions, type ResolvedEnvelopeOptions } from '../core/options.js';
import type { ReportedError } from '../core/exchange.js';

/** Receives a server bug that was answered with `InternalError`; `err.requestId` names the request. */
export type ErrorReporter = (err: ReportedError, req: Request) => void;

/** Options of the Express `envelope()`. */
export interface ExpressEnvelopeOptions extends EnvelopeOptions {
  /**
   * Called with every server bug answered as `InternalError` (a thrown non-ApiError, data that
   * cannot be rendered), tagged with its RequestId. Typed errors are not reported. Default: written
   * to stderr with `console.error`, as Koa's default error listener does.
   */
  onError?: ErrorReporter;
}

/** Express options with every default applied. */
export interface ResolvedExpressOptions {
  readonly envelope: ResolvedEnvelopeOptions;
  readonly onError: ErrorReporter;
}

function logToStderr(err: ReportedError): void {
  console.error(`aliyun-openapi-middleware: InternalError (RequestId ${err.requestId ?? 'unknown'})`, err);
}

/**
 * Validate options and apply defaults; throws a TypeError for a bad option, at start-up.
 *
 * @example
 * const resolved = resolveExpressOptions({ defaultFormat: 'JSON', onError: (err) => log.error(err) });
 */
export function resolveExpressOptions(options: ExpressEnvelopeOptions = {}): ResolvedExpressOptions {
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('onError must be a function');
  return { envelope: resolveEnvelopeOptions(options), onError: options.onError ?? logToStderr };
}
