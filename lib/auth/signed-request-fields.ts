/**
 * Reading the authentication fields of a request, V1 (common parameters) and V3 (`Authorization`
 * and `x-acs-*` headers), with the presence and shape checks that come first in the protocol's
 * order (docs/protocol.md §4.2).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../core/errors/index.js';
import type { ParamRecord } from '../core/params/urlencoded.js';
import { parseAuthorizationV3, type AuthorizationV3 } from './authorization-v3.js';

/** A timestamp and the name it came under (`Timestamp`, `TimeStamp` or `x-acs-date`). */
export interface NamedTimestamp {
  readonly name: string;
  readonly value: string;
}

/** The authentication fields of a V1 request. */
export interface V1Fields {
  readonly accessKeyId: string;
  readonly signature: string;
  readonly timestamp: NamedTimestamp;
  readonly nonce: string;
  readonly securityToken: string | undefined;
}

/** The authentication fields of a V3 request. */
export interface V3Fields {
  readonly authorization: AuthorizationV3;
  readonly timestamp: NamedTimestamp;
  readonly nonce: string;
  /** The received `x-acs-content-sha256`. */
  readonly contentSha256: string;
  readonly securityToken: string | undefined;
}

/** The value of a parameter given at most once; `undefined` when absent. Repeated → `InvalidParameter`. */
function single(params: ParamRecord, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new errors.InvalidParameter({ parameter: name, message: `The parameter "${name}" must not be given more than once.` });
}

/** A required, non-empty, single parameter. */
function required(params: ParamRecord, name: string): string {
  const value = single(params, name);
  if (value === undefined || value === '') throw new errors.MissingParameter(name);
  return value;
}

function requiredTimestamp(params: ParamRecord): NamedTimestamp {
  const modern = single(params, 'Timestamp');
  const old = single(params, 'TimeStamp');
  if (modern !== undefined && old !== undefined) {
    throw new errors.InvalidParameter({ parameter: 'Timestamp', message: 'Give either Timestamp or TimeStamp, not both.' });
  }
  const [name, value] = old !== undefined ? ['TimeStamp', old] : ['Timestamp', modern];
  if (value === undefined || value === '') throw new errors.MissingParameter('Timestamp');
  return { name, value };
}

/**
 * Read and check the V1 common parameters, in this order: `AccessKeyId`, `Signature`, `Timestamp`
 * (or `TimeStamp`), `SignatureNonce` present (`MissingParameter`); then `SignatureMethod` is
 * `HMAC-SHA1` (any case) and `SignatureVersion` is `1.0` (`InvalidParamater`, the seed's spelling).
 * A parameter given twice is `InvalidParameter`.
 *
 * @param params the decoded union of query and form body
 * @example
 * const fields = readV1Fields(request.state.params.all); // throws MissingParameter "AccessKeyId" when absent
 */
export function readV1Fields(params: ParamRecord): V1Fields {
  const accessKeyId = required(params, 'AccessKeyId');
  const signature = required(params, 'Signature');
  const timestamp = requiredTimestamp(params);
  const nonce = required(params, 'SignatureNonce');
  const method = single(params, 'SignatureMethod');
  if (method === undefined || method.toUpperCase() !== 'HMAC-SHA1') throw new errors.InvalidParamater('SignatureMethod');
  if (single(params, 'SignatureVersion') !== '1.0') throw new errors.InvalidParamater('SignatureVersion');
  const securityToken = single(params, 'SecurityToken');
  return { accessKeyId, signature, timestamp, nonce, securityToken: securityToken === '' ? undefined : securityToken };
}

/** A header given at most once; `undefined` when absent or empty. Repeated → `InvalidParameter`. Shared with the ROA reader (roa-fields.ts). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new errors.InvalidParameter({ parameter: name, message: `The header "${name}" must not be given more than once.` });
  }
  return value;
}

function requiredHeader(headers: IncomingHttpHeaders, name: string): string {
  const value = header(headers, name);
  if (value === undefined) throw new errors.MissingParameter(name);
  return value;
}

/**
 * True when the request carries an `Authorization: ACS3-…` header (a Signature V3 request).
 *
 * @example
 * isV3Request(req.headers); // true for 'ACS3-HMAC-SHA256 Credential=…'
 */
export function isV3Request(headers: IncomingHttpHeaders): boolean {
  const value = headers.authorization;
  return typeof value === 'string' && value.trimStart().startsWith('ACS3-');
}

/**
 * Read and check the V3 fields, in this order: the `Authorization` header parses
 * (`IncompleteSignature` when malformed or for an algorithm this server cannot verify); then
 * `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` present (`MissingParameter` with the
 * header name). The SecurityToken is the `x-acs-security-token` header, or a `SecurityToken` query
 * parameter; both present and different is `InvalidSecurityToken.Malformed`.
 *
 * @param headers the request headers (lower-case names)
 * @param query the decoded query parameters
 * @example
 * const fields = readV3Fields(request.headers, request.state.params.query);
 */
export function readV3Fields(headers: IncomingHttpHeaders, query: ParamRecord): V3Fields {
  const parsed = parseAuthorizationV3(String(headers.authorization));
  if (!parsed.ok) throw new errors.IncompleteSignature({ message: `The request signature does not conform to Aliyun standards: ${parsed.message}` });
  const date = requiredHeader(headers, 'x-acs-date');
  const nonce = requiredHeader(headers, 'x-acs-signature-nonce');
  const contentSha256 = requiredHeader(headers, 'x-acs-content-sha256');
  const fromHeader = header(headers, 'x-acs-security-token');
  const fromQuery = single(query, 'SecurityToken') || undefined;
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw new errors['InvalidSecurityToken.Malformed']({ message: 'The x-acs-security-token header and the SecurityToken parameter differ.' });
  }
  return {
    authorization: parsed.value,
    timestamp: { name: 'x-acs-date', value: date },
    nonce,
    contentSha256,
    securityToken: fromHeader ?? fromQuery,
  };
}
