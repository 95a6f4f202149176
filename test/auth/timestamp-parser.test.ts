/**
 * parseTimestamp (read by hand) against the definition it replaced: the strict regular expression
 * /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/ and Date arithmetic.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTimestamp } from '../../lib/auth/index.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

function definition(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i])) as [number, number, number, number, number, number];
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('auth/timestamp parser', () => {
  it('gives the definition\'s answer for every date and time of years 0000-9999, with 0-9 fraction digits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.stringMatching(/^\d{0,10}$/),
        (year, month, day, hour, minute, second, fraction) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction === '' ? '' : `.${fraction}`}Z`;
          assert.equal(parseTimestamp(text), definition(text), text);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives the definition\'s answer for damaged timestamps: any character replaced, inserted or removed (property)', () => {
    const CHARS = fc.constantFrom('0', '9', '-', ':', 'T', 'Z', '.', ' ', 't', 'z', '+', '١', '０', '/', 'a', '\u0000');
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), fc.nat(40), CHARS, fc.constantFrom('replace', 'insert', 'remove', 'none'), fc.boolean(), (date, at, ch, edit, seconds) => {
        let text = date.toISOString();
        if (text.startsWith('+') || text.startsWith('-')) return;
        if (seconds) text = text.replace(/\.\d{3}Z$/, 'Z');
        const i = at % (text.length + 1);
        if (edit === 'replace') text = text.slice(0, i) + ch + text.slice(i + 1);
        if (edit === 'insert') text = text.slice(0, i) + ch + text.slice(i);
        if (edit === 'remove') text = text.slice(0, i) + text.slice(i + 1);
        assert.equal(parseTimestamp(text), definition(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the definition on ordinary instants and in year 0', () => {
    for (const text of ['1970-01-01T00:00:00Z', '2000-02-29T12:00:00.5Z', '2026-11-29T18:43:17Z', '1600-03-01T00:00:00.001Z', '9999-12-31T23:59:59.999999999Z']) {
      assert.equal(parseTimestamp(text), definition(text), text);
    }
    assert.equal(parseTimestamp('0000-01-01T00:00:00Z'), definition('0000-01-01T00:00:00Z'));
    assert.equal(parseTimestamp('0000-02-29T00:00:00Z'), definition('0000-02-29T00:00:00Z'));
  });
});
