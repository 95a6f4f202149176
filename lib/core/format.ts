/**
 * Which format a response is written in.
 *
 * Rule (docs/protocol.md §1.4): an explicit `Format` parameter wins (compared
 * case-insensitively); without one, a request signed with V3 (`Authorization: ACS3-...`) or whose
 * `Accept` header prefers JSON over XML gets JSON; otherwise the service's default (XML unless
 * configured). An unknown or repeated `Format` is an `InvalidParameter` error about `Format`.
 */
import Negotiator from 'negotiator';
import { errors } from './errors/index.js';
import type { ParamRecord } from './params/urlencoded.js';

/** A response format. */
export type Format = 'XML' | 'JSON';

const XML_FIRST = ['application/xml', 'text/xml', 'application/json'];
const JSON_FIRST = ['application/json', 'application/xml', 'text/xml'];

/**
 * The format implied by the request headers alone (no `Format` parameter).
 *
 * @example
 * formatFromHeaders({ accept: 'application/json' }, 'XML'); // 'JSON'
 */
export function formatFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>, defaultFormat: Format): Format {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('ACS3-')) return 'JSON';
  const accept = headers.accept;
  if (typeof accept !== 'string' || accept.length === 0 || accept === '*/*') return defaultFormat;
  const preferred = new Negotiator({ headers: { accept } }).mediaType(defaultFormat === 'XML' ? XML_FIRST : JSON_FIRST);
  if (preferred === undefined) return defaultFormat;
  return preferred === 'application/json' ? 'JSON' : 'XML';
}

/**
 * Parse a `Format` parameter value; undefined when absent. Throws `InvalidParameter` "Format" for
 * an unknown or repeated value.
 *
 * @example
 * formatFromParams(params); // 'JSON' for Format=json
 */
export function formatFromParams(params: ParamRecord): Format | undefined {
  const value = params.Format;
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const upper = value.toUpperCase();
    if (upper === 'JSON' || upper === 'XML') return upper;
  }
  throw new errors.InvalidParameter('Format');
}
