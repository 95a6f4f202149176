/**
 * The canonical query builders against the plain definition they replace: names filtered, sorted with
 * the comparator of the order, each value POP-encoded, joined; V1's string to sign encodes that string
 * once more. The builders skip the comparator (and the sort itself) when they can; the strings must
 * not change.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalQuery,
  compareCodePoints,
  popEncode,
  stringToSignV1,
  type NameOrder,
  type ParamMap,
} from '../../lib/auth/index.js';
import { canonicalQueryEncoded } from '../../lib/auth/canonical-query.js';
import { refEncode } from './reference.js';

function definition(params: ParamMap, exclude: readonly string[], order: NameOrder): string {
  const names = Object.keys(params).filter((name) => !exclude.includes(name));
  names.sort(order === 'utf16' ? (a, b) => (a < b ? -1 : a > b ? 1 : 0) : compareCodePoints);
  const pairs: string[] = [];
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'string') pairs.push(`${popEncode(name)}=${popEncode(value)}`);
    else if (value !== undefined) for (const v of value) pairs.push(`${popEncode(name)}=${popEncode(v)}`);
  }
  return pairs.join('&');
}

/** Characters around every rule: unreserved, encoded, `%`, `=`, `&`, astral, lone surrogates, and the
 * U+E000+ / astral pair where code-point and UTF-16 orders disagree. */
const CHAR = fc.constantFrom('a', 'B', 'z', '0', '-', '_', '.', '~', ' ', '*', '%', '=', '&', '+', ':', '/', 'é', '中', '\uE000', '\uFFFD', '😀', '\uD800', '\uDC00');
const TEXT = fc.array(fc.oneof(CHAR, fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 6 }).map((parts) => parts.join(''));
const VALUE = fc.oneof(TEXT, fc.array(TEXT, { maxLength: 3 }));

function toMap(entries: ReadonlyArray<readonly [string, string | readonly string[]]>, nullPrototype: boolean): ParamMap {
  const out: Record<string, string | readonly string[]> = nullPrototype ? Object.create(null) : {};
  for (const [name, value] of entries) out[name] = value;
  return out;
}

describe('auth/canonical query builders', () => {
  it('popEncode encodes ASCII text (the table-driven path) exactly as the byte-wise reference (property)', () => {
    const ascii = fc.integer({ min: 0, max: 0x7f }).map((n) => String.fromCharCode(n));
    const mixed = fc.oneof(ascii, ascii, ascii, fc.constantFrom('é', '😀', '\uD800'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: ascii }), fc.string({ unit: mixed })), (text) => {
        assert.equal(popEncode(text), refEncode(text));
      }),
      { numRuns: 3000 },
    );
    for (let code = 0; code < 0x80; code++) assert.equal(popEncode(`a${String.fromCharCode(code)}b`), refEncode(`a${String.fromCharCode(code)}b`));
  });

  it('give exactly the defined strings, sorted or not, in both orders, with and without exclusions (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.oneof(TEXT, fc.constantFrom('Signature', 'Action', 'Tag.1.Key')), VALUE), { selector: ([n]) => n, maxLength: 10 }),
        fc.boolean(),
        fc.constantFrom<NameOrder>('code-point', 'utf16'),
        fc.constantFrom<readonly string[]>([], ['Signature'], ['Signature', 'Action']),
        fc.boolean(),
        (entries, presorted, order, exclude, nullPrototype) => {
          const sorted = presorted ? [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : entries;
          const params = toMap(sorted, nullPrototype);
          const expected = definition(params, exclude, order);
          assert.equal(canonicalQuery(params, { exclude, order }), expected);
          assert.equal(canonicalQueryEncoded(params, { exclude, order }), popEncode(expected));
          if (exclude.length === 1) assert.equal(stringToSignV1('GET', params, order), `GET&%2F&${popEncode(expected)}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('orders by code point when a name holds a surrogate (U+E000 before an astral character)', () => {
    const params = toMap([['😀', '1'], ['\uE000', '2'], ['a', '3']], true);
    assert.equal(canonicalQuery(params), 'a=3&%EE%80%80=2&%F0%9F%98%80=1');
    assert.equal(canonicalQuery(params, { order: 'utf16' }), 'a=3&%F0%9F%98%80=1&%EE%80%80=2');
  });

  it('leaves the received parameters untouched (no sort in place of the caller data)', () => {
    const params = toMap([['b', '1'], ['a', '2']], true);
    canonicalQuery(params);
    assert.deepEqual(Object.keys(params), ['b', 'a']);
  });
});
