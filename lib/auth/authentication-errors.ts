/**
 * The errors of the authentication step, with the texts clients rely on.
 */
import { errors, type ApiError } from '../core/errors/index.js';
import type { TimestampCheck } from './timestamp.js';

/**
 * The live gateway's `SignatureDoesNotMatch` text; the server's string to sign follows it directly.
 * The Python, Go and PHP cores compare what follows with their own string to sign to tell a wrong
 * secret from an SDK bug (docs/protocol.md §2.2, §7.5-7.7).
 */
export const SIGNATURE_MISMATCH_PREFIX = 'Specified signature is not matched with our calculation. server string to sign is:';

/**
 * `SignatureDoesNotMatch` (400) carrying the server's string to sign.
 *
 * @param stringToSign V1: the StringToSign (`GET&%2F&…`, no raw `:`); V3: `ACS3-HMAC-SHA256\n<hex>`
 * @example
 * throw signatureDoesNotMatch(verification.stringToSign);
 */
export function signatureDoesNotMatch(stringToSign: string): ApiError {
  return new errors.SignatureDoesNotMatch({ message: SIGNATURE_MISMATCH_PREFIX + stringToSign });
}

/**
 * Which codes answer a bad timestamp.
 * - `'IllegalTimestamp'` (default): the seed's `IllegalTimestamp` 400 for both cases, the message says which.
 * - `'InvalidTimeStamp'`: the live gateway's `InvalidTimeStamp.Format` / `InvalidTimeStamp.Expired` (400).
 */
export type TimestampErrorCodes = 'IllegalTimestamp' | 'InvalidTimeStamp';

/**
 * A window in words, for messages.
 *
 * @example
 * describeWindow(15 * 60_000); // '15 minutes'
 * describeWindow(90_000);      // '90 seconds'
 * describeWindow(1500);        // '1500 ms'
 */
export function describeWindow(windowMs: number): string {
  if (windowMs % 60_000 === 0) return `${windowMs / 60_000} minute${windowMs === 60_000 ? '' : 's'}`;
  if (windowMs % 1000 === 0) return `${windowMs / 1000} second${windowMs === 1000 ? '' : 's'}`;
  return `${windowMs} ms`;
}

function isoSeconds(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

/**
 * The error for a failed {@link TimestampCheck}. The message names the parameter, says whether the
 * value is unparseable or outside the window, and gives the server time (never the received text).
 *
 * @param check a failed check
 * @param name `Timestamp`, `TimeStamp` or `x-acs-date`
 * @example
 * const check = checkTimestamp(value, now, windowMs);
 * if (!check.ok) throw timestampError(check, 'Timestamp', now, windowMs, 'IllegalTimestamp');
 * // IllegalTimestamp: Specified time stamp or date value is expired: Timestamp 2026-11-29T18:00:00Z is more than 15 minutes before the server time 2026-11-29T18:20:00Z.
 */
export function timestampError(
  check: Exclude<TimestampCheck, { ok: true }>,
  name: string,
  nowMs: number,
  windowMs: number,
  codes: TimestampErrorCodes,
): ApiError {
  if (check.reason === 'malformed') {
    const message = `Specified time stamp or date value is not well formatted: ${name} must be a UTC time written YYYY-MM-DDThh:mm:ssZ (optionally with fractional seconds).`;
    return codes === 'IllegalTimestamp' ? new errors.IllegalTimestamp({ message }) : new errors['InvalidTimeStamp.Format']({ message });
  }
  const side = check.reason === 'expired' ? 'before' : 'after';
  const message =
    `Specified time stamp or date value is expired: ${name} ${isoSeconds(check.timeMs)} is more than ` +
    `${describeWindow(windowMs)} ${side} the server time ${isoSeconds(nowMs)}.`;
  return codes === 'IllegalTimestamp' ? new errors.IllegalTimestamp({ message }) : new errors['InvalidTimeStamp.Expired']({ message });
}
