import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_TIMESTAMP_WINDOW_MS, checkTimestamp, parseTimestamp } from '../../lib/auth/index.js';

describe('auth/timestamp', () => {
  describe('parseTimestamp', () => {
    it('parses the SDK form without fraction', () => {
      assert.equal(parseTimestamp('2016-02-23T12:46:24Z'), Date.UTC(2016, 1, 23, 12, 46, 24));
      assert.equal(parseTimestamp('2026-11-29T18:43:17Z'), Date.UTC(2026, 10, 29, 18, 43, 17));
      assert.equal(parseTimestamp('1970-01-01T00:00:00Z'), 0);
    });

    it('parses aliyun-sdk milliseconds and other fractions (truncated to ms)', () => {
      assert.equal(parseTimestamp('2026-01-02T03:04:05.678Z'), Date.UTC(2026, 0, 2, 3, 4, 5, 678));
      assert.equal(parseTimestamp('2026-01-02T03:04:05.5Z'), Date.UTC(2026, 0, 2, 3, 4, 5, 500));
      assert.equal(parseTimestamp('2026-01-02T03:04:05.05Z'), Date.UTC(2026, 0, 2, 3, 4, 5, 50));
      assert.equal(parseTimestamp('2026-01-02T03:04:05.123456Z'), Date.UTC(2026, 0, 2, 3, 4, 5, 123));
      assert.equal(parseTimestamp('2026-01-02T03:04:05.999999999Z'), Date.UTC(2026, 0, 2, 3, 4, 5, 999));
    });

    it('accepts calendar edges: leap days, month ends, end of day', () => {
      assert.equal(parseTimestamp('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
      assert.equal(parseTimestamp('2000-02-29T00:00:00Z'), Date.UTC(2000, 1, 29));
      assert.equal(parseTimestamp('2023-04-30T23:59:59Z'), Date.UTC(2023, 3, 30, 23, 59, 59));
      assert.equal(parseTimestamp('2023-12-31T23:59:59.999Z'), Date.UTC(2023, 11, 31, 23, 59, 59, 999));
    });

    it('keeps two-digit years literal (no 19xx mapping)', () => {
      const t = parseTimestamp('0099-01-01T00:00:00Z');
      assert.equal(typeof t, 'number');
      assert.equal(new Date(t as number).getUTCFullYear(), 99);
    });

    it('rejects impossible dates and times', () => {
      for (const value of [
        '2023-02-29T00:00:00Z',
        '2023-02-30T00:00:00Z',
        '1900-02-29T00:00:00Z',
        '2023-04-31T00:00:00Z',
        '2023-00-10T00:00:00Z',
        '2023-13-01T00:00:00Z',
        '2023-01-00T00:00:00Z',
        '2023-01-32T00:00:00Z',
        '2023-01-01T24:00:00Z',
        '2023-01-01T23:60:00Z',
        '2023-12-31T23:59:60Z',
      ]) {
        assert.equal(parseTimestamp(value), undefined, value);
      }
    });

    it('rejects other formats', () => {
      for (const value of [
        '',
        '2023-01-01',
        '2023-01-01T00:00:00',
        '2023-01-01T00:00Z',
        '2023-01-01 00:00:00Z',
        '2023-01-01t00:00:00Z',
        '2023-01-01T00:00:00z',
        '2023-01-01T00:00:00+00:00',
        '2023-01-01T00:00:00+0800',
        '2023-01-01T00:00:00.Z',
        '2023-01-01T00:00:00.1234567890Z',
        '2023-01-01T00:00:00,123Z',
        '2023-1-01T00:00:00Z',
        '23-01-01T00:00:00Z',
        '+02023-01-01T00:00:00Z',
        ' 2023-01-01T00:00:00Z',
        '2023-01-01T00:00:00Z ',
        '2023-01-01T00:00:00Z\n',
        '２０２３-01-01T00:00:00Z', // full-width digits
        '2023-01-01T00:00:00.١٢٣Z', // Arabic-Indic digits
        'Mon, 02 Jan 2023 00:00:00 GMT',
        '1672531200',
        '1672531200000',
      ]) {
        assert.equal(parseTimestamp(value), undefined, JSON.stringify(value));
      }
    });

    it('round-trips any instant printed with toISOString (with and without millis)', () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
          const iso = new Date(ms).toISOString();
          assert.equal(parseTimestamp(iso), ms);
          const noMillis = iso.replace(/\.\d{3}Z$/, 'Z');
          assert.equal(parseTimestamp(noMillis), ms - (ms % 1000));
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('checkTimestamp', () => {
    const now = Date.UTC(2026, 10, 29, 18, 43, 17);
    const at = (offsetMs: number): string => new Date(now + offsetMs).toISOString();

    it('defaults to a ±15 minute window', () => {
      assert.equal(DEFAULT_TIMESTAMP_WINDOW_MS, 15 * 60 * 1000);
      assert.deepEqual(checkTimestamp('2026-11-29T18:43:17Z', now), { ok: true, timeMs: now });
    });

    it('includes both edges and excludes one millisecond beyond', () => {
      const w = DEFAULT_TIMESTAMP_WINDOW_MS;
      assert.deepEqual(checkTimestamp(at(-w), now), { ok: true, timeMs: now - w });
      assert.deepEqual(checkTimestamp(at(w), now), { ok: true, timeMs: now + w });
      assert.deepEqual(checkTimestamp(at(-w - 1), now), { ok: false, reason: 'expired', timeMs: now - w - 1 });
      assert.deepEqual(checkTimestamp(at(w + 1), now), { ok: false, reason: 'future', timeMs: now + w + 1 });
    });

    it('applies the window to the second for timestamps without millis', () => {
      assert.equal(checkTimestamp('2026-11-29T18:28:17Z', now).ok, true); // exactly -15 min
      assert.equal(checkTimestamp('2026-11-29T18:28:16Z', now).ok, false);
      assert.equal(checkTimestamp('2026-11-29T18:58:17Z', now).ok, true); // exactly +15 min
      assert.equal(checkTimestamp('2026-11-29T18:58:18Z', now).ok, false);
    });

    it('honours a custom window, including zero', () => {
      assert.equal(checkTimestamp(at(0), now, 0).ok, true);
      assert.deepEqual(checkTimestamp(at(1), now, 0), { ok: false, reason: 'future', timeMs: now + 1 });
      assert.equal(checkTimestamp(at(-60_000), now, 60_000).ok, true);
      assert.equal(checkTimestamp(at(-60_001), now, 60_000).ok, false);
    });

    it('reports malformed before any window check', () => {
      assert.deepEqual(checkTimestamp('2026-11-29T18:43:17', now), { ok: false, reason: 'malformed' });
      assert.deepEqual(checkTimestamp('2026-02-30T18:43:17Z', now), { ok: false, reason: 'malformed' });
    });

    it('refuses a negative or non-finite window', () => {
      assert.throws(() => checkTimestamp(at(0), now, -1), RangeError);
      assert.throws(() => checkTimestamp(at(0), now, Number.NaN), RangeError);
      assert.throws(() => checkTimestamp(at(0), now, Number.POSITIVE_INFINITY), RangeError);
    });
  });
});
