/**
 * Map anything thrown downstream to the error that is rendered.
 *
 * - An ApiError (from any copy of the package) renders as itself.
 * - An error carrying an HTTP status (koa's `ctx.throw`, http-errors, body parsers, the router's
 *   405/501) maps to the closest catalogue entry by `STATUS_TO_CODE`. Its message is kept only when
 *   it is meant to be exposed (`expose === true`, which http-errors sets for 4xx) and says more than
 *   the bare status phrase; otherwise the catalogue message is used.
 * - Anything else (a bug, a thrown string) is `InternalError` 500 with the catalogue message; the
 *   caller reports the original through the app's `error` event.
 */
import { STATUS_CODES } from 'node:http';
import { isApiError, type ApiErrorLike } from './api-error.js';
import { errors, type CatalogueErrorClass } from './index.js';

/** How an error with an HTTP status but no OpenAPI code maps to the catalogue. */
export const STATUS_TO_CODE: Readonly<Record<number, CatalogueErrorClass>> = Object.freeze({
  400: errors.InvalidParameter,
  401: errors.ForbiddenUnauthorized,
  403: errors.ForbiddenUnauthorized,
  404: errors.InvalidAction,
  405: errors.UnsupportedHTTPMethod,
  411: errors.InvalidParameter,
  413: errors.InvalidParameter,
  414: errors.InvalidParameter,
  415: errors.InvalidParameter,
  429: errors.Throttling,
  431: errors.InvalidParameter,
  500: errors.InternalError,
  501: errors.UnsupportedHTTPMethod,
  502: errors.ServiceUnavailable,
  503: errors.ServiceUnavailable,
  504: errors.ServiceUnavailable,
});

/** The outcome of mapping: the error to render, and whether it hides a server bug. */
export interface MappedError {
  readonly error: ApiErrorLike;
  /** True when the original must be reported (it is not rendered). */
  readonly internal: boolean;
}

const MAX_EXPOSED_MESSAGE = 512;

/**
 * Map a thrown value to the ApiError to render.
 *
 * @example
 * const { error, internal } = toApiError(err);
 * if (internal) app.emit('error', err);
 */
export function toApiError(thrown: unknown): MappedError {
  if (isApiError(thrown)) return { error: thrown, internal: false };
  const status = httpStatusOf(thrown);
  if (status === undefined) return { error: new errors.InternalError(), internal: true };
  const cls = STATUS_TO_CODE[status] ?? (status >= 500 ? errors.InternalError : errors.InvalidParameter);
  const exposed = status < 500 && (thrown as { expose?: unknown }).expose === true;
  const message = exposed ? exposableMessage((thrown as { message?: unknown }).message, status) : undefined;
  return { error: new cls(message === undefined ? undefined : { message }), internal: cls === errors.InternalError };
}

function httpStatusOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { status?: unknown; statusCode?: unknown };
  const status = typeof v.status === 'number' ? v.status : v.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

function exposableMessage(message: unknown, status: number): string | undefined {
  // The bare status phrase ("Method Not Allowed") says less than the catalogue message.
  if (typeof message !== 'string' || message.length === 0 || message === STATUS_CODES[status]) return undefined;
  return message.length > MAX_EXPOSED_MESSAGE ? `${message.slice(0, MAX_EXPOSED_MESSAGE)}...` : message;
}
