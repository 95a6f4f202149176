/**
 * `koaRpc(api)`: mount an RPC API on Koa, on @koa/router.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { RpcApi } from '../rpc/api.js';
import { rpcCorsPlanner } from '../rpc/cors-plan.js';
import { koaRpcRequest } from './rpc-request.js';

declare module 'koa' {
  interface DefaultState {
    /** The authenticated caller (set by the RPC API's authentication step). */
    caller?: import('../rpc/pipeline.js').Caller;
  }
}

/**
 * Koa middleware serving `api` at its path: GET and POST dispatch on Action and Version; any
 * other method is `UnsupportedHTTPMethod` (OPTIONS answers a CORS preflight when `cors` is on).
 * Requires `envelope()` earlier in the chain.
 *
 * @example
 * const api = createRpcApi<Context>({ version: '2014-05-26' });
 * api.action('DescribeRegions', { handler: () => ({ Regions: { Region: [] } }) });
 * app.use(envelope());
 * app.use(koaRpc(api));
 */
export function koaRpc(api: RpcApi<Context>): Middleware {
  const router = new Router();
  const cors = rpcCorsPlanner(api.options.cors);
  router.all(api.options.path, async function rpcDispatch(ctx) {
    const state = ctx.state.openapi;
    if (state === undefined) throw new TypeError('koaRpc(api) needs envelope() mounted before it');
    if (cors !== undefined) {
      const answer = cors(ctx.method, ctx.headers['access-control-request-headers']);
      ctx.set({ ...answer.headers });
      if (answer.preflight) {
        ctx.status = 204;
        return;
      }
    }
    const request = koaRpcRequest(ctx, state);
    const outcome = await api.call(request, ctx, {
      resolved(action, caller) {
        ctx.state.action = action;
        ctx.state.caller = caller;
      },
    });
    ctx.status = outcome.status;
    ctx.body = outcome.data;
  });
  return router.routes() as Middleware;
}
