/**
 * Framework-free signature core: Alibaba Cloud OpenAPI Signature V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256),
 * timestamps, and the POP percent-encoding they share.
 */
export { popEncode } from './percent-encode.js';
export {
  canonicalQuery,
  compareCodePoints,
  namesMayOrderDifferently,
  type NameOrder,
  type ParamMap,
} from './canonical-query.js';
export { constantTimeEqual } from './constant-time.js';
export {
  V1_SIGNATURE_PARAM,
  canonicalQueryV1,
  isWellFormedV1Signature,
  signV1,
  stringToSignV1,
  verifyV1,
  type V1Verification,
  type VerifyV1Input,
} from './signature-v1.js';
export {
  hashHexV3,
  hmacHexV3,
  isSupportedV3Algorithm,
  supportedV3Algorithms,
  type V3Algorithm,
} from './algorithms-v3.js';
export {
  parseAuthorizationV3,
  type AuthorizationV3,
  type AuthorizationV3Failure,
  type AuthorizationV3Parse,
} from './authorization-v3.js';
export {
  REQUIRED_IF_PRESENT_SIGNED_HEADERS_V3,
  REQUIRED_SIGNED_HEADERS_V3,
  canonicalHeaderValue,
  canonicalHeadersV3,
  checkSignedHeadersV3,
  type HeaderMap,
  type SignedHeadersCheck,
  type SignedHeadersPolicy,
} from './signed-headers-v3.js';
export {
  canonicalRequestV3,
  canonicalUriV3,
  payloadHashMatches,
  sha256Hex,
  signV3,
  stringToSignV3,
  verifyV3,
  type CanonicalRequestV3Input,
  type V3Verification,
  type VerifyV3Input,
} from './signature-v3.js';
export {
  DEFAULT_TIMESTAMP_WINDOW_MS,
  checkTimestamp,
  parseTimestamp,
  type TimestampCheck,
} from './timestamp.js';
export {
  staticCredentials,
  type Credentials,
  type CredentialsLookup,
  type CredentialsAnswer,
  type CredentialsProvider,
  type StaticCredentialsProvider,
  type StaticKey,
} from './credentials.js';
export {
  SIGNATURE_MISMATCH_PREFIX,
  describeWindow,
  signatureDoesNotMatch,
  timestampError,
  type TimestampErrorCodes,
} from './authentication-errors.js';
export { NonceGuard, type NonceClaim, type NonceGuardOptions } from './nonce-guard.js';
export { onResponseSettled } from './response-settled.js';
export { isV3Request, readV1Fields, readV3Fields, type NamedTimestamp, type V1Fields, type V3Fields } from './signed-request-fields.js';
export {
  DEFAULT_NONCE_STORE_ENTRIES,
  DEFAULT_NONCE_TTL_MS,
  RawBodyUnavailableError,
  signatureAuthenticator,
  type SecurityTokenCheck,
  type SecurityTokenCheckInput,
  type SignatureAuthenticatorOptions,
  type SignatureVersion,
} from './signature-authenticator.js';
export {
  canonicalHeadersRoa,
  canonicalResourceRoa,
  contentMd5,
  isRoaV1Request,
  parseRoaAuthorization,
  signRoa,
  stringToSignRoa,
  verifyRoaV1,
  type RoaAuthorization,
  type RoaStringToSignInput,
  type RoaV1Verification,
  type VerifyRoaV1Input,
} from './roa-signature-v1.js';
export { parseHttpDate, readRoaV1Fields, type RoaV1Fields } from './roa-fields.js';
