/**
 * The raw query string of a request target, for adapters whose framework does not expose one
 * (Koa has `ctx.querystring`; Express only a parsed `req.query`).
 */

/**
 * The text after the first `?` of a request target, without any `#fragment`; `''` when there is no
 * query. Like Node's `url.parse(target).query` (which Koa uses), it is left percent-encoded.
 *
 * @example
 * querystringOf('/?Action=DescribeRegions&Format=JSON'); // 'Action=DescribeRegions&Format=JSON'
 * querystringOf('/path#frag?x=1');                      // ''
 */
export function querystringOf(target: string): string {
  const hash = target.indexOf('#');
  const end = hash === -1 ? target.length : hash;
  const question = target.indexOf('?');
  if (question === -1 || question >= end) return '';
  return target.slice(question + 1, end);
}
