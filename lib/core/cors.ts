/**
 * CORS for OpenAPI endpoints (off by default): the headers of a preflight answer and of ordinary
 * responses, framework-free.
 */

/** CORS settings. */
export interface CorsOptions {
  /** `Access-Control-Allow-Origin`. Default `'*'`. */
  origin?: string;
  /** `Access-Control-Max-Age` of preflights, seconds. Default 600. */
  maxAgeSeconds?: number;
}

const TOKEN_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * Headers for every response (errors included).
 *
 * @example
 * corsHeaders({ origin: '*' }); // { 'access-control-allow-origin': '*', … }
 */
export function corsHeaders(options: CorsOptions): Record<string, string> {
  return {
    'access-control-allow-origin': options.origin ?? '*',
    'access-control-expose-headers': 'x-acs-request-id, x-acs-retry-after',
  };
}

/**
 * Headers answering a preflight; requested headers are echoed only when they are a plain token list.
 *
 * @example
 * preflightHeaders({}, req.headers['access-control-request-headers']);
 */
export function preflightHeaders(options: CorsOptions, requestedHeaders: string | string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    ...corsHeaders(options),
    'access-control-allow-methods': 'GET, POST',
    'access-control-max-age': String(options.maxAgeSeconds ?? 600),
  };
  if (typeof requestedHeaders === 'string' && requestedHeaders.length <= 1024 && TOKEN_LIST.test(requestedHeaders)) {
    headers['access-control-allow-headers'] = requestedHeaders;
  }
  return headers;
}
