/**
 * The error catalogue: one row per error the package can render.
 *
 * This table is the single source of truth. It generates the error classes (`errors[code]`),
 * the README's catalogue table and the test that walks every row.
 *
 * - `source: 'seed'` rows are the common error codes of the Alibaba Cloud "返回结果" (Response
 *   results) page, with its HTTP status and wording (straight ASCII quotes, as the live service
 *   sends, where the page shows typographic ones).
 * - `source: 'gateway'` rows are codes the live OpenAPI gateway answers with that the seed page
 *   does not list (docs/protocol.md §2.2).
 *
 * `message` is used when no parameter is given; `parameterMessage` (when present) when the error
 * is built with a parameter name: `{parameter}` is replaced by that name.
 */
export interface CatalogueRow {
  /** The identifier under which the class is exported (`errors.InvalidAccessKeyIdNotFound`). */
  readonly name: string;
  /** The wire code (`Code` in the envelope). Several rows may share a code (MissingParameter). */
  readonly code: string;
  /** HTTP status. */
  readonly status: number;
  /** Message without a parameter. */
  readonly message: string;
  /** Message template used when a parameter is named; `{parameter}` is filled in. */
  readonly parameterMessage?: string;
  /** Where the row comes from. */
  readonly source: 'seed' | 'gateway';
}

const MISSING = 'The input parameter "{parameter}" that is mandatory for processing this request is not supplied.';
const INVALID = 'The specified parameter "{parameter}" is not valid.';

/** Every error the package knows, in the seed page's order, then the gateway's own codes. */
export const CATALOGUE = [
  { name: 'IdempotentParameterMismatch', code: 'IdempotentParameterMismatch', status: 400, message: 'The request is retried with updated parameters.', source: 'seed' },
  { name: 'IllegalTimestamp', code: 'IllegalTimestamp', status: 400, message: 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.', source: 'seed' },
  { name: 'IncompleteSignature', code: 'IncompleteSignature', status: 400, message: 'The request signature does not conform to Aliyun standards.', source: 'seed' },
  { name: 'InsufficientBalance', code: 'InsufficientBalance', status: 400, message: 'Your account does not have enough balance.', source: 'seed' },
  { name: 'InvalidAccessKeyIdNotFound', code: 'InvalidAccessKeyId.NotFound', status: 400, message: 'The specified Access Key ID does not exist.', source: 'seed' },
  { name: 'InvalidOwner', code: 'InvalidOwner', status: 400, message: "OwnerId and OwnerAccount can't be used at one API access.", source: 'seed' },
  { name: 'InvalidOwnerAccount', code: 'InvalidOwnerAccount', status: 400, message: 'The specified OwnerAccount is not valid.', source: 'seed' },
  { name: 'InvalidOwnerId', code: 'InvalidOwnerId', status: 400, message: 'The specified OwnerId is not valid.', source: 'seed' },
  { name: 'InvalidParamater', code: 'InvalidParamater', status: 400, message: 'The specified parameter is not valid.', parameterMessage: INVALID, source: 'seed' },
  { name: 'InvalidParameter', code: 'InvalidParameter', status: 400, message: 'The specified parameter is not valid.', parameterMessage: INVALID, source: 'seed' },
  { name: 'InvalidParameterIsNull', code: 'InvalidParameter.IsNull', status: 400, message: 'The required parameter must be not null.', source: 'seed' },
  { name: 'MissingParameter', code: 'MissingParameter', status: 400, message: 'The input parameter that is mandatory for processing this request is not supplied.', parameterMessage: MISSING, source: 'seed' },
  { name: 'SignatureNonceUsed', code: 'SignatureNonceUsed', status: 400, message: 'The request signature nonce has been used.', source: 'seed' },
  { name: 'Throttling', code: 'Throttling', status: 400, message: 'You have made too many requests within a short time; your request is denied due to request throttling.', source: 'seed' },
  { name: 'UnsupportedParameter', code: 'UnsupportedParameter', status: 400, message: 'The parameters is unsupported.', parameterMessage: 'The parameter "{parameter}" is unsupported.', source: 'seed' },
  { name: 'UnknownError', code: 'UnknownError', status: 400, message: 'The request processing has failed due to some unknown error.', source: 'seed' },
  { name: 'ChargeTypeViolation', code: 'ChargeTypeViolation', status: 403, message: 'The operation is not permitted due to charge type of the instance.', source: 'seed' },
  { name: 'ForbiddenAccessKeyDisabled', code: 'Forbidden.AccessKeyDisabled', status: 403, message: 'The Access Key is disabled.', source: 'seed' },
  { name: 'ForbiddenNotSupportRAM', code: 'Forbidden.NotSupportRAM', status: 403, message: 'This action does not support accessed by RAM mode.', source: 'seed' },
  { name: 'ForbiddenRAM', code: 'Forbidden.RAM', status: 403, message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.", source: 'seed' },
  { name: 'ForbiddenRiskControl', code: 'Forbidden.RiskControl', status: 403, message: 'This operation is forbidden by Aliyun RiskControl system.', source: 'seed' },
  { name: 'ForbiddenSubUser', code: 'Forbidden.SubUser', status: 403, message: 'The specified action is not available for you.', source: 'seed' },
  { name: 'ForbiddenUnauthorized', code: 'Forbidden.Unauthorized', status: 403, message: 'User not authorized to operate on the specified resource.', source: 'seed' },
  { name: 'InvalidAccountNotFound', code: 'InvalidAccount.NotFound', status: 403, message: 'The specified Account does not exist.', source: 'seed' },
  { name: 'InvalidAction', code: 'InvalidAction', status: 403, message: 'Specified action is not valid.', source: 'seed' },
  { name: 'InvalidIdempotenceParameterMismatch', code: 'InvalidIdempotenceParameter.Mismatch', status: 403, message: 'The specified parameters are different from before.', source: 'seed' },
  { name: 'InvalidParameterOwnerAccount', code: 'InvalidParameter.OwnerAccount', status: 403, message: 'OwnerAccount is Invalid.', source: 'seed' },
  { name: 'InvalidParameterResourceOwnerAccount', code: 'InvalidParameter.ResourceOwnerAccount', status: 403, message: 'ResourceOwnerAccount is Invalid.', source: 'seed' },
  { name: 'LastTokenProcessing', code: 'LastTokenProcessing', status: 403, message: 'The last token request is processing.', source: 'seed' },
  { name: 'MissingOwnerParameter', code: 'MissingParameter', status: 403, message: 'The input parameter OwnerId,OwnerAccount that is mandatory for processing this request is not supplied.', source: 'seed' },
  { name: 'RealNameAuthenticationError', code: 'RealNameAuthenticationError', status: 403, message: 'Your account has not passed the real-name authentication yet.', source: 'seed' },
  { name: 'UnsupportedHTTPMethod', code: 'UnsupportedHTTPMethod', status: 403, message: 'This http method is not supported.', source: 'seed' },
  { name: 'InternalError', code: 'InternalError', status: 500, message: 'The request processing has failed due to some unknown error, exception or failure.', source: 'seed' },
  { name: 'ServiceUnavailable', code: 'ServiceUnavailable', status: 503, message: 'The request has failed due to a temporary failure of the server.', source: 'seed' },
  { name: 'ServiceUnavailableRegionMaintaining', code: 'ServiceUnavailable.RegionMaintaining', status: 503, message: 'System maintenance is in progress on the selected region, please wait a few minutes before trying again.', source: 'seed' },
  { name: 'SignatureDoesNotMatch', code: 'SignatureDoesNotMatch', status: 400, message: 'Specified signature is not matched with our calculation.', source: 'gateway' },
  { name: 'InvalidActionNotFound', code: 'InvalidAction.NotFound', status: 404, message: 'Specified api is not found, please check your url and method.', source: 'gateway' },
  { name: 'InvalidVersion', code: 'InvalidVersion', status: 400, message: 'Specified parameter Version is not valid.', source: 'gateway' },
  { name: 'InvalidTimeStampExpired', code: 'InvalidTimeStamp.Expired', status: 400, message: 'Specified time stamp or date value is expired.', source: 'gateway' },
  { name: 'InvalidTimeStampFormat', code: 'InvalidTimeStamp.Format', status: 400, message: 'Specified time stamp or date value is not well formatted.', source: 'gateway' },
  { name: 'InvalidAccessKeyIdInactive', code: 'InvalidAccessKeyId.Inactive', status: 400, message: 'Specified access key is disabled.', source: 'gateway' },
  { name: 'InvalidSecurityTokenExpired', code: 'InvalidSecurityToken.Expired', status: 400, message: 'Specified SecurityToken is expired.', source: 'gateway' },
  { name: 'InvalidSecurityTokenMalformed', code: 'InvalidSecurityToken.Malformed', status: 400, message: 'Specified SecurityToken is malformed.', source: 'gateway' },
  { name: 'InvalidSecurityTokenMismatchWithAccessKey', code: 'InvalidSecurityToken.MismatchWithAccessKey', status: 400, message: 'Specified SecurityToken mismatch with the AccessKey.', source: 'gateway' },
  { name: 'ThrottlingUser', code: 'Throttling.User', status: 400, message: 'Request was denied due to user flow control.', source: 'gateway' },
  { name: 'ThrottlingApi', code: 'Throttling.Api', status: 400, message: 'Request was denied due to api flow control.', source: 'gateway' },
  { name: 'InvalidProductNotFound', code: 'InvalidProduct.NotFound', status: 404, message: 'Cannot find product according to your specified domain.', source: 'gateway' },
] as const satisfies readonly CatalogueRow[];

/** Identifier of a catalogue class (`InvalidAccessKeyIdNotFound`). */
export type CatalogueName = (typeof CATALOGUE)[number]['name'];
/** Wire code of a catalogue entry (`InvalidAccessKeyId.NotFound`). */
export type CatalogueCode = (typeof CATALOGUE)[number]['code'];
