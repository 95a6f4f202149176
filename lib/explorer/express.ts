/**
 * The explorer on Express: `app.use(explorer(api, { path: '/explorer' }))`.
 */
import type { RequestHandler } from 'express';
import type { ExplorerOptions } from './options.js';
import type { ReferenceSource } from '../reference/model.js';
import { explorerResponder } from './serve.js';

/**
 * Serve the API explorer page (reference, forms that sign in the browser) at `options.path`
 * (matched against the full request path, so mount it with `app.use(explorer(…))`, not under a
 * prefix); other requests pass through. Off unless mounted.
 *
 * @example
 * const api = createRpcApi<ExpressRpcContext>({ version: '2014-05-26', authenticate });
 * app.use(explorer(api, { path: '/explorer' }));
 * app.use(envelope());
 * app.use(expressRpc(api));
 */
export function explorer(api: ReferenceSource, options: ExplorerOptions): RequestHandler {
  const respond = explorerResponder(api, options);
  return (req, res, next) => {
    const pathname = new URL(req.originalUrl, 'http://explorer.invalid').pathname;
    const answer = respond(req.method, pathname);
    if (answer === undefined) {
      next();
      return;
    }
    res.status(answer.status).set(answer.headers).send(answer.body);
  };
}
