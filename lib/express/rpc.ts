/**
 * `expressRpc(api)`: serve an RPC API on Express 4 or 5, with the behaviour of `koaRpc(api)`.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { CallHooks, RpcApi, RpcOutcome } from '../rpc/api.js';
import type { Caller } from '../rpc/pipeline.js';
import { rpcCorsPlanner } from '../rpc/cors-plan.js';
import { pathOf } from '../core/request-target.js';
import { handle } from './handle.js';
import { openapiState } from './state.js';
import { expressRpcRequest } from './rpc-request.js';
import { rpcPathMatcher } from '../rpc/path-matcher.js';
import { isThenable } from '../rpc/thenable.js';

declare global {
  // Express's per-request state (merged into `res.locals`), declared next to a public export so
  // that it survives into the bundled declarations.
  namespace Express {
    interface Locals {
      /** The authenticated caller (set by `expressRpc()`'s authentication step or `authenticate()`). */
      caller?: Caller | undefined;
    }
  }
}

/**
 * What an action handler served by `expressRpc` receives as its second argument (Koa handlers get
 * the Koa `Context` there). Handlers that use only their parameters and the third argument
 * (`{ caller, request }`) run unchanged on both frameworks.
 */
export interface ExpressRpcContext {
  readonly req: Request;
  readonly res: Response;
}

/** Before the handler runs, the Action (the XML root) and the caller go on `res.locals`. */
const EXPRESS_HOOKS: CallHooks<ExpressRpcContext> = {
  resolved(action, caller, { res }) {
    res.locals.action = action;
    res.locals.caller = caller;
  },
};

/** The data `handle()` sends, after the status of the outcome. */
function sent(res: Response, outcome: RpcOutcome): object {
  res.statusCode = outcome.status;
  return outcome.data;
}

/**
 * Express middleware serving `api` at its path (relative to where it is mounted; matched like
 * `koaRpc`: any letter case, one optional trailing `/`): GET and POST dispatch on Action and
 * Version, any other method is `UnsupportedHTTPMethod` (OPTIONS answers a CORS preflight when the
 * API's `cors` is on). Before the handler runs, `res.locals.action` (the XML root) and
 * `res.locals.caller` are set. Other paths pass on to the next middleware. Needs `envelope()`
 * before it and `errorHandler()` after it, which renders every error; Express 4 and 5 alike.
 *
 * @example
 * const api = createRpcApi({ version: '2014-05-26' });
 * api.action('DescribeRegions', { handler: () => ({ Regions: { Region: [] } }) });
 * app.use(envelope());
 * app.use(expressRpc(api));
 * app.use(errorHandler());
 */
export function expressRpc(api: RpcApi<ExpressRpcContext>): RequestHandler {
  const matches = rpcPathMatcher(api.options.path);
  const cors = rpcCorsPlanner(api.options.cors);
  const dispatch = handle(function rpcDispatch(req, res) {
    const state = openapiState(res); // throws a TypeError without envelope()
    if (cors !== undefined) {
      const answer = cors(req.method, req.headers['access-control-request-headers']);
      for (const name of Object.keys(answer.headers)) res.setHeader(name, answer.headers[name] as string);
      if (answer.preflight) {
        res.statusCode = 204;
        res.end();
        return undefined;
      }
    }
    const outcome = api.serve(expressRpcRequest(req, res, state), { req, res }, EXPRESS_HOOKS);
    return isThenable(outcome) ? outcome.then((settled) => sent(res, settled)) : sent(res, outcome);
  });
  return function expressRpcRoute(req, res, next) {
    if (matches(pathOf(req.url ?? ''))) dispatch(req, res, next);
    else next();
  };
}
