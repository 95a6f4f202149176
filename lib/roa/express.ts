/**
 * `expressRoa(api)`: serve a ROA API on Express 4 or 5, with the behaviour (and bytes) of `koaRoa(api)`.
 */
import type { RequestHandler } from 'express';
import { formatFromHeaders } from '../core/format.js';
import type { ExpressRpcContext } from '../express/rpc.js';
import { exchangeOf } from '../express/exchange.js';
import { forwardError } from '../express/forward-error.js';
import { expressRpcRequest } from '../express/rpc-request.js';
import { openapiState } from '../express/state.js';
import { writeEnvelope } from '../express/write-envelope.js';
import type { RoaApi } from './api.js';
import { readRoaBody } from './read-body.js';
import { renderRoaSuccess } from './render.js';

/**
 * Express middleware serving every route of `api`; like `koaRoa`, it answers every request that
 * reaches it (`InvalidAction.NotFound` 404 for undeclared paths and methods), so mount it after
 * `envelope()` and any `expressRpc`, and before `errorHandler()`, which renders its errors.
 *
 * @example
 * app.use(envelope());
 * app.use(expressRpc(ecsApi));
 * app.use(expressRoa(csApi));
 * app.use(errorHandler());
 */
export function expressRoa(api: RoaApi<ExpressRpcContext>): RequestHandler {
  return function expressRoaRoute(req, res, next) {
    const run = async (): Promise<void> => {
      const state = openapiState(res); // throws a TypeError without envelope()
      state.format = formatFromHeaders(req.headers, 'JSON');
      await readRoaBody(req, state, api.options);
      const outcome = await api.call(expressRpcRequest(req, res, state), { req, res }, {
        resolved(action, caller) {
          res.locals.action = action;
          res.locals.caller = caller;
        },
      });
      const envelope =
        outcome.data === undefined
          ? { status: outcome.status, contentType: '', body: '' }
          : renderRoaSuccess(state.format, outcome.action, outcome.data, outcome.status, { requestId: state.requestId, requestIdKey: outcome.requestIdKey });
      writeEnvelope(res, exchangeOf(res)!, { envelope, headers: undefined, report: undefined });
    };
    run().catch((err: unknown) => forwardError(next, err));
  };
}
