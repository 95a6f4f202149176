/**
 * Typed access to the protocol state of a request.
 */
import type { Response } from 'express';
import type { OpenApiState } from '../core/exchange.js';
import { exchangeOf } from './exchange.js';

/**
 * This request's protocol state (`res.locals.openapi`): RequestId, format, parameters, raw body.
 * Throws a TypeError when `envelope()` is not mounted before the caller.
 *
 * @example
 * const { requestId, params } = openapiState(res);
 * const regionId = params.all.RegionId;
 */
export function openapiState(res: Response): OpenApiState {
  const exchange = exchangeOf(res);
  if (exchange === undefined) throw new TypeError('openapiState(): envelope() must be mounted before this handler');
  return exchange.state;
}
