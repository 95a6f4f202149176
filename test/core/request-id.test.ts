/**
 * RequestIds (lib/core/request-id.ts): what a client reads in `x-acs-request-id` and the body is an
 * upper-case version-4 UUID, as `randomUUID().toUpperCase()` writes it, and never repeats.
 */
import assert from 'node:assert/strict';
import { createRequestId } from '../../lib/core/request-id.js';

/** RFC 9562 layout, version 4, variant 10xx, upper-case hex only. */
const UPPER_UUID_V4 = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

describe('createRequestId', () => {
  it('gives upper-case version-4 UUIDs, across many refills of the random pool', () => {
    for (let i = 0; i < 5000; i++) assert.match(createRequestId(), UPPER_UUID_V4);
  });

  it('never repeats an id (20 000 in a row) and uses every hex digit in every free position', () => {
    const seen = new Set<string>();
    const digits = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 20_000; i++) {
      const id = createRequestId();
      assert.ok(!seen.has(id), `repeated ${id}`);
      seen.add(id);
      for (let c = 0; c < 36; c++) (digits[c] as Set<string>).add(id[c] as string);
    }
    for (let c = 0; c < 36; c++) {
      const expected = [8, 13, 18, 23].includes(c) ? 1 : c === 14 ? 1 : c === 19 ? 4 : 16;
      assert.equal((digits[c] as Set<string>).size, expected, `position ${c}`);
    }
  });
});
