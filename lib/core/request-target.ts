/**
 * The raw path and query string of a request target, for adapters whose framework does not expose
 * them the way Koa does (Koa has `ctx.path` and `ctx.querystring`, from the `parseurl` package;
 * Express has a mount-relative `req.path` and a parsed `req.query`). Both are computed exactly as
 * `parseurl` computes them, so the adapters hand the protocol the same text.
 */
import { parse as legacyUrlParse } from 'node:url';

/** The path and query of a request target, left percent-encoded. */
export interface RequestTarget {
  /** The path, without query or `#fragment` (e.g. `'/'`, `'/api/v1'`). */
  readonly path: string;
  /** The text after the first `?`, without `?` or `#fragment`; `''` when there is none. */
  readonly querystring: string;
}

/**
 * Split a request target (`req.url`) into path and query exactly as Koa's `ctx.path` /
 * `ctx.querystring` do (`parseurl`): a target that starts with `/` and holds no `#`, whitespace,
 * U+00A0 or U+FEFF is split at its first `?`; any other (a fragment, an absolute URL) goes through
 * Node's `url.parse`, as `parseurl` does, which also escapes a few characters and turns `\` into `/`
 * before the query. Where `parseurl` would throw (a target Node cannot parse as a URL), the target is
 * split before its first `#` and at its first `?` instead.
 *
 * @example
 * requestTarget('/?Action=DescribeRegions&Format=JSON'); // { path: '/', querystring: 'Action=DescribeRegions&Format=JSON' }
 * requestTarget('/api?a=1#frag');                        // { path: '/api', querystring: 'a=1' }
 */
export function requestTarget(target: string): RequestTarget {
  if (target.charCodeAt(0) === 0x2f /* / */) {
    let question = -1;
    let simple = true;
    for (let i = 1; i < target.length && simple; i++) {
      switch (target.charCodeAt(i)) {
        case 0x3f /* ? */:
          if (question === -1) question = i;
          break;
        case 0x09:
        case 0x0a:
        case 0x0c:
        case 0x0d:
        case 0x20:
        case 0x23 /* # */:
        case 0xa0:
        case 0xfeff:
          simple = false;
          break;
      }
    }
    if (simple) {
      return question === -1 ? { path: target, querystring: '' } : { path: target.slice(0, question), querystring: target.slice(question + 1) };
    }
  }
  let parsed: ReturnType<typeof legacyUrlParse>;
  try {
    parsed = legacyUrlParse(target);
  } catch {
    // Not a URL Node can parse (`a:b`, a bad port): where `parseurl` throws, split before the first `#` instead.
    return splitPlainly(target);
  }
  return { path: parsed.pathname ?? '', querystring: typeof parsed.query === 'string' ? parsed.query : '' };
}

function splitPlainly(target: string): RequestTarget {
  const hash = target.indexOf('#');
  const end = hash === -1 ? target.length : hash;
  const question = target.indexOf('?');
  if (question === -1 || question >= end) return { path: target.slice(0, end), querystring: '' };
  return { path: target.slice(0, question), querystring: target.slice(question + 1, end) };
}

/**
 * The query string of a request target, as Koa's `ctx.querystring` (see {@link requestTarget}).
 *
 * @example
 * querystringOf('/?Action=DescribeRegions&Format=JSON'); // 'Action=DescribeRegions&Format=JSON'
 * querystringOf('/path#frag?x=1');                      // ''
 */
export function querystringOf(target: string): string {
  return requestTarget(target).querystring;
}

/**
 * The path of a request target, as Koa's `ctx.path` (see {@link requestTarget}).
 *
 * @example
 * pathOf('/api/v1?Action=DescribeRegions'); // '/api/v1'
 */
export function pathOf(target: string): string {
  return requestTarget(target).path;
}
