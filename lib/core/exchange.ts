/**
 * One request/response exchange, independent of the web framework: the state the adapters keep
 * per request, reading parameters, and turning data or a thrown value into a rendered envelope.
 * The Koa and Express adapters are thin layers over these functions, so both send the same bytes.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { formatFromHeaders, formatFromParams, type Format } from './format.js';
import { parseUrlencoded, mergeParams, formBodyText, type ParamRecord } from './params/urlencoded.js';
import { readBody, hasBody, bodyTooLarge } from './params/read-body.js';
import { toApiError } from './errors/to-api-error.js';
import { errors } from './errors/index.js';
import type { ApiErrorLike } from './errors/api-error.js';
import { renderError, renderSuccess, type RenderedEnvelope } from './render/envelope.js';
import type { ResolvedEnvelopeOptions } from './options.js';

/** Request parameters: query, form body and their union (query first). */
export interface RequestParams {
  readonly query: ParamRecord;
  readonly body: ParamRecord;
  readonly all: ParamRecord;
}

/** Per-request protocol state, on `ctx.state.openapi` (Koa) or `res.locals.openapi` (Express). */
export interface OpenApiState {
  /** This request's RequestId (also in `x-acs-request-id`). */
  readonly requestId: string;
  /** The response format. */
  format: Format;
  /** Decoded parameters. */
  params: RequestParams;
  /** The raw form body bytes, when the envelope read the body (needed for Signature V3). */
  rawBody: Buffer | undefined;
  /** `Code` of the error envelope answered, once one is (for `onExchange`). */
  errorCode?: string | undefined;
  /** True once a ClientToken retry was answered with the stored result (for `onExchange`). */
  replayed?: boolean | undefined;
}

const EMPTY: ParamRecord = Object.freeze(Object.create(null)) as ParamRecord;

/**
 * Begin an exchange: a RequestId and the format implied by the headers.
 *
 * @example
 * const state = beginExchange(options, req.headers);
 */
export function beginExchange(options: ResolvedEnvelopeOptions, headers: IncomingHttpHeaders): OpenApiState {
  return {
    requestId: options.newRequestId(),
    format: formatFromHeaders(headers, options.defaultFormat),
    params: { query: EMPTY, body: EMPTY, all: EMPTY },
    rawBody: undefined,
  };
}

/**
 * True for an `application/x-www-form-urlencoded` request.
 *
 * @example
 * isFormRequest(req.headers);
 */
export function isFormRequest(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type);
}

/** Where the body comes from when another middleware read it first. */
export interface PreParsedBody {
  /** The parsed body object (e.g. `ctx.request.body`, `req.body`), or undefined when only raw bytes are known. */
  readonly parsed: unknown;
  /** Raw bytes, if the parser kept them (`rawBody`); parsed here when `parsed` is undefined. */
  readonly raw: Buffer | string | undefined;
}

/**
 * Read the query string alone into `state.params` and choose `state.format` from it. Throws an
 * ApiError (InvalidParameter) for malformed input or a bad `Format`; `state.format` is then still
 * the format implied by the headers. Used by `readParameters`, and by adapters that must render an
 * error for a request whose body cannot (or must not) be read.
 *
 * @example
 * readQuery(options, state, 'Action=DescribeRegions&Format=JSON');
 */
export function readQuery(
  options: ResolvedEnvelopeOptions,
  state: OpenApiState,
  querystring: string,
  counter: { count: number } = { count: 0 },
): ParamRecord {
  const query = parseUrlencoded(querystring, { maxParameters: options.maxParameters }, undefined, counter);
  state.params = { query, body: EMPTY, all: query };
  state.format = formatFromParams(query) ?? state.format;
  return query;
}

/**
 * Read the query string and the form body into `state.params` and choose `state.format`.
 * Throws an ApiError (InvalidParameter) for malformed or oversized input; `state.format` is already
 * the best known format when it throws. Without a form body to read (most requests: GET, or a body
 * that is not a form) everything is done when it returns undefined, with no promise and no turn of
 * the microtask queue; otherwise the returned promise settles once the body is read (and rejects
 * with those errors).
 *
 * @example
 * const pending = readParameters(options, state, req, querystring);
 * if (pending !== undefined) await pending;
 */
export function readParameters(
  options: ResolvedEnvelopeOptions,
  state: OpenApiState,
  req: IncomingMessage,
  querystring: string,
  preParsed?: PreParsedBody,
): Promise<void> | undefined {
  const counter = { count: 0 };
  const query = readQuery(options, state, querystring, counter);
  if (!isFormRequest(req.headers)) return undefined;
  return readFormBody(options, state, req, query, counter, preParsed);
}

async function readFormBody(
  options: ResolvedEnvelopeOptions,
  state: OpenApiState,
  req: IncomingMessage,
  query: ParamRecord,
  counter: { count: number },
  preParsed: PreParsedBody | undefined,
): Promise<void> {
  const limits = { maxParameters: options.maxParameters };
  let body: ParamRecord;
  if (preParsed !== undefined && preParsed.parsed !== undefined) {
    body = fromParsedBody(preParsed.parsed, limits.maxParameters, counter);
    if (preParsed.raw !== undefined) state.rawBody = Buffer.isBuffer(preParsed.raw) ? preParsed.raw : Buffer.from(preParsed.raw);
  } else if (preParsed !== undefined && preParsed.raw !== undefined) {
    const raw = Buffer.isBuffer(preParsed.raw) ? preParsed.raw : Buffer.from(preParsed.raw);
    if (raw.length > options.bodyLimit) throw bodyTooLarge(options.bodyLimit);
    state.rawBody = raw;
    body = parseUrlencoded(formBodyText(raw), limits, undefined, counter);
  } else {
    if (!hasBody(req) || req.readableEnded) return;
    const raw = await readBody(req, options);
    state.rawBody = raw;
    body = parseUrlencoded(formBodyText(raw), limits, undefined, counter);
  }
  state.params = { query, body, all: mergeParams(query, body) };
  state.format = formatFromParams(state.params.all) ?? state.format;
}

function fromParsedBody(parsed: unknown, maxParameters: number, counter: { count: number }): ParamRecord {
  const out: ParamRecord = Object.create(null) as ParamRecord;
  if (typeof parsed !== 'object' || parsed === null) return out;
  for (const name of Object.keys(parsed)) {
    const value = (parsed as Record<string, unknown>)[name];
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') throw new errors.InvalidParameter(name);
      if (++counter.count > maxParameters) {
        throw new errors.InvalidParameter({ message: `The request has more than ${maxParameters} parameters.` });
      }
    }
    out[name] = Array.isArray(value) ? (value as string[]).slice() : (value as string);
  }
  return out;
}

/** A rendered failure, with the original error when it must be reported (a server bug). */
export interface RenderedFailure {
  readonly envelope: RenderedEnvelope;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** `Code` of the error envelope; undefined for a success. */
  readonly code?: string | undefined;
  /** The error to emit on the app's `error` event, or undefined. */
  readonly report: Error | undefined;
}

/**
 * Render anything thrown as an error envelope; bugs become InternalError and are returned for
 * reporting, tagged with the RequestId.
 *
 * @example
 * const { envelope, report } = renderThrown(options, state, err);
 */
export function renderThrown(options: ResolvedEnvelopeOptions, state: OpenApiState, thrown: unknown): RenderedFailure {
  const { error, internal } = toApiError(thrown);
  const report = internal ? asReportable(thrown, state.requestId) : undefined;
  try {
    return { envelope: renderApiError(options, state, error), headers: safeHeaders(error), code: String(error.code), report };
  } catch (renderFailure) {
    // The error's own data could not be rendered: that is a bug too.
    return {
      envelope: renderApiError(options, state, new errors.InternalError()),
      headers: undefined,
      code: 'InternalError',
      report: asReportable(renderFailure, state.requestId),
    };
  }
}

function renderApiError(options: ResolvedEnvelopeOptions, state: OpenApiState, error: ApiErrorLike): RenderedEnvelope {
  const input = { requestId: state.requestId, hostId: options.hostId };
  const recommend = options.recommend?.({ code: error.code, ...input });
  return renderError(state.format, error, recommend === undefined ? input : { ...input, recommend });
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function safeHeaders(error: ApiErrorLike): Readonly<Record<string, string>> | undefined {
  const headers = error.headers;
  if (headers === undefined) return undefined;
  const safe: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = String(headers[name]);
    if (HEADER_NAME.test(name) && HEADER_VALUE.test(value)) safe[name] = value;
  }
  return safe;
}

/**
 * Render a success. Data that cannot be rendered is a bug: InternalError, reported.
 *
 * @example
 * const result = renderData(options, state, 'DescribeRegions', data, 200);
 */
export function renderData(
  options: ResolvedEnvelopeOptions,
  state: OpenApiState,
  action: string | undefined,
  data: object,
  status: number,
): RenderedFailure {
  try {
    return { envelope: renderSuccess(state.format, action, state.requestId, data, status), headers: undefined, report: undefined };
  } catch (err) {
    // ResponseDataError (invalid key, cycle, invalid Date) or a throwing toJSON(): a server bug.
    return renderThrown(options, state, err);
  }
}

/** Errors emitted for reporting carry the RequestId. */
export interface ReportedError extends Error {
  requestId?: string;
}

function asReportable(thrown: unknown, requestId: string): ReportedError {
  const err: ReportedError =
    thrown instanceof Error ? thrown : new Error(`Non-error thrown: ${describe(thrown)}`, { cause: thrown });
  try {
    err.requestId = requestId;
  } catch {
    // a frozen error: reported without the id
  }
  return err;
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value.slice(0, 200)) : String(value).slice(0, 200);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
