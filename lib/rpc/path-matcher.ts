/**
 * Matching a request path against an RPC API's path, for `koaRpc` and `expressRpc` alike: the rules
 * of @koa/router's default matching of a literal path (which `koaRpc` was first built on), without
 * a router on either framework (Express's rules differ between Express 4 and 5).
 */

/** Characters with a meaning in @koa/router (path-to-regexp 8) paths. */
const ROUTE_SYNTAX = /[:*?+(){}[\]!\\]/;

/**
 * A test for request paths (`parseurl` pathnames, still percent-encoded, as Koa's `ctx.path`) that
 * `path` serves: the same text, in any letter case, with or without one trailing `/`; this is
 * @koa/router's default matching of a literal path (`sensitive: false`, `strict: false`). Throws a
 * TypeError at start-up for a path with route syntax (`:id`, `*`, `{…}`, …): an RPC endpoint is one
 * literal path.
 *
 * @example
 * const matches = rpcPathMatcher('/api');
 * matches('/API/'); // true
 * matches('/api/x'); // false
 */
export function rpcPathMatcher(path: string): (requestPath: string) => boolean {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError("the RPC path must start with '/'");
  if (ROUTE_SYNTAX.test(path)) throw new TypeError(`the RPC path ${JSON.stringify(path)} must be a literal path (no ${ROUTE_SYNTAX.source} characters)`);
  const escaped = path.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
  const pattern = new RegExp(`^(?:${escaped})(?:\\/$)?$`, 'i');
  return (requestPath) => pattern.test(requestPath);
}
