/**
 * Scalar rules shared by the XML and JSON writers, so that the same data means the same in both.
 */
import { ResponseDataError } from './response-data-error.js';

/**
 * A Date as `YYYY-MM-DDThh:mm:ssZ` (UTC, no fraction), the OpenAPI timestamp form.
 *
 * @example
 * formatDate(new Date(0)); // '1970-01-01T00:00:00Z'
 */
export function formatDate(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new ResponseDataError('an invalid Date cannot be rendered');
  const iso = date.toISOString();
  // toISOString gives YYYY-MM-DDThh:mm:ss.sssZ (or a ±YYYYYY year); drop the fraction.
  return `${iso.slice(0, iso.length - 5)}Z`;
}
