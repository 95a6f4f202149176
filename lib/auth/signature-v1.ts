/**
 * Alibaba Cloud OpenAPI Signature V1 (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`),
 * docs/protocol.md §4. Pure functions: the caller supplies the decoded parameters and the received method.
 */
import {
  canonicalQuery,
  canonicalQueryEncoded,
  namesMayOrderDifferently,
  type NameOrder,
  type ParamMap,
} from './canonical-query.js';
import { constantTimeEqual } from './constant-time.js';
import { hmac } from './digests.js';

/** The only parameter left out of the V1 string to sign. */
export const V1_SIGNATURE_PARAM = 'Signature';

const V1_EXCLUDED: readonly string[] = [V1_SIGNATURE_PARAM];

/** Canonical base64 of a 20-byte HMAC-SHA1: 26 free chars, one whose low 2 bits are zero, then `=`. */
const WELL_FORMED_V1_SIGNATURE = /^[A-Za-z0-9+/]{26}[AEIMQUYcgkosw048]=$/;

/**
 * CanonicalizedQueryString of V1: every received parameter except `Signature` (empty values included),
 * names sorted by code point, POP-encoded, `&`-joined.
 *
 * Repeated names: no SDK sends a name twice on purpose, but HTTP allows it; each value is emitted as its
 * own `name=value` pair, in received order (the order the query/body parser saw them). This makes the
 * string an exact function of what arrived, so a client that signs repeated keys in wire order verifies.
 *
 * @param params the decoded union of query and form body (null-prototype; a repeated name is an array)
 * @param order name order, default `'code-point'` (see `NameOrder`)
 * @returns the canonical query string (not yet encoded a second time)
 * @example
 * const params = Object.assign(Object.create(null), { Action: 'DescribeRegions', AccessKeyId: 'testid', Signature: 'x' });
 * canonicalQueryV1(params); // 'AccessKeyId=testid&Action=DescribeRegions'
 */
export function canonicalQueryV1(params: ParamMap, order: NameOrder = 'code-point'): string {
  return canonicalQuery(params, { exclude: V1_EXCLUDED, order });
}

/**
 * StringToSign of V1: `METHOD & %2F & popEncode(CanonicalizedQueryString)`.
 * The method is used exactly as received (HTTP methods are case-sensitive; Node always reports upper case).
 *
 * @param method the HTTP method actually received (`GET`, `POST`)
 * @param params the decoded union of query and form body
 * @param order name order, default `'code-point'`
 * @example
 * stringToSignV1('GET', params); // 'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions…'
 */
export function stringToSignV1(method: string, params: ParamMap, order: NameOrder = 'code-point'): string {
  // = method + '&%2F&' + popEncode(canonicalQueryV1(params, order)), without encoding the long string twice
  return method + '&%2F&' + canonicalQueryEncoded(params, { exclude: V1_EXCLUDED, order });
}

/**
 * Sign a V1 string: `base64(HMAC-SHA1(key = AccessKeySecret + "&", stringToSign))`.
 *
 * @param stringToSign the output of {@link stringToSignV1}
 * @param accessKeySecret the raw AccessKeySecret (the `&` is appended here)
 * @returns standard padded base64 (28 characters)
 * @example
 * signV1(stringToSignV1('GET', params), 'testsecret'); // 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=' for TV-1
 */
export function signV1(stringToSign: string, accessKeySecret: string): string {
  return hmac('sha1', accessKeySecret + '&', stringToSign, 'base64');
}

/**
 * Whether a received `Signature` value can be a V1 signature at all (canonical base64 of 20 bytes:
 * 28 characters, `[A-Za-z0-9+/]{27}=`). Lets the caller answer `IncompleteSignature` instead of
 * `SignatureDoesNotMatch` for truncated or otherwise garbled values.
 *
 * @example
 * isWellFormedV1Signature('OLeaidS1JvxuMvnyHOwuJ+uX5qY='); // true
 * isWellFormedV1Signature('OLeaidS1JvxuMvnyHOwuJ uX5qY='); // false ('+' decoded as a space)
 */
export function isWellFormedV1Signature(signature: unknown): signature is string {
  return typeof signature === 'string' && WELL_FORMED_V1_SIGNATURE.test(signature);
}

/** Input of {@link verifyV1}. */
export interface VerifyV1Input {
  /** The HTTP method actually received. */
  readonly method: string;
  /** The decoded union of query and form body (`Signature` in it is ignored). */
  readonly params: ParamMap;
  /** The received signature (decoded). */
  readonly signature: string;
  /** The AccessKeySecret looked up for the request's AccessKeyId. */
  readonly accessKeySecret: string;
}

/** Result of {@link verifyV1}. `stringToSign` is the server's (code-point order) string, for the error message. */
export interface V1Verification {
  readonly ok: boolean;
  readonly stringToSign: string;
}

/**
 * Verify a V1 signature in constant time.
 *
 * Names are sorted by code point. If (and only if) some parameter name holds a supplementary-plane
 * character, the UTF-16 order used by Node/Java SDKs can differ, and that ordering is tried as well:
 * both strings bind the same set of pairs, so accepting either does not weaken the check.
 *
 * @returns `{ ok, stringToSign }`; on failure, put `stringToSign` after
 *   `Specified signature is not matched with our calculation. server string to sign is:`
 * @example
 * const r = verifyV1({ method: 'GET', params, signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=', accessKeySecret: 'testsecret' });
 * if (!r.ok) throw new errors.SignatureDoesNotMatch({ message: PREFIX + r.stringToSign });
 */
export function verifyV1(input: VerifyV1Input): V1Verification {
  const stringToSign = stringToSignV1(input.method, input.params);
  if (constantTimeEqual(input.signature, signV1(stringToSign, input.accessKeySecret))) {
    return { ok: true, stringToSign };
  }
  if (namesMayOrderDifferently(Object.keys(input.params))) {
    const alternative = stringToSignV1(input.method, input.params, 'utf16');
    if (alternative !== stringToSign && constantTimeEqual(input.signature, signV1(alternative, input.accessKeySecret))) {
      return { ok: true, stringToSign: alternative };
    }
  }
  return { ok: false, stringToSign };
}
