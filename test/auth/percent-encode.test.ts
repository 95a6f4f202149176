import assert from 'node:assert/strict';
import fc from 'fast-check';
import { constantTimeEqual, popEncode } from '../../lib/auth/index.js';
import { refEncode } from './reference.js';

describe('auth/percent-encode', () => {
  it('keeps the unreserved set literal and returns it unchanged', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    assert.equal(popEncode(unreserved), unreserved);
    assert.equal(popEncode(''), '');
  });

  it('encodes space as %20 and * ! \' ( ) with upper-case hex', () => {
    assert.equal(popEncode(' '), '%20');
    assert.equal(popEncode("*!'()"), '%2A%21%27%28%29');
    assert.equal(popEncode('+/=&%:'), '%2B%2F%3D%26%25%3A');
    assert.equal(popEncode('\n\u007f'), '%0A%7F');
  });

  it('encodes UTF-8 bytes (BMP and supplementary planes)', () => {
    assert.equal(popEncode('中文'), '%E4%B8%AD%E6%96%87');
    assert.equal(popEncode('😀'), '%F0%9F%98%80');
    assert.equal(popEncode('é'), '%C3%A9');
  });

  it('reproduces the clients.md canonical encoding of the shared tricky value', () => {
    assert.equal(
      popEncode("a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀"),
      'a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25i%21j%27k%28l%29m%20%E4%B8%AD%E6%96%87%20%F0%9F%98%80',
    );
  });

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    assert.equal(popEncode('a\uD800b'), 'a%EF%BF%BDb');
    assert.equal(popEncode('\uDC00 '), '%EF%BF%BD%20');
  });

  it('matches a byte-wise reference encoder for any UTF-16 string (lone surrogates included)', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: codeUnit }), fc.string({ unit: 'grapheme' })), (s) => {
        assert.equal(popEncode(s), refEncode(s));
      }),
      { numRuns: 2000 },
    );
  });

  describe('constantTimeEqual', () => {
    it('is true only for identical strings, whatever the lengths', () => {
      assert.equal(constantTimeEqual('abc', 'abc'), true);
      assert.equal(constantTimeEqual('', ''), true);
      assert.equal(constantTimeEqual('abc', 'abd'), false);
      assert.equal(constantTimeEqual('abc', 'ab'), false);
      assert.equal(constantTimeEqual('', 'a'), false);
      assert.equal(constantTimeEqual('é', 'e\u0301'), false);
    });
  });
});
