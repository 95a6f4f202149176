/**
 * `expressRpc(api)`: serve an RPC API on Express, the way `koaRpc(api)` does on Koa.
 *
 * The package's Express entry (`aliyun-openapi-middleware/express`) has `envelope()`, `handle()` and
 * `errorHandler()` but no RPC mounting yet, so the example carries this small adapter: it hands the
 * request to `api.call()` (Action/Version dispatch, authentication, throttling, parameters,
 * ClientToken, handler) and sends the outcome through `handle()`.
 */
import { Router, type Request, type Response } from 'express';
import { handle, openapiState } from '../../lib/express/index.js';
import { onResponseSettled, type RpcApi, type RpcRequest } from '../../lib/index.js';

/** What the handlers of an Express-served API get as their context. */
export interface ExpressContext {
  readonly req: Request;
  readonly res: Response;
}

/** The raw path and query of the request target (Signature V3 signs the path as sent). */
function target(req: Request): { path: string; querystring: string } {
  const url = req.originalUrl ?? req.url;
  const hash = url.indexOf('#');
  const end = hash === -1 ? url.length : hash;
  const question = url.indexOf('?');
  if (question === -1 || question > end) return { path: url.slice(0, end), querystring: '' };
  return { path: url.slice(0, question), querystring: url.slice(question + 1, end) };
}

/**
 * An Express router serving `api` at its path. Mount `envelope()` before it and `errorHandler()`
 * after it.
 *
 * @example
 * const api = createEcsApi<ExpressContext>({ instances, authenticate });
 * app.use(envelope({ hostId: 'ecs.example.local' }));
 * app.use(expressRpc(api));
 * app.use(errorHandler());
 */
export function expressRpc(api: RpcApi<ExpressContext>): Router {
  const router = Router();
  router.all(
    api.options.path,
    handle(async (req, res) => {
      const { path, querystring } = target(req);
      const request: RpcRequest = {
        method: req.method,
        path,
        querystring,
        headers: req.headers,
        state: openapiState(res),
        clientIp: req.socket.remoteAddress ?? '',
        onSettled: onResponseSettled(res),
      };
      const outcome = await api.call(
        request,
        { req, res },
        {
          resolved(action, caller) {
            res.locals.action = action; // names the XML root <ActionResponse>
            res.locals.caller = caller;
          },
        },
      );
      res.status(outcome.status);
      return outcome.data;
    }),
  );
  return router;
}
