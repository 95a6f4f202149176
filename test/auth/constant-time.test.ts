/**
 * constantTimeEqual writes short strings into scratch buffers instead of allocating two Buffers per
 * call; it must answer exactly what the former definition (kept here as the oracle) answers, for
 * equal, different, differently long, non-ASCII and lone-surrogate texts, on both sides of the
 * scratch limit, and whatever was compared before.
 */
import assert from 'node:assert/strict';
import { timingSafeEqual } from 'node:crypto';
import fc from 'fast-check';
import { constantTimeEqual } from '../../lib/auth/constant-time.js';

/** The former definition: two Buffer.from, a dummy comparison on a length mismatch. */
function oracle(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

const TEXT = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.constantFrom('', '\uD800', '\uDBFF', '\uFFFD', 'a\uDC00', '中'.repeat(85), '中'.repeat(86), 'x'.repeat(85), 'x'.repeat(86), '😀'.repeat(43)),
);

describe('auth/constantTimeEqual', () => {
  it('answers as the former Buffer.from definition (property)', () => {
    fc.assert(
      fc.property(TEXT, TEXT, fc.boolean(), (a, b, same) => {
        const expected = same ? a : b;
        // a copy, not the same string object
        const received = Buffer.from(a, 'utf16le').toString('utf16le');
        assert.equal(constantTimeEqual(received, expected), oracle(received, expected));
        assert.equal(constantTimeEqual(expected, received), oracle(expected, received));
      }),
      { numRuns: 3000 },
    );
  });

  it('is not fooled by what a previous, longer comparison left in its buffers', () => {
    assert.equal(constantTimeEqual('abcdef', 'abcdef'), true);
    assert.equal(constantTimeEqual('abc', 'abcdef'), false);
    assert.equal(constantTimeEqual('abcdef', 'abc'), false);
    assert.equal(constantTimeEqual('', ''), true);
    assert.equal(constantTimeEqual('\uD800', '\uFFFD'), true); // both are EF BF BD in UTF-8, as before
  });
});
