/**
 * Telling a promise (or any thenable) from a plain value, so that a step that answered synchronously
 * is used at once instead of waiting for a turn of the microtask queue.
 */

/**
 * True for a promise or any other thenable (an object or function with a `then` method).
 *
 * @example
 * const result = handler(params);
 * if (isThenable(result)) return Promise.resolve(result).then(finish);
 * return finish(result);
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
