/**
 * `handle()`: an Express handler that returns the response data (or throws an error), on Express 4
 * and 5 alike.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isEnvelopeData } from '../core/success.js';
import { sendData } from './send-data.js';
import { forwardError } from './forward-error.js';
import { isThenable } from '../rpc/thenable.js';

/** What a handler wrapped by `handle()` returns. */
export type HandlerResult = object | undefined | void;

/** A handler wrapped by `handle()`. */
export type DataHandler = (req: Request, res: Response, next: NextFunction) => HandlerResult | Promise<HandlerResult>;

/**
 * Wrap a (usually async) handler: the plain object it returns (or resolves to) is sent as the
 * success envelope; anything it throws or rejects with goes to `next(err)`, for `errorHandler()`,
 * on Express 4 too (which would otherwise leave the request hanging). Returning `undefined` (or
 * `res`) means the handler answered itself or called `next()`. Returning anything else (an array,
 * a string, a class instance) is a server bug, answered as `InternalError`.
 *
 * @example
 * app.post('/', handle(async (req, res) => {
 *   const { params } = openapiState(res);
 *   if (params.all.RegionId === undefined) throw new errors.MissingParameter('RegionId');
 *   res.locals.action = 'DescribeZones';
 *   return { Zones: { Zone: await zonesIn(params.all.RegionId) } };
 * }));
 */
export function handle(fn: DataHandler): RequestHandler {
  if (typeof fn !== 'function') throw new TypeError('handle() needs a handler function');
  return function openApiHandler(req, res, next) {
    const deliver = (value: unknown): void => {
      if (value === undefined || value === res) return;
      if (!isEnvelopeData(value)) {
        forwardError(next, new TypeError(`a handle() handler returned ${describe(value)}; return a plain object or undefined`));
        return;
      }
      try {
        sendData(res, value);
      } catch (err) {
        forwardError(next, err);
      }
    };
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      result = fn(req, res, next);
    } catch (err) {
      forwardError(next, err);
      return;
    }
    if (isThenable(result)) result.then(deliver, (err: unknown) => forwardError(next, err));
    else deliver(result);
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (typeof value === 'object') return `an instance of ${(value as object).constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}
