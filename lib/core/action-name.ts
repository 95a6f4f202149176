/**
 * The Action that names the XML success root.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ParamRecord } from './params/urlencoded.js';
import type { ResolvedEnvelopeOptions } from './options.js';
import { isXmlName } from './render/xml-name.js';

/**
 * The Action for `<Action>Response`: the one set by the application, else the request's `Action`
 * parameter or `x-acs-action` header when it makes a valid XML name, else the configured fallback.
 *
 * @example
 * actionFor(undefined, params, req.headers, options); // 'DescribeRegions'
 */
export function actionFor(
  fromState: unknown,
  params: ParamRecord,
  headers: IncomingHttpHeaders,
  options: Pick<ResolvedEnvelopeOptions, 'fallbackAction'>,
): string {
  for (const candidate of [fromState, params.Action, headers['x-acs-action']]) {
    if (typeof candidate === 'string' && candidate.length <= 128 && isXmlName(`${candidate}Response`)) return candidate;
  }
  return options.fallbackAction;
}
