/**
 * `authenticate(options)`: Signature V1/V3 authentication as Express middleware, for services that do
 * not use the RPC API (with it, pass `signatureAuthenticator(...)` as `createRpcApi({ authenticate })`).
 */
import type { Request, RequestHandler, Response } from 'express';
import { signatureAuthenticator, type SignatureAuthenticatorOptions } from '../auth/signature-authenticator.js';
import { standaloneActionInfo } from '../auth/standalone-action.js';
import type { Authenticator, Caller } from '../rpc/pipeline.js';
import { exchangeOf } from './exchange.js';
import { forwardError } from './forward-error.js';
import { expressRpcRequest } from './rpc-request.js';

/** Options of the Express {@link authenticate}: the authenticator's, plus which requests need no signature. */
export interface AuthenticateOptions extends SignatureAuthenticatorOptions {
  /** Requests for which this returns true pass unauthenticated (`res.locals.caller` stays undefined). */
  anonymous?: (req: Request, res: Response) => boolean;
}

/**
 * Express middleware that authenticates every request (Signature V1 or V3) and sets
 * `res.locals.caller` before calling the next middleware; a failure goes to `next(err)` and is
 * rendered by `errorHandler()`. Mount `envelope()` before it (it reads the parameters and keeps the
 * raw body Signature V3 needs). Nonces of requests that end in a 5xx are released (see
 * `releaseNonceOnServerError`). Express 4 and 5.
 *
 * @param options the authenticator's options, or an {@link Authenticator} made elsewhere
 * @example
 * app.use(envelope());
 * app.use(authenticate({ credentials: staticCredentials({ 'my-ak': { secret: process.env.SECRET! } }), anonymous: (req) => req.path === '/health' }));
 * app.get('/', handle((_req, res) => { res.locals.action = 'WhoAmI'; return { AccessKeyId: res.locals.caller?.accessKeyId }; }));
 * app.use(errorHandler());
 */
export function authenticate(options: AuthenticateOptions | Authenticator): RequestHandler {
  const authenticator = typeof options === 'function' ? options : signatureAuthenticator(options);
  const anonymous = typeof options === 'function' ? undefined : options.anonymous;
  return function authenticateRequest(req, res, next) {
    const exchange = exchangeOf(res);
    if (exchange === undefined) {
      forwardError(next, new TypeError('authenticate() needs envelope() mounted before it'));
      return;
    }
    let pending: Promise<Caller> | undefined;
    try {
      if (anonymous?.(req, res) !== true) {
        const { state } = exchange;
        // No action table here: every request is treated as a call to a real action.
        // Promise.resolve: a hand-written authenticator may return a Caller synchronously (Koa's await accepts it).
        pending = Promise.resolve(authenticator(expressRpcRequest(req, res, state), standaloneActionInfo(state.params.all, req.headers)));
      }
    } catch (err) {
      forwardError(next, err);
      return;
    }
    if (pending === undefined) {
      next();
      return;
    }
    pending.then(
      (caller) => {
        res.locals.caller = caller;
        next();
      },
      (err: unknown) => forwardError(next, err),
    );
  };
}
