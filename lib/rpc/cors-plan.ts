/**
 * What an RPC endpoint does about CORS for one request, framework-free: the adapters (`koaRpc`,
 * `expressRpc`) only copy the headers onto their response and, for a preflight, answer 204.
 */
import { corsHeaders, preflightHeaders, type CorsOptions } from '../core/cors.js';

/** The CORS part of the answer to one request. */
export interface CorsAnswer {
  /** True for a preflight (`OPTIONS`): answer 204 with `headers` and nothing else. */
  readonly preflight: boolean;
  /** Headers to set before anything else happens (they are kept on error envelopes too). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Plans the CORS answer to a request from its method and `Access-Control-Request-Headers`. */
export type CorsPlanner = (method: string, requestedHeaders: string | string[] | undefined) => CorsAnswer;

/**
 * The CORS planner of an RPC API's `cors` option, or undefined when CORS is off (then `OPTIONS` is
 * an ordinary request, refused as `UnsupportedHTTPMethod` by the API).
 *
 * @example
 * const cors = rpcCorsPlanner(api.options.cors);
 * const answer = cors?.(req.method, req.headers['access-control-request-headers']);
 * if (answer !== undefined) { res.set(answer.headers); if (answer.preflight) return res.status(204).end(); }
 */
export function rpcCorsPlanner(option: boolean | CorsOptions | undefined): CorsPlanner | undefined {
  if (option === undefined || option === false) return undefined;
  const cors: CorsOptions = option === true ? {} : option;
  return (method, requestedHeaders) =>
    method === 'OPTIONS'
      ? { preflight: true, headers: preflightHeaders(cors, requestedHeaders === '' ? undefined : requestedHeaders) }
      : { preflight: false, headers: corsHeaders(cors) };
}
