/**
 * The cheap digest primitives give exactly Node's `createHash` / `createHmac` results, for any key and
 * text (UTF-8, astral, lone surrogates, keys longer than a hash block, empty keys), and keep working
 * past the bound of prepared keys.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, getHashes } from 'node:crypto';
import fc from 'fast-check';
import { digest, hmac, PREPARED_HMAC_KEYS } from '../../lib/auth/digests.js';

const ALGORITHMS = ['sha1', 'sha256', ...(getHashes().includes('sm3') ? ['sm3'] : [])];
const ENCODINGS = ['hex', 'base64', 'base64url'] as const;
const TEXT = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('', '\uD800', 'a\uDC00', 'x'.repeat(200)));

describe('auth/digests', () => {
  it('hmac() equals createHmac(...).update(data, "utf8").digest(encoding) (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALGORITHMS), TEXT, TEXT, fc.constantFrom(...ENCODINGS), (algorithm, secret, data, encoding) => {
        assert.equal(hmac(algorithm, secret, data, encoding), createHmac(algorithm, secret).update(data, 'utf8').digest(encoding));
        // the second use of a secret takes the prepared key
        assert.equal(hmac(algorithm, secret, data, encoding), createHmac(algorithm, secret).update(data, 'utf8').digest(encoding));
      }),
      { numRuns: 1500 },
    );
  });

  it('digest() equals createHash(...).update(data).digest(encoding) for strings and bytes (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALGORITHMS), TEXT, fc.boolean(), fc.constantFrom(...ENCODINGS), (algorithm, text, asBytes, encoding) => {
        const data = asBytes ? Buffer.from(text, 'utf8') : text;
        assert.equal(digest(algorithm, data, encoding), createHash(algorithm).update(data).digest(encoding));
      }),
      { numRuns: 1500 },
    );
  });

  it('hmac() stays equal to createHmac when keys and algorithms alternate and at the length where it hands over to createHmac', () => {
    const texts = ['', 'a', '中'.repeat(2709), '中'.repeat(2710), '\uD800'.repeat(2710), 'x'.repeat(9000), '😀'.repeat(1354)];
    for (const data of texts) {
      for (const algorithm of ALGORITHMS) {
        for (const secret of ['k1', 'k2', 'k'.repeat(65), 'k1']) {
          assert.equal(hmac(algorithm, secret, data, 'hex'), createHmac(algorithm, secret).update(data, 'utf8').digest('hex'));
        }
      }
    }
  });

  it('stays correct for more secrets than it keeps prepared (the oldest are dropped)', () => {
    for (let i = 0; i < PREPARED_HMAC_KEYS * 2 + 3; i++) {
      const secret = `secret-${i}`;
      assert.equal(hmac('sha256', secret, 'data', 'hex'), createHmac('sha256', secret).update('data').digest('hex'));
    }
    assert.equal(hmac('sha1', 'secret-0', 'data', 'base64'), createHmac('sha1', 'secret-0').update('data').digest('base64'));
  });
});
