/**
 * The request as the RPC pipeline sees it (`RpcRequest`), built from a Koa context; the Express
 * adapter builds the same fields in lib/express/rpc-request.ts.
 */
import type { Context } from 'koa';
import type { OpenApiState } from '../core/exchange.js';
import { onResponseSettled } from '../auth/response-settled.js';
import type { RpcRequest } from '../rpc/pipeline.js';

/**
 * An `RpcRequest` for a Koa exchange: method, path, raw query string, headers, the envelope's
 * state, `ctx.ip` (which follows Koa's `app.proxy`) and a settle hook on the response.
 *
 * @example
 * const request = koaRpcRequest(ctx, ctx.state.openapi!);
 */
export function koaRpcRequest(ctx: Context, state: OpenApiState): RpcRequest {
  return {
    method: ctx.method,
    path: ctx.path,
    querystring: ctx.querystring,
    headers: ctx.headers,
    state,
    // Read only when a step needs it (anonymous throttling): Koa's ctx.ip parses X-Forwarded-For.
    get clientIp() {
      return ctx.ip;
    },
    onSettled: onResponseSettled(ctx.res),
  };
}
