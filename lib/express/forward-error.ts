/**
 * Passing a thrown value to Express's `next()` without it being mistaken for "no error".
 *
 * Express treats `next()`, `next(null)`, `next(0)`, `next('')` and `next(false)` as success and
 * `next('route')` / `next('router')` as routing instructions, so a handler that throws or rejects
 * with one of those values would silently continue. Such values travel wrapped and
 * `errorHandler()` unwraps them, so they are rendered exactly as Koa renders them.
 */
import type { NextFunction } from 'express';

const WRAPPED = Symbol.for('aliyun-openapi-middleware.express.thrown');

/** An Error carrying a thrown value that `next()` would not treat as an error. */
interface WrappedThrow extends Error {
  readonly [WRAPPED]: unknown;
}

/**
 * Call `next` with anything thrown, as an error.
 *
 * @example
 * promise.then(undefined, (err: unknown) => forwardError(next, err));
 */
export function forwardError(next: NextFunction, thrown: unknown): void {
  if (thrown && thrown !== 'route' && thrown !== 'router') {
    next(thrown);
    return;
  }
  const wrapper = new Error(`Non-error thrown: ${String(thrown)}`) as Error & { [WRAPPED]?: unknown };
  wrapper[WRAPPED] = thrown;
  next(wrapper);
}

/**
 * The value originally thrown, for an error passed on by `forwardError`.
 *
 * @example
 * const thrown = unwrapThrown(err);
 */
export function unwrapThrown(err: unknown): unknown {
  if (typeof err === 'object' && err !== null && WRAPPED in err) return (err as WrappedThrow)[WRAPPED];
  return err;
}
