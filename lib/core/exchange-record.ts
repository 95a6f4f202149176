/**
 * One record per exchange, for logs and metrics: what was asked (Action, Version, method), by whom
 * (the authenticated AccessKeyId, never a secret or a signature), and how it was answered (status,
 * Code, Format, bytes, time, ClientToken replay). Built when the response is sent (or its
 * connection closed first) and handed to the `onExchange` option of the Koa and Express envelopes.
 * Nothing here runs when that option is unset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Format } from './format.js';
import type { OpenApiState } from './exchange.js';
import { singleParam } from './params/urlencoded.js';
import { EMPTY_BODY_STATUSES } from './success.js';

/** What `onExchange` receives, once per request. Field names follow the protocol's casing. */
export interface ExchangeRecord {
  /** The RequestId answered (also in `x-acs-request-id`). */
  readonly RequestId: string;
  /**
   * The Action served, as the RPC API resolved it (or as the application set `ctx.state.action` /
   * `res.locals.action`); for a request refused before that, the `Action` parameter (or
   * `x-acs-action` header) as sent, when it is 1-128 characters; else undefined. Text sent by the
   * client: bound it before using it as a metric label (see docs/operations.md).
   */
  readonly Action: string | undefined;
  /** The `Version` parameter (or `x-acs-version` header) as sent, 1-128 characters; else undefined. */
  readonly Version: string | undefined;
  /** The AccessKeyId that signed the request, once authentication succeeded; else undefined. */
  readonly AccessKeyId: string | undefined;
  /** How the request was signed (`V1` / `V3`), once authentication succeeded; else undefined. */
  readonly SignatureVersion: 'V1' | 'V3' | undefined;
  /** The HTTP method. */
  readonly Method: string;
  /** The HTTP status sent (or about to be sent when the connection closed first). */
  readonly Status: number;
  /** `Code` of the error envelope answered; undefined for a success (or a body the envelope did not render). */
  readonly Code: string | undefined;
  /** The format of the answer. */
  readonly Format: Format;
  /**
   * Body bytes sent: the `Content-Length` of the answer (0 for HEAD, 204, 205 and 304), or
   * undefined when the length was not declared (a stream) or the response was not completed.
   */
  readonly BytesOut: number | undefined;
  /** Milliseconds from the start of the envelope to the end of the response. */
  readonly DurationMs: number;
  /** True when a ClientToken retry was answered with the stored result of the first call. */
  readonly Replayed: boolean;
  /** False when the connection closed before the whole response was sent. */
  readonly Completed: boolean;
}

/** The `onExchange` option: called once per request with its record. Keep it quick and non-throwing. */
export type ExchangeListener = (record: ExchangeRecord) => void;

/** What the adapter knows at the end of the exchange that the state does not hold. */
export interface ExchangeFacts {
  /** `ctx.state.action` / `res.locals.action`. */
  readonly action: unknown;
  /** `ctx.state.caller` / `res.locals.caller`. */
  readonly caller: { readonly accessKeyId: string; readonly signatureVersion: 'V1' | 'V3' } | undefined;
}

/**
 * Watch `res` and call `listener` once with the exchange's record when it is sent or its
 * connection closes first. `facts` is read then (the action and caller are known late); a listener
 * that throws is passed to `reportFailure` (the app's `error` event, or the Express `onError`), and the answer is not affected.
 *
 * @example
 * if (options.onExchange !== undefined) {
 *   recordExchange(ctx.req, ctx.res, state, options.onExchange, () => ({ action: ctx.state.action, caller: ctx.state.caller }), (err) => ctx.app.emit('error', err, ctx));
 * }
 */
export function recordExchange(
  req: IncomingMessage,
  res: ServerResponse,
  state: OpenApiState,
  listener: ExchangeListener,
  facts: () => ExchangeFacts,
  reportFailure: (err: Error) => void,
): void {
  const started = performance.now();
  let done = false;
  const settle = (): void => {
    if (done) return;
    done = true;
    res.off('finish', settle);
    res.off('close', settle);
    try {
      listener(buildRecord(req, res, state, facts(), performance.now() - started));
    } catch (err) {
      reportFailure(err instanceof Error ? err : new Error(`onExchange threw a non-error: ${String(err)}`));
    }
  };
  res.once('finish', settle);
  res.once('close', settle);
}

function buildRecord(req: IncomingMessage, res: ServerResponse, state: OpenApiState, facts: ExchangeFacts, durationMs: number): ExchangeRecord {
  const params = state.params.all;
  const completed = res.writableFinished;
  const caller = facts.caller;
  return {
    RequestId: state.requestId,
    Action: bounded(facts.action) ?? sent(singleParam(params, 'Action').value, req.headers['x-acs-action']),
    Version: sent(singleParam(params, 'Version').value, req.headers['x-acs-version']),
    AccessKeyId: caller?.accessKeyId,
    SignatureVersion: caller?.signatureVersion,
    Method: req.method ?? '',
    Status: res.statusCode,
    Code: state.errorCode,
    Format: state.format,
    BytesOut: completed ? bytesOut(req, res) : undefined,
    DurationMs: Math.round(durationMs * 1000) / 1000,
    Replayed: state.replayed === true,
    Completed: completed,
  };
}

function bounded(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}

function sent(param: string | undefined, header: string | string[] | undefined): string | undefined {
  return bounded(param) ?? bounded(header);
}

function bytesOut(req: IncomingMessage, res: ServerResponse): number | undefined {
  if (req.method === 'HEAD' || EMPTY_BODY_STATUSES.has(res.statusCode)) return 0;
  const length = Number(res.getHeader('content-length'));
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}
