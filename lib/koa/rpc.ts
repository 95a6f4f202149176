/**
 * `koaRpc(api)`: mount an RPC API on Koa, on @koa/router.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { RpcApi } from '../rpc/api.js';
import type { RpcRequest } from '../rpc/pipeline.js';
import { corsHeaders, preflightHeaders } from '../core/cors.js';
import { onResponseSettled } from '../auth/response-settled.js';

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
  const cors = api.options.cors === true ? {} : api.options.cors === false ? undefined : api.options.cors;
  router.all(api.options.path, async function rpcDispatch(ctx) {
    const state = ctx.state.openapi;
    if (state === undefined) throw new TypeError('koaRpc(api) needs envelope() mounted before it');
    if (cors !== undefined) {
      if (ctx.method === 'OPTIONS') {
        ctx.set(preflightHeaders(cors, ctx.get('access-control-request-headers') || undefined));
        ctx.status = 204;
        return;
      }
      ctx.set(corsHeaders(cors));
    }
    const request: RpcRequest = {
      method: ctx.method,
      path: ctx.path,
      querystring: ctx.querystring,
      headers: ctx.headers,
      state,
      clientIp: ctx.ip,
      onSettled: onResponseSettled(ctx.res),
    };
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
