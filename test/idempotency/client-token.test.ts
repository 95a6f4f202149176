/**
 * The ClientToken rule: 1 to 64 printable ASCII characters, case-sensitive.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidClientToken, MAX_CLIENT_TOKEN_LENGTH } from '../../lib/index.js';
import { tokenKey } from '../../lib/idempotency/token-key.js';

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

describe('idempotency: ClientToken rule', () => {
  it('accepts what SDKs generate: UUIDs, 32-hex md5 (Python core), 64 characters', () => {
    assert.equal(MAX_CLIENT_TOKEN_LENGTH, 64);
    for (const token of ['0c593ea1-3bea-11e9-b96b-88e9fe637760', 'd41d8cd98f00b204e9800998ecf8427e', 'x'.repeat(64), 'a', ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~']) {
      assert.equal(isValidClientToken(token), true, token);
    }
  });

  it('refuses 65 characters, the empty string, control characters, non-ASCII and non-strings', () => {
    for (const token of ['x'.repeat(65), '', 'tab\there', 'nl\n', 'del\x7f', 'nul\0', 'é', '令牌', '😀', '\uD800']) {
      assert.equal(isValidClientToken(token), false, JSON.stringify(token));
    }
    for (const value of [undefined, null, 42, ['a'], { toString: () => 'a' }]) assert.equal(isValidClientToken(value), false);
  });

  it('property: valid exactly when 1-64 printable ASCII characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: printable, minLength: 1, maxLength: 64 }), (token) => isValidClientToken(token)),
    );
    fc.assert(
      fc.property(fc.string({ unit: printable, minLength: 65, maxLength: 200 }), (token) => !isValidClientToken(token)),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }), fc.nat(64), (base, odd, at) => {
        fc.pre(/[^\x20-\x7e]/.test(odd));
        const token = base.slice(0, at) + odd + base.slice(at);
        return !isValidClientToken(token);
      }),
    );
  });

  it('is case-sensitive, and scoped by caller and Action (distinct store keys)', () => {
    const ak = { accessKeyId: 'ak', signatureVersion: 'V1' as const };
    const keys = new Set([
      tokenKey('ct:', ak, 'RunInstances', 'Token-A'),
      tokenKey('ct:', ak, 'RunInstances', 'token-a'),
      tokenKey('ct:', ak, 'CreateDisk', 'Token-A'),
      tokenKey('ct:', { ...ak, accessKeyId: 'ak2' }, 'RunInstances', 'Token-A'),
      tokenKey('ct:', undefined, 'RunInstances', 'Token-A'),
      // No separator games: the AccessKeyId is length-prefixed.
      tokenKey('ct:', { ...ak, accessKeyId: 'ak\nRunInstances' }, 'X', 'Token-A'),
      tokenKey('ct:', { ...ak, accessKeyId: 'anonymous' }, 'RunInstances', 'Token-A'),
    ]);
    assert.equal(keys.size, 7);
    for (const key of keys) assert.match(key, /^ct:[A-Za-z0-9_-]{43}$/);
  });
});
