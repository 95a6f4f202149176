/**
 * `koaRoa(api)`: serve a ROA API on Koa.
 */
import type { Context, Middleware } from 'koa';
import { formatFromHeaders } from '../core/format.js';
import { koaRpcRequest } from '../koa/rpc-request.js';
import type { RoaApi } from './api.js';
import { readRoaBody } from './read-body.js';
import { renderRoaSuccess } from './render.js';

/**
 * Koa middleware serving every route of `api`: it answers every request that reaches it, a path or
 * method no route declares with `InvalidAction.NotFound` 404, so mount it after `envelope()` and
 * after any RPC API (`koaRpc`, which serves its own path only). Responses are JSON unless `Accept`
 * prefers XML; success bodies are the handler's data (docs/roa.md §Responses).
 *
 * @example
 * const api = createRoaApi<Context>({ version: '2015-12-15' });
 * api.route('GET', '/clusters/:ClusterId', { action: 'DescribeClusterDetail', handler: ({ path }) => ({ cluster_id: path.ClusterId }) });
 * app.use(envelope());
 * app.use(koaRpc(ecsApi));
 * app.use(koaRoa(api));
 */
export function koaRoa(api: RoaApi<Context>): Middleware {
  return async function roaDispatch(ctx) {
    const state = ctx.state.openapi;
    if (state === undefined) throw new TypeError('koaRoa(api) needs envelope() mounted before it');
    state.format = formatFromHeaders(ctx.headers, 'JSON');
    await readRoaBody(ctx.req, state, api.options);
    const outcome = await api.call(koaRpcRequest(ctx, state), ctx, {
      resolved(action, caller) {
        ctx.state.action = action;
        ctx.state.caller = caller;
      },
    });
    if (outcome.data === undefined) {
      ctx.body = null;
      ctx.status = outcome.status;
      return;
    }
    const rendered = renderRoaSuccess(state.format, outcome.action, outcome.data, outcome.status, { requestId: state.requestId, requestIdKey: outcome.requestIdKey });
    ctx.body = rendered.body;
    ctx.status = rendered.status;
    ctx.set('Content-Type', rendered.contentType);
  };
}
