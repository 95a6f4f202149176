/**
 * One hostile case: what is sent (as structured parts, or as raw bytes) and what the client must
 * observe. `toRawRequest` turns the parts into bytes (signing at send time, with a fresh nonce and
 * timestamp unless the case fixes them).
 */
import { ECS_VERSION } from '../../examples/ecs/api.js';
import type { Framing, RawRequest } from './raw-client.js';
import { encodePairs, sign, type Pairs, type Signing } from './signing.js';

/** What is sent. */
export interface HostileRequest {
  /** Default `GET`. */
  readonly method?: string;
  /** Default `/`. */
  readonly path?: string;
  /**
   * Query parameters (POP-encoded on the wire; signing adds the common parameters), or a raw query
   * string sent as is (latin1 bytes; cannot be signed).
   */
  readonly query?: Pairs | { readonly raw: string };
  /** An urlencoded form body (sets the form content type unless `headers` name another). */
  readonly form?: Pairs;
  /** A raw body (with `headers` saying what it is). */
  readonly body?: Buffer;
  /** Extra header lines, raw. */
  readonly headers?: Pairs;
  readonly sign?: Signing;
  readonly framing?: Framing;
  readonly noHost?: boolean;
  /** Send the same bytes this many times (replays); the expectation is for the last. Default 1. */
  readonly times?: number;
}

/** What the client must observe: one outcome, or any of several (a race the package does not control). */
export type Expectation = Outcome | readonly Outcome[];

/** One acceptable outcome. */
export type Outcome =
  /**
   * An envelope with this status; `code` null means a success envelope. Requests Node's HTTP parser
   * refuses are envelopes too (`answerRefusedRequests`): no case accepts a bare response.
   */
  | { readonly status: number; readonly code: string | null; readonly format?: 'XML' | 'JSON'; readonly closes?: boolean }
  /** The client went away mid-request: no response, and nothing reported as a server bug. */
  | { readonly closed: true };

/** One case of the corpus. */
export interface HostileCase {
  readonly group: string;
  readonly name: string;
  readonly request: HostileRequest;
  readonly expect: Expectation;
  /** Requests sent first (e.g. creating what the case then reads); their answers must be envelopes. */
  readonly setup?: readonly HostileRequest[];
}

/**
 * Parameters every business call carries (Action and Version first, as SDKs send).
 *
 * @example
 * call('DescribeInstances', ['RegionId', 'cn-hangzhou']); // [['Action', …], ['Version', '2014-05-26'], ['RegionId', …]]
 */
export function call(action: string, ...rest: Pairs): Pairs {
  return [['Action', action], ['Version', ECS_VERSION], ...rest];
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The bytes to send for `request` to 127.0.0.1:`port`.
 *
 * @example
 * const raw = toRawRequest({ query: call('DescribeRegions'), sign: { version: 'V1' } }, port);
 */
export function toRawRequest(request: HostileRequest, port: number): RawRequest {
  const method = request.method ?? 'GET';
  const path = request.path ?? '/';
  const rawQuery = request.query !== undefined && 'raw' in request.query ? request.query.raw : undefined;
  const queryPairs: Pairs = request.query === undefined || rawQuery !== undefined ? [] : (request.query as Pairs);
  let query = queryPairs;
  let form = request.form;
  let signedHeaders: Pairs = [];
  if (request.sign !== undefined) {
    if (rawQuery !== undefined) throw new TypeError('a raw query cannot be signed');
    const signed = sign({ method, path, query, form, host: `127.0.0.1:${port}` }, request.sign);
    query = signed.query;
    form = signed.form;
    signedHeaders = signed.headers;
  }
  const queryText = rawQuery ?? encodePairs(query);
  const target = queryText === '' ? path : `${path}?${queryText}`;
  const headers: (readonly [string, string])[] = [...signedHeaders, ...(request.headers ?? [])];
  let body = request.body;
  if (form !== undefined) {
    body = Buffer.from(encodePairs(form), 'utf8');
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['Content-Type', FORM_TYPE]);
  }
  return {
    method,
    target,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(request.framing === undefined ? {} : { framing: request.framing }),
    ...(request.noHost === undefined ? {} : { noHost: request.noHost }),
  };
}
