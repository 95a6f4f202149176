/**
 * Strict parsing and window check of the V1 `Timestamp` parameter and the V3 `x-acs-date` header
 * (docs/protocol.md §3.1): UTC `YYYY-MM-DDThh:mm:ssZ`, optionally with a fraction of a second.
 */

/** The gateway's clock-skew allowance: ±15 minutes (`InvalidTimeStamp.Expired` outside it). */
export const DEFAULT_TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/*
 * The accepted form: `YYYY-MM-DDThh:mm:ssZ` with an optional `.f` … `.fffffffff` fraction, i.e.
 * /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/ (ASCII digits). Upper-case
 * `T` and `Z` only; no offsets, no lower case, no spaces. 1–9 fraction digits: aliyun-sdk sends 3
 * (`toISOString()`), hand-written clients using Java's `Instant.toString()` send 3, 6 or 9.
 * Read by hand (no regular expression, no Date object): it runs on every signed request.
 */

/** The value of the ASCII digits `text[start, start + count)`, or -1 if one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Parse a POP timestamp strictly. Impossible dates (`2023-02-30`, `24:00:00`, leap second `:60`) are
 * rejected; the fraction is truncated to milliseconds; years 0000–0099 are literal (no 19xx mapping).
 *
 * @param value the received text
 * @returns epoch milliseconds, or `undefined` when the text is not a valid timestamp
 * @example
 * parseTimestamp('2016-02-23T12:46:24Z');     // 1456231584000
 * parseTimestamp('2026-01-02T03:04:05.678Z'); // 1767323045678
 * parseTimestamp('2023-02-30T00:00:00Z');     // undefined
 */
export function parseTimestamp(value: string): number | undefined {
  const length = value.length;
  if (length < 20 || length > 30 || length === 21 || value.charCodeAt(length - 1) !== 0x5a /* Z */) return undefined;
  if (
    value.charCodeAt(4) !== 0x2d /* - */ ||
    value.charCodeAt(7) !== 0x2d ||
    value.charCodeAt(10) !== 0x54 /* T */ ||
    value.charCodeAt(13) !== 0x3a /* : */ ||
    value.charCodeAt(16) !== 0x3a
  ) {
    return undefined;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let millis = 0;
  if (length > 20) {
    // `.` then 1-9 digits before the `Z`; the first three (padded with zeros) are the milliseconds
    if (value.charCodeAt(19) !== 0x2e /* . */) return undefined;
    const fractionDigits = length - 21;
    if (digits(value, 20, fractionDigits) < 0) return undefined;
    const kept = Math.min(fractionDigits, 3);
    millis = digits(value, 20, kept) * (kept === 1 ? 100 : kept === 2 ? 10 : 1);
  }
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** Result of {@link checkTimestamp}. */
export type TimestampCheck =
  | { readonly ok: true; readonly timeMs: number }
  | { readonly ok: false; readonly reason: 'malformed' }
  | { readonly ok: false; readonly reason: 'expired' | 'future'; readonly timeMs: number };

/**
 * Parse a timestamp and check it lies within `[nowMs - windowMs, nowMs + windowMs]` (edges inclusive).
 *
 * Map `malformed` to `InvalidTimeStamp.Format`, `expired`/`future` to `InvalidTimeStamp.Expired`.
 *
 * @param value the received `Timestamp` / `x-acs-date`
 * @param nowMs the server clock (epoch ms)
 * @param windowMs allowed skew each way, default 15 minutes; must be a finite number ≥ 0
 * @example
 * checkTimestamp('2026-11-29T18:43:17Z', Date.parse('2026-11-29T18:50:00Z'));
 * // { ok: true, timeMs: 1795977797000 }
 * checkTimestamp('2026-11-29', Date.now()); // { ok: false, reason: 'malformed' }
 */
export function checkTimestamp(
  value: string,
  nowMs: number,
  windowMs: number = DEFAULT_TIMESTAMP_WINDOW_MS,
): TimestampCheck {
  if (!Number.isFinite(windowMs) || windowMs < 0) {
    throw new RangeError('windowMs must be a finite number >= 0');
  }
  const timeMs = parseTimestamp(value);
  if (timeMs === undefined) return { ok: false, reason: 'malformed' };
  if (timeMs < nowMs - windowMs) return { ok: false, reason: 'expired', timeMs };
  if (timeMs > nowMs + windowMs) return { ok: false, reason: 'future', timeMs };
  return { ok: true, timeMs };
}
