/**
 * Stored results: a replay must render the same bytes as the first answer, in JSON and in XML,
 * whatever the handler returned (bigint, Date, undefined, NaN, toJSON, nested lists), and a stored
 * text that is not ours is refused rather than misread.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderSuccess } from '../../lib/core/render/envelope.js';
import { restoreData, snapshotData } from '../../lib/index.js';

const ID = '0C1B2A39-4857-6E5D-7C8B-9A0F1E2D3C4B';

/** The envelope bytes of `data` (or the error the renderer throws), in both formats. */
function rendered(data: object): string[] {
  return (['JSON', 'XML'] as const).map((format) => {
    try {
      return renderSuccess(format, 'CreateThing', ID, data, 200).body;
    } catch (error) {
      return `throws ${(error as Error).name}: ${(error as Error).message}`;
    }
  });
}

function replayed(data: object): object {
  return restoreData(snapshotData(data));
}

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/);
const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.date({ min: new Date(-8.64e15 + 1000), max: new Date(8.64e15 - 1000) }),
  fc.constant(new Date(Number.NaN)),
);
const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 4 }), tie('tree')),
  tree: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
}));

describe('idempotency: stored results (snapshotData / restoreData)', () => {
  it('property: the replay renders exactly the bytes of the first answer, in JSON and in XML', () => {
    fc.assert(
      fc.property(tree, (data) => {
        let copy: object;
        try {
          copy = replayed(data as object);
        } catch {
          // Not storable: then the first answer could not be rendered either.
          return rendered(data as object).every((text) => text.startsWith('throws'));
        }
        assert.deepEqual(rendered(copy), rendered(data as object));
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('keeps bigints as bigints (exact digits, not strings), at any depth and in lists', () => {
    const data = { Quota: 9007199254740993n, Nested: { List: [1n, -2n, { Deep: 2n ** 70n }] }, Text: '1' };
    const copy = replayed(data) as typeof data;
    assert.equal(copy.Quota, 9007199254740993n);
    assert.deepEqual(copy.Nested.List, [1n, -2n, { Deep: 2n ** 70n }]);
    assert.equal(copy.Text, '1');
    assert.deepEqual(rendered(copy), rendered(data));
    assert.match(rendered(copy)[0] as string, /"Quota":9007199254740993,/);
  });

  it('stores a Date as its rendered text; leaves out undefined (in lists too); NaN as null', () => {
    const data = { At: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), Gone: undefined, List: [1, undefined, 2, () => 3], Ratio: Number.NaN };
    const copy = replayed(data);
    assert.deepEqual(copy, { At: '2024-01-02T03:04:05Z', List: [1, 2], Ratio: null });
    assert.deepEqual(rendered(copy), rendered(data));
  });

  it('applies toJSON() like the renderers, and keeps an own "__proto__" key an ordinary member', () => {
    const data = { Item: { toJSON: () => ({ Id: 'x' }) }, Odd: JSON.parse('{"__proto__":{"Polluted":true}}') as object };
    const copy = replayed(data) as Record<string, unknown>;
    assert.deepEqual(copy.Item, { Id: 'x' });
    assert.equal(({} as Record<string, unknown>).Polluted, undefined);
    assert.equal(Object.getPrototypeOf(copy.Odd), Object.prototype);
    assert.deepEqual(Object.keys(copy.Odd as object), ['__proto__']);
  });

  it('every replay is a fresh object (a handler that mutates its result changes nothing stored)', () => {
    const text = snapshotData({ List: [1, 2], Big: 1n });
    const a = restoreData(text) as { List: number[] };
    a.List.push(3);
    assert.deepEqual(restoreData(text), { List: [1, 2], Big: 1n });
  });

  it('refuses data the renderers cannot render either (cycle, invalid Date, toJSON without an object)', () => {
    const cycle: Record<string, unknown> = {};
    cycle.Self = cycle;
    for (const data of [cycle, { At: new Date(Number.NaN) }, { Bad: { toJSON: () => 'text' } }]) {
      assert.throws(() => snapshotData(data), /ResponseDataError|nested|Date|toJSON/);
    }
  });

  it('refuses stored text that is not a snapshot (never misread)', () => {
    for (const text of ['', 'null', '[]', '{"d":[]}', '{"d":1}', '{"x":{}}', '{"d":{},"b":{}}', '{"d":{"A":"1"},"b":[["B"]]}', '{"d":{"A":"x"},"b":[["A"]]}', '{"d":{"A":["1"]},"b":[["A",1]]}', '{"d":{},"b":[[]]}']) {
      assert.throws(() => restoreData(text), /SyntaxError|not a stored result|JSON/, text);
    }
  });
});
