/**
 * `authenticate(options)`: Signature V1/V3 authentication as Koa middleware, for services that do not
 * use the RPC API (with it, pass `signatureAuthenticator(...)` as `createRpcApi({ authenticate })`).
 */
import type { Context, Middleware } from 'koa';
import { signatureAuthenticator, type SignatureAuthenticatorOptions } from '../auth/signature-authenticator.js';
import { standaloneActionInfo } from '../auth/standalone-action.js';
import type { Authenticator } from '../rpc/pipeline.js';
import { koaRpcRequest } from './rpc-request.js';

declare module 'koa' {
  interface DefaultState {
    /** The authenticated caller (set by `authenticate()` or the RPC API's authentication step). */
    caller?: import('../rpc/pipeline.js').Caller;
  }
}

/** Options of {@link authenticate}: the authenticator's, plus which requests need no signature. */
export interface AuthenticateOptions extends SignatureAuthenticatorOptions {
  /** Requests for which this returns true pass unauthenticated (`ctx.state.caller` stays undefined). */
  anonymous?: (ctx: Context) => boolean;
}

/**
 * Koa middleware that authenticates every request (Signature V1 or V3) and sets `ctx.state.caller`
 * before calling the next middleware; a failure is thrown as an ApiError and rendered by
 * `envelope()`, which must be mounted before it. Nonces of requests that end in a 5xx are released
 * (see `releaseNonceOnServerError`).
 *
 * @param options the authenticator's options, or an {@link Authenticator} made elsewhere
 * @example
 * const app = new Koa();
 * app.use(envelope());
 * app.use(authenticate({ credentials: staticCredentials({ 'my-ak': { secret: process.env.SECRET! } }), anonymous: (ctx) => ctx.path === '/health' }));
 * app.use((ctx) => { ctx.state.action = 'WhoAmI'; ctx.body = { AccessKeyId: ctx.state.caller?.accessKeyId }; });
 */
export function authenticate(options: AuthenticateOptions | Authenticator): Middleware {
  const authenticator = typeof options === 'function' ? options : signatureAuthenticator(options);
  const anonymous = typeof options === 'function' ? undefined : options.anonymous;
  return async function authenticateRequest(ctx, next) {
    const state = ctx.state.openapi;
    if (state === undefined) throw new TypeError('authenticate() needs envelope() mounted before it');
    if (anonymous?.(ctx) === true) return next();
    const request = koaRpcRequest(ctx, state);
    // No action table here: every request is treated as a call to a real action.
    ctx.state.caller = await authenticator(request, standaloneActionInfo(state.params.all, ctx.headers));
    return next();
  };
}
