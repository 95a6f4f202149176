/**
 * `koaRpc(api)`: mount an RPC API on Koa.
 */
import type { Context, Middleware } from 'koa';
import type { CallHooks, RpcApi, RpcOutcome } from '../rpc/api.js';
import { rpcCorsPlanner } from '../rpc/cors-plan.js';
import { rpcPathMatcher } from '../rpc/path-matcher.js';
import { isThenable } from '../rpc/thenable.js';
import { koaRpcRequest } from './rpc-request.js';

declare module 'koa' {
  interface DefaultState {
    /** The authenticated caller (set by the RPC API's authentication step). */
    caller?: import('../rpc/pipeline.js').Caller;
  }
}

/** Before the handler runs, the Action (the XML root) and the caller go on `ctx.state`. */
const KOA_HOOKS: CallHooks<Context> = {
  resolved(action, caller, ctx) {
    ctx.state.action = action;
    ctx.state.caller = caller;
  },
};

function send(ctx: Context, outcome: RpcOutcome): void {
  ctx.status = outcome.status;
  ctx.body = outcome.data;
}

/**
 * Koa middleware serving `api` at its path (`ctx.path` in any letter case, with or without one
 * trailing `/`, as @koa/router matches a literal path; other paths go on to the next middleware):
 * GET and POST dispatch on Action and Version; any other method is `UnsupportedHTTPMethod`
 * (OPTIONS answers a CORS preflight when `cors` is on). Requires `envelope()` earlier in the chain.
 * A request whose steps all answer synchronously is served in the same turn.
 *
 * @example
 * const api = createRpcApi<Context>({ version: '2014-05-26' });
 * api.action('DescribeRegions', { handler: () => ({ Regions: { Region: [] } }) });
 * app.use(envelope());
 * app.use(koaRpc(api));
 */
export function koaRpc(api: RpcApi<Context>): Middleware {
  const matches = rpcPathMatcher(api.options.path);
  const cors = rpcCorsPlanner(api.options.cors);
  return function rpcDispatch(ctx, next) {
    if (!matches(ctx.path)) return next();
    const state = ctx.state.openapi;
    if (state === undefined) throw new TypeError('koaRpc(api) needs envelope() mounted before it');
    if (cors !== undefined) {
      const answer = cors(ctx.method, ctx.headers['access-control-request-headers']);
      ctx.set({ ...answer.headers });
      if (answer.preflight) {
        ctx.status = 204;
        return undefined;
      }
    }
    const outcome = api.serve(koaRpcRequest(ctx, state), ctx, KOA_HOOKS);
    if (isThenable(outcome)) return outcome.then((settled) => send(ctx, settled));
    send(ctx, outcome);
    return undefined;
  };
}
