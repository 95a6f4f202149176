/**
 * Property tests: any JSON-compatible data and any string render as well-formed XML and valid
 * JSON that read back to the same data (XML read by an independent strict parser and compared
 * with an independent model of the mapping rules).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderSuccess, renderError } from '../../lib/core/render/envelope.js';
import { errors } from '../../lib/index.js';
import { parseXmlStrict, type XmlElement } from '../support/xml.js';

const RUNS = 300;
const ID = '4C467B38-3910-447D-87BC-AC049166F216';

/** What XML 1.0 can carry: TAB, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. */
function xmlSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const ok =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    out += ok ? ch : '\uFFFD';
  }
  return out;
}

interface Expected {
  name: string;
  text: string;
  children: Expected[];
}

function expectedElements(name: string, value: unknown): Expected[] {
  if (value === null) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item) =>
      Array.isArray(item) ? [{ name, text: '', children: (item as unknown[]).flatMap((i) => itemElements(name, i)) }] : expectedElements(name, item),
    );
  }
  if (typeof value === 'object') {
    return [{ name, text: '', children: Object.entries(value as object).flatMap(([k, v]) => expectedElements(k, v)) }];
  }
  return [{ name, text: typeof value === 'string' ? xmlSafe(value) : String(value), children: [] }];
}

function itemElements(name: string, item: unknown): Expected[] {
  return Array.isArray(item) ? [{ name, text: '', children: item.flatMap((i) => itemElements(name, i)) }] : expectedElements(name, item);
}

function actual(element: XmlElement): Expected {
  return { name: element.name, text: element.text, children: element.children.map(actual) };
}

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.constantFrom(']]>', '<', '>', '&', '&amp;', '"', "'", '\r\n', '\r', '\t', '\u0000', '\u001f', '\uD800', '\uDFFF', '\uFFFE', '😀', '中文', ' '), { maxLength: 6 }).map((p) => p.join('')),
);
const key = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/),
  fc.constantFrom('RegionId', 'Ünïcode', '中文名', 'xmlLike', 'A.B', 'a-b', 'Code', 'Message'),
).filter((k) => k !== 'RequestId' && k !== '__proto__');

const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));
const data = fc.dictionary(key, jsonValue, { maxKeys: 6 });

describe('rendering properties', () => {
  it('JSON success bytes equal JSON.stringify of {RequestId, ...data} for any JSON-compatible data', () => {
    fc.assert(
      fc.property(data, (d) => {
        const out = renderSuccess('JSON', 'Test', ID, d, 200).body;
        assert.equal(out, JSON.stringify({ RequestId: ID, ...d }));
      }),
      { numRuns: RUNS },
    );
  });

  it('XML success is well-formed and reads back to the same data', () => {
    fc.assert(
      fc.property(data, (d) => {
        const xml = renderSuccess('XML', 'Test', ID, d, 200).body;
        const root = parseXmlStrict(xml);
        assert.deepEqual(actual(root), { name: 'TestResponse', text: '', children: [{ name: 'RequestId', text: ID, children: [] }, ...Object.entries(d).flatMap(([k, v]) => expectedElements(k, v))] });
      }),
      { numRuns: RUNS },
    );
  });

  it('any message renders as a well-formed error envelope in both formats', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (message, detail) => {
        const error = new errors.InvalidParameter({ message, data: { Detail: detail } });
        const input = { requestId: ID, hostId: 'h', recommend: `${message}?` };
        const json = JSON.parse(renderError('JSON', error, input).body);
        assert.deepEqual(json, { RequestId: ID, HostId: 'h', Code: 'InvalidParameter', Message: message, Recommend: `${message}?`, Detail: detail });
        const root = parseXmlStrict(renderError('XML', error, input).body);
        assert.deepEqual(
          root.children.map((c) => [c.name, c.text]),
          [['RequestId', ID], ['HostId', 'h'], ['Code', 'InvalidParameter'], ['Message', xmlSafe(message)], ['Recommend', xmlSafe(`${message}?`)], ['Detail', xmlSafe(detail)]],
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('any key that is not an XML name is refused, never written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), (k) => {
        let xml: string | undefined;
        try {
          xml = renderSuccess('XML', 'T', ID, { [k]: 1 }, 200).body;
        } catch (err) {
          assert.equal((err as Error).name, 'ResponseDataError');
          return;
        }
        parseXmlStrict(xml); // whatever was accepted must be well-formed
      }),
      { numRuns: RUNS },
    );
  });

  it('deep nesting is refused instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = { Leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { N: deep };
    assert.throws(() => renderSuccess('XML', 'T', ID, deep, 200), { name: 'ResponseDataError' });
    assert.throws(() => renderSuccess('JSON', 'T', ID, deep, 200), { name: 'ResponseDataError' });
  });
});
