/**
 * `sendData()`: answer with a success envelope from any Express handler.
 */
import type { Response } from 'express';
import { renderData } from '../core/exchange.js';
import { actionFor } from '../core/action-name.js';
import { isEnvelopeData, successStatus } from '../core/success.js';
import { exchangeOf } from './exchange.js';
import { writeEnvelope } from './write-envelope.js';

/** Options of `sendData()`. */
export interface SendDataOptions {
  /** The Action served: names the XML root `<Action>Response`. Default `res.locals.action`, then the request's Action. */
  action?: string;
}

/**
 * Send `data` as the success envelope: RequestId first, in the request's format, with the status
 * the handler set when it is 2xx (else 200). Data that cannot be rendered (a key that is not an XML
 * name, a cycle, an invalid Date) is a server bug: `InternalError` is sent and reported instead.
 * Throws a TypeError when `envelope()` is not mounted before the handler or `data` is not a plain
 * object. Use it instead of `res.json()`, which knows nothing of envelopes.
 *
 * @example
 * app.get('/', (req, res) => {
 *   sendData(res, { Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } }, { action: 'DescribeRegions' });
 * });
 */
export function sendData(res: Response, data: object, options: SendDataOptions = {}): void {
  const exchange = exchangeOf(res);
  if (exchange === undefined) throw new TypeError('sendData(): envelope() must be mounted before this handler');
  if (!isEnvelopeData(data)) throw new TypeError('sendData(): the response data must be a plain object');
  const { options: resolved, state } = exchange;
  // Only XML names its root after the Action.
  const action = state.format === 'XML' ? actionFor(options.action ?? res.locals.action, state.params.all, res.req.headers, resolved) : undefined;
  writeEnvelope(res, exchange, renderData(resolved, state, action, data, successStatus(res.statusCode)));
}
