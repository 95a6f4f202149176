/**
 * `parseUrlencoded` against an oracle written independently of it (split on `&`, split each pair on
 * its first `=`, `+` as space, `decodeURIComponent`): same names in the same order, same values,
 * repeats as arrays, and the same refusal for malformed input or too many pairs. The parser finds
 * `%`, `+` and `=` once per text rather than once per component; the generated texts mix those
 * characters, pairs without `=`, empty pairs and bad escapes so every branch meets the oracle.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseUrlencoded, type ParamRecord } from '../../../lib/core/params/urlencoded.js';

type Outcome = { ok: true; entries: Array<[string, string | string[]]>; proto: object | null } | { ok: false; message: string };

function oracle(text: string, maxParameters: number): Outcome {
  const entries = new Map<string, string[]>();
  let count = 0;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    count += 1;
    if (count > maxParameters) return { ok: false, message: `The request has more than ${maxParameters} parameters.` };
    const cut = pair.indexOf('=');
    const rawName = cut === -1 ? pair : pair.slice(0, cut);
    const rawValue = cut === -1 ? '' : pair.slice(cut + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.split('+').join(' '));
      value = decodeURIComponent(rawValue.split('+').join(' '));
    } catch {
      return { ok: false, message: 'The request contains malformed percent-encoding or invalid UTF-8.' };
    }
    const list = entries.get(name) ?? [];
    list.push(value);
    entries.set(name, list);
  }
  // Through a null-prototype object so the names come in the engine's key order (integer-like first).
  const record: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, values] of entries) record[name] = values.length === 1 ? (values[0] as string) : values;
  return { ok: true, proto: null, entries: Object.keys(record).map((name) => [name, record[name] as string | string[]]) };
}

function parsed(text: string, maxParameters: number): Outcome {
  let record: ParamRecord;
  try {
    record = parseUrlencoded(text, { maxParameters });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return { ok: true, proto: Object.getPrototypeOf(record) as object | null, entries: Object.keys(record).map((name) => [name, record[name] as string | string[]]) };
}

const piece = fc.constantFrom('&', '=', '%', '+', '%20', '%2B', '%3D', '%26', '%C3%A9', '%E0%A4', '%zz', '%2', 'a', 'B', '.', '1', 'é', '__proto__', 'constructor', 'Tag.1.Key', ' ');
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('core/params/urlencoded parseUrlencoded', () => {
  it('matches an independent split-and-decode oracle (names, order, repeats, refusals)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 12 }), (input, max) => {
        assert.deepEqual(parsed(input, max), oracle(input, max));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes each component on its own when `%`, `+` and `=` sit in other pairs', () => {
    assert.deepEqual(parsed('a&b=c%20d&e+f&g=h', 10), oracle('a&b=c%20d&e+f&g=h', 10));
    assert.deepEqual(parsed('x%41=1&y=+', 10), { ok: true, proto: null, entries: [['xA', '1'], ['y', ' ']] });
    assert.deepEqual(parsed('p=1=2&q', 10), { ok: true, proto: null, entries: [['p', '1=2'], ['q', '']] });
  });
});
