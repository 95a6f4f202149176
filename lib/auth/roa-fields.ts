/**
 * Reading the authentication fields of a ROA Signature V1 request (`Authorization: acs …`, `Date`,
 * `x-acs-signature-*`, `x-acs-security-token`), with the presence and shape checks that come
 * before the key lookup (docs/roa.md §Signature V1).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../core/errors/index.js';
import { parseRoaAuthorization, type RoaAuthorization } from './roa-signature-v1.js';
import { header } from './signed-request-fields.js';

/** The authentication fields of a ROA V1 request. */
export interface RoaV1Fields {
  readonly authorization: RoaAuthorization;
  /** The `Date` header as epoch ms. */
  readonly dateMs: number;
  readonly nonce: string;
  readonly securityToken: string | undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/**
 * Parse an HTTP date in the IMF-fixdate form (`Sun, 06 Dec 2026 02:46:23 GMT`, what
 * `Date#toUTCString()` writes and every SDK sends); undefined for anything else or an impossible date.
 *
 * @example
 * parseHttpDate('Sun, 06 Dec 2026 02:46:23 GMT'); // 1796525183000
 */
export function parseHttpDate(value: string): number | undefined {
  const match = IMF_FIXDATE.exec(value);
  if (match === null) return undefined;
  const [, day, month, year, hh, mm, ss] = match as unknown as string[];
  const m = MONTHS.indexOf(month as string);
  const ms = Date.UTC(Number(year), m, Number(day), Number(hh), Number(mm), Number(ss));
  const back = new Date(ms);
  // Date.UTC rolls 31 Feb over into March: refuse what does not read back the same.
  if (back.getUTCDate() !== Number(day) || back.getUTCMonth() !== m || back.getUTCHours() !== Number(hh) || back.getUTCMinutes() !== Number(mm) || back.getUTCSeconds() !== Number(ss)) {
    return undefined;
  }
  return ms;
}

/**
 * Read and check the ROA V1 fields, in this order: `Authorization` is `acs <AccessKeyId>:<base64
 * HMAC-SHA1>` (`IncompleteSignature`); `Date` and `x-acs-signature-nonce` present
 * (`MissingParameter`); `x-acs-signature-method` and `x-acs-signature-version`, when sent, are
 * `HMAC-SHA1` and `1.0` (`InvalidParamater`, as for RPC V1); `Date` is an IMF-fixdate
 * (`IllegalTimestamp`, message naming `Date`); `x-acs-accesskey-id`, when sent, names the signing key
 * (`IncompleteSignature`).
 *
 * @param headers the request headers (lower-case names)
 * @example
 * const fields = readRoaV1Fields(request.headers);
 */
export function readRoaV1Fields(headers: IncomingHttpHeaders): RoaV1Fields {
  const authorization = parseRoaAuthorization(String(headers.authorization));
  if (authorization === undefined) {
    throw new errors.IncompleteSignature({
      message: 'The request signature does not conform to Aliyun standards: Authorization must be "acs <AccessKeyId>:<base64 HMAC-SHA1 signature>".',
    });
  }
  const date = header(headers, 'date');
  if (date === undefined) throw new errors.MissingParameter('Date');
  const nonce = header(headers, 'x-acs-signature-nonce');
  if (nonce === undefined) throw new errors.MissingParameter('x-acs-signature-nonce');
  const method = header(headers, 'x-acs-signature-method');
  if (method !== undefined && method.toUpperCase() !== 'HMAC-SHA1') throw new errors.InvalidParamater('x-acs-signature-method');
  const version = header(headers, 'x-acs-signature-version');
  if (version !== undefined && version !== '1.0') throw new errors.InvalidParamater('x-acs-signature-version');
  const dateMs = parseHttpDate(date);
  if (dateMs === undefined) {
    throw new errors.IllegalTimestamp({
      message: 'Specified time stamp or date value is not well formatted: Date must be an HTTP date such as "Sun, 06 Dec 2026 02:46:23 GMT".',
    });
  }
  const keyHeader = header(headers, 'x-acs-accesskey-id');
  if (keyHeader !== undefined && keyHeader !== authorization.accessKeyId) {
    throw new errors.IncompleteSignature({ message: 'The request signature does not conform to Aliyun standards: x-acs-accesskey-id differs from the AccessKeyId of Authorization.' });
  }
  return { authorization, dateMs, nonce, securityToken: header(headers, 'x-acs-security-token') };
}
