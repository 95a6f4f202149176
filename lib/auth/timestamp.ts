/**
 * Strict parsing and window check of the V1 `Timestamp` parameter and the V3 `x-acs-date` header
 * (protocol.md §3.1): UTC `YYYY-MM-DDThh:mm:ssZ`, optionally with a fraction of a second.
 */

/** The gateway's clock-skew allowance: ±15 minutes (`InvalidTimeStamp.Expired` outside it). */
export const DEFAULT_TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/**
 * `YYYY-MM-DDThh:mm:ssZ` with an optional `.f` … `.fffffffff` fraction. Upper-case `T` and `Z` only;
 * no offsets, no lower case, no spaces. 1–9 fraction digits: aliyun-sdk sends 3 (`toISOString()`),
 * hand-written clients using Java's `Instant.toString()` send 3, 6 or 9.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parse a POP timestamp strictly. Impossible dates (`2023-02-30`, `24:00:00`, leap second `:60`) are
 * rejected; the fraction is truncated to milliseconds.
 *
 * @param value the received text
 * @returns epoch milliseconds, or `undefined` when the text is not a valid timestamp
 * @example
 * parseTimestamp('2016-02-23T12:46:24Z');     // 1456231584000
 * parseTimestamp('2026-01-02T03:04:05.678Z'); // 1767323045678
 * parseTimestamp('2023-02-30T00:00:00Z');     // undefined
 */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0000–0099 literal
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
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
