/**
 * What a handler's result must be to become a success envelope, and the status it is sent with.
 * Shared by the Koa and Express adapters so that both wrap exactly the same values.
 */

/**
 * True for data the envelope wraps: a plain object (prototype `Object.prototype` or `null`).
 * Arrays, strings, Buffers, streams and class instances are not envelope data.
 *
 * @example
 * isEnvelopeData({ Regions: {} });      // true
 * isEnvelopeData(Buffer.from('x'));     // false
 */
export function isEnvelopeData(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The status of a success envelope: the one the application set when it is 2xx, else 200.
 *
 * @example
 * successStatus(201); // 201
 * successStatus(404); // 200 (the default status of a framework before anything answered)
 */
export function successStatus(status: number): number {
  return status >= 200 && status < 300 ? status : 200;
}

/** Statuses whose responses carry no body (their content headers are dropped too). */
export const EMPTY_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/**
 * True for a header set before an error that the error envelope keeps: CORS policy headers
 * (`access-control-*`), which a browser needs to read the error. Every other header the
 * application set belongs to the response that failed and is dropped.
 *
 * @example
 * keptOnError('access-control-allow-origin'); // true
 * keptOnError('content-disposition');         // false
 */
export function keptOnError(name: string): boolean {
  return name.toLowerCase().startsWith('access-control-');
}
