/**
 * The errors the request pipeline itself may answer with, whatever the action: they belong to the
 * reference and the OpenAPI document of every API, next to each action's declared errors.
 */
import { errors, type CatalogueErrorClass } from '../../core/errors/index.js';
import type { ApiErrorLike } from '../../core/errors/api-error.js';
import type { DeclaredError } from './errors.js';

/** Which optional steps the API runs. */
export interface ProtocolSteps {
  readonly authenticate: boolean;
  readonly throttle: boolean;
  readonly idempotency: boolean;
}

/** Errors of the built-in signature checks (V1 and V3), when the API authenticates. */
const SIGNATURE_ERRORS: readonly CatalogueErrorClass[] = [
  errors.IncompleteSignature,
  errors.SignatureDoesNotMatch,
  errors.InvalidAccessKeyIdNotFound,
  errors.ForbiddenAccessKeyDisabled,
  errors.SignatureNonceUsed,
  errors.IllegalTimestamp,
  errors.InvalidTimeStampExpired,
  errors.InvalidTimeStampFormat,
  errors.InvalidSecurityTokenExpired,
  errors.InvalidSecurityTokenMalformed,
  errors.InvalidSecurityTokenMismatchWithAccessKey,
];

function asDeclared(error: { readonly code: string; readonly status: number; readonly message: string }): DeclaredError {
  return { code: error.code, status: error.status, message: error.message };
}

/**
 * The protocol's errors: the ones of Action/Version dispatch and HTTP method (from the API's
 * factories, so replaced errors are listed as replaced), parameter checking and internal errors,
 * then those of the optional steps the API runs. One entry per code and status.
 *
 * @example
 * protocolErrors([new errors.InvalidAction()], { authenticate: false, throttle: false, idempotency: false });
 */
export function protocolErrors(dispatch: readonly ApiErrorLike[], steps: ProtocolSteps): DeclaredError[] {
  const classes: CatalogueErrorClass[] = [errors.MissingParameter, errors.InvalidParameter, errors.UnsupportedParameter, errors.InvalidOwner];
  if (steps.authenticate) classes.push(...SIGNATURE_ERRORS);
  if (steps.throttle) classes.push(errors.Throttling);
  if (steps.idempotency) classes.push(errors.IdempotentParameterMismatch, errors.LastTokenProcessing);
  classes.push(errors.InternalError);
  const out: DeclaredError[] = [];
  const seen = new Set<string>();
  for (const error of [...dispatch.map(asDeclared), ...classes.map(asDeclared)]) {
    const key = `${error.code} ${error.status}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(error);
  }
  return out;
}
