/**
 * The explorer on Koa: `app.use(explorer(api, { path: '/explorer' }))`.
 */
import type { Middleware } from 'koa';
import type { ExplorerOptions } from './options.js';
import type { ReferenceSource } from '../reference/model.js';
import { explorerResponder } from './serve.js';

/**
 * Serve the API explorer page (reference, forms that sign in the browser) at `options.path`;
 * other requests pass through. Off unless mounted: mount it only where people may try the API.
 *
 * @example
 * const api = createRpcApi<Koa.Context>({ version: '2014-05-26', authenticate });
 * app.use(explorer(api, { path: '/explorer' }));
 * app.use(envelope());
 * app.use(koaRpc(api));
 */
export function explorer(api: ReferenceSource, options: ExplorerOptions): Middleware {
  const respond = explorerResponder(api, options);
  return async (ctx, next) => {
    const answer = respond(ctx.method, ctx.path);
    if (answer === undefined) return next();
    ctx.status = answer.status;
    ctx.set(answer.headers);
    ctx.body = answer.body;
  };
}
