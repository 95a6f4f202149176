/**
 * Shorthands shared by the corpus files.
 */
import { call, type Expectation, type HostileCase, type HostileRequest } from '../case.js';
import type { Pairs, Signing } from '../signing.js';

export { call };
export const V1: Signing = { version: 'V1' };
export const V3: Signing = { version: 'V3' };

export const FORM: readonly [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];

/**
 * Expect an error envelope.
 *
 * @example
 * error(404, 'InvalidRegionId.NotFound', 'JSON');
 */
export function error(status: number, code: string, format?: 'XML' | 'JSON'): Expectation {
  return format === undefined ? { status, code } : { status, code, format };
}

/**
 * Expect a success envelope.
 *
 * @example
 * ok('XML');
 */
export function ok(format?: 'XML' | 'JSON'): Expectation {
  return format === undefined ? { status: 200, code: null } : { status: 200, code: null, format };
}

export const INVALID = error(400, 'InvalidParameter');
export const MISSING = error(400, 'MissingParameter');
export const INVALID_ACTION = error(403, 'InvalidAction');
export const UNSUPPORTED_METHOD = error(403, 'UnsupportedHTTPMethod');
export const INCOMPLETE_SIGNATURE = error(400, 'IncompleteSignature');
export const MISMATCH = error(400, 'SignatureDoesNotMatch');
export const ILLEGAL_TIMESTAMP = error(400, 'IllegalTimestamp');
export const KEY_NOT_FOUND = error(400, 'InvalidAccessKeyId.NotFound');
export const REGION_NOT_FOUND = error(404, 'InvalidRegionId.NotFound');

/**
 * Refused by Node's HTTP parser before any middleware runs: `answerRefusedRequests(server)` answers
 * an XML envelope (never Node's bare status line) and closes the connection.
 */
export const REFUSED = { status: 400, code: 'InvalidRequest.Malformed', format: 'XML', closes: true } as const;
/** Request line and headers over Node's header size limit: still an envelope, with Node's 431. */
export const HEADERS_TOO_LARGE = { status: 431, code: 'InvalidRequest.HeadersTooLarge', format: 'XML', closes: true } as const;
/** An `Expect` other than 100-continue: an envelope with 417. */
export const EXPECTATION_FAILED = { status: 417, code: 'InvalidRequest.ExpectationFailed', format: 'XML', closes: true } as const;

/**
 * DescribeInstances in cn-hangzhou plus `extra`.
 *
 * @example
 * describeInstances(['PageSize', '0']);
 */
export function describeInstances(...extra: Pairs): Pairs {
  return call('DescribeInstances', ['RegionId', 'cn-hangzhou'], ...extra);
}

/**
 * CreateInstance in cn-hangzhou plus `extra`.
 *
 * @example
 * createInstance(['ClientToken', 'token-1']);
 */
export function createInstance(...extra: Pairs): Pairs {
  return call('CreateInstance', ['RegionId', 'cn-hangzhou'], ['InstanceType', 'ecs.g7.large'], ...extra);
}

/**
 * A case builder for one group.
 *
 * @example
 * const lists = group('list indexes');
 * lists('index 0', signedGet(describeInstances(['InstanceId.0', 'i-1'])), INVALID);
 */
export function group(name: string): (caseName: string, request: HostileRequest, expect: Expectation, setup?: readonly HostileRequest[]) => HostileCase {
  return (caseName, request, expect, setup) => ({ group: name, name: caseName, request, expect, ...(setup === undefined ? {} : { setup }) });
}

/**
 * A signed V1 GET with these parameters.
 *
 * @example
 * signedGet(call('DescribeRegions'), { version: 'V3' });
 */
export function signedGet(query: Pairs, signing: Signing = V1): HostileRequest {
  return { query, sign: signing };
}

/**
 * A signed V1 POST: Action/Version and the common parameters in the query, `form` in the body.
 *
 * @example
 * signedPost(call('DescribeInstances'), [['RegionId', 'cn-hangzhou']]);
 */
export function signedPost(query: Pairs, form: Pairs, signing: Signing = V1): HostileRequest {
  return { method: 'POST', query, form, sign: signing };
}
