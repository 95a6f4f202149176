/**
 * docs/authentication.md agrees with the code: the codes and statuses of its tables, its defaults, and
 * the messages it quotes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_NONCE_STORE_ENTRIES,
  DEFAULT_NONCE_TTL_MS,
  DEFAULT_TIMESTAMP_WINDOW_MS,
  SIGNATURE_MISMATCH_PREFIX,
  errors,
  timestampError,
} from '../../lib/index.js';

const doc = readFileSync(path.resolve(__dirname, '../../docs/authentication.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start !== -1, `section ${title}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? doc.length : end);
}

/** `Code` … (NNN) pairs of a table cell: each code with the first status written after it. */
function codesWithStatus(cell: string): Array<[string, number]> {
  return [...cell.matchAll(/`([A-Za-z.]+)`[^`(]*\((\d{3})/g)].map((m) => [m[1] as string, Number(m[2])]);
}

function catalogueStatus(code: string): number {
  const cls = (errors as unknown as Record<string, { status: number } | undefined>)[code];
  assert.ok(cls !== undefined, `${code} is in the catalogue`);
  return cls.status;
}

describe('docs/authentication.md', () => {
  it('the check-order table names catalogue codes with their statuses, 13 steps', () => {
    const rows = section('What is checked, in order')
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line));
    assert.equal(rows.length, 13);
    let checked = 0;
    for (const row of rows) {
      const cells = row.split(' | ');
      for (const [code, status] of codesWithStatus(cells[cells.length - 1] as string)) {
        assert.equal(catalogueStatus(code), status, `${code} in: ${row}`);
        checked += 1;
      }
    }
    assert.ok(checked >= 13, `${checked} codes checked`);
  });

  it('the STS table names catalogue codes with their statuses', () => {
    const rows = section('STS (SecurityToken)')
      .split('\n')
      .filter((line) => /^\s+\| [a-z]/.test(line) && line.includes('errors'));
    assert.equal(rows.length, 4);
    for (const row of rows) {
      const code = /errors(?:\['([^']+)'\]|\.([A-Za-z]+))/.exec(row);
      const status = Number(/\| (\d{3}) \|\s*$/.exec(row)?.[1]);
      assert.equal(catalogueStatus((code?.[1] ?? code?.[2]) as string), status, row);
    }
  });

  it('states the defaults the code uses', () => {
    const options = section('Options');
    assert.equal(DEFAULT_NONCE_STORE_ENTRIES, 200_000);
    assert.match(options, /a private `MemoryStore` of 200 000 entries/);
    assert.equal(DEFAULT_TIMESTAMP_WINDOW_MS, 15 * 60_000);
    assert.match(options, /\| `timestampWindowMs` \| 15 minutes \|/);
    assert.equal(DEFAULT_NONCE_TTL_MS, 31 * 60_000);
    assert.match(options, /\| `nonceTtlMs` \| 31 minutes/);
  });

  it('quotes the messages the code sends', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const timestamps = section('Timestamps');
    const malformed = timestampError({ ok: false, reason: 'malformed' }, 'Timestamp', now, DEFAULT_TIMESTAMP_WINDOW_MS, 'IllegalTimestamp');
    assert.ok(timestamps.includes('`' + malformed.message + '`'), malformed.message);
    const expired = timestampError({ ok: false, reason: 'expired', timeMs: now - 20 * 60_000 }, 'Timestamp', now, DEFAULT_TIMESTAMP_WINDOW_MS, 'IllegalTimestamp');
    assert.ok(timestamps.includes('`' + expired.message + '`'), expired.message);
    assert.ok(section('What is checked, in order').includes(SIGNATURE_MISMATCH_PREFIX + 'GET&%2F&AccessKeyId%3Dtestid'));
  });
});
