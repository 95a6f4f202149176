/**
 * The service's own error codes, declared once with `defineError` (code, HTTP status, message) and
 * thrown by the handlers. The envelope renders them like the built-in ones:
 *
 *   { "RequestId": "…", "HostId": "…", "Code": "InvalidInstanceId.NotFound", "Message": "The specified InstanceId does not exist." }
 */
import { defineError } from './middleware.js';

/** A `RegionId` this service does not serve. */
export const InvalidRegionIdNotFound = defineError('InvalidRegionId.NotFound', 404, 'The specified RegionId does not exist.');

/** An `InstanceId` that does not exist (never created, or deleted). */
export const InvalidInstanceIdNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId does not exist.');

/** Start a running instance, stop a stopped one, delete a running one. */
export const IncorrectInstanceStatus = defineError(
  'IncorrectInstanceStatus',
  403,
  'The current status of the resource does not support this operation.',
);

/** More instances than one region of this example keeps (memory is bounded, in Redis too). */
export const InstanceQuotaExceeded = defineError('QuotaExceed.Instance', 403, 'The maximum number of instances in the region is exceeded.');
