/**
 * The JSON writer's native fast path (lib/core/render/native-json.ts): plain data goes to
 * JSON.stringify, everything else to the writer, and the bytes are the same either way.
 *
 * Reference: wrapping data as `{ toJSON: () => data }` forces the writer's own path (the fast
 * path refuses objects with toJSON; the writer unwraps it and writes `data` one level down).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { writeObject } from '../../lib/core/render/json-writer.js';
import { isNativeJsonData, NATIVE_JSON_MAX_DEPTH } from '../../lib/core/render/native-json.js';

const LEADING = '"RequestId":"4C467B38-3910-447D-87BC-AC049166F216"';
const RUNS = 400;

type Outcome = { text: string } | { error: string };

function outcome(write: () => string): Outcome {
  try {
    return { text: write() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** What writeObject gives, and what the writer alone gives. */
function bothPaths(data: object): { fast: Outcome; writer: Outcome } {
  return {
    fast: outcome(() => writeObject(data, 0, LEADING)),
    writer: outcome(() => writeObject({ toJSON: () => data }, 0, LEADING)),
  };
}

class Instance {
  constructor(readonly InstanceId: string) {}
}

const name = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/), fc.constantFrom('RegionId', '中文名', 'Ünï', '__proto__', 'toString'));
const awkwardKey = fc.constantFrom('1st', 'a b', '', 'x:y', '<k>');
const plainScalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double(), // includes NaN, ±Infinity and -0
  fc.boolean(),
  fc.constant(null),
);
const awkwardScalar = fc.oneof(
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.bigInt(),
  fc.constant(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))),
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Instance('i-1')),
  // eslint-disable-next-line no-new-wrappers
  fc.constant(new String('boxed')),
  fc.constant({ toJSON: () => ({ Replaced: true }) }),
);

/** Plain JSON data (the fast path must take it) with an arbitrary mix of everything else. */
const { plain } = fc.letrec((tie) => ({
  plain: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plainScalar, fc.array(tie('plain'), { maxLength: 4 }), fc.dictionary(name, tie('plain'), { maxKeys: 5, noNullPrototype: false })),
}));
const { mixed } = fc.letrec((tie) => ({
  mixed: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    plainScalar,
    awkwardScalar,
    fc.array(tie('mixed'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(name, awkwardKey), tie('mixed'), { maxKeys: 5, noNullPrototype: false }),
  ),
}));

describe('JSON writer: native fast path', () => {
  it('takes plain data and writes exactly what the writer writes', () => {
    fc.assert(
      fc.property(fc.dictionary(name, plain, { maxKeys: 6 }), (data) => {
        assert.equal(isNativeJsonData(data), true);
        const { fast, writer } = bothPaths(data);
        assert.deepEqual(fast, writer);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same bytes or the same error as the writer for any mix of values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(name, awkwardKey), mixed, { maxKeys: 6 }), (data) => {
        const { fast, writer } = bothPaths(data);
        assert.deepEqual(fast, writer);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses what JSON.stringify would write differently, so the writer handles it', () => {
    const refused: Record<string, object> = {
      bigint: { OwnerId: 2n ** 63n },
      Date: { CreationTime: new Date(0) },
      'toJSON member': { A: { toJSON: () => ({ B: 1 }) } },
      'toJSON at the top': { toJSON: () => ({ B: 1 }) },
      'array with toJSON': { A: Object.assign([1], { toJSON: () => [2] }) },
      'class instance': { A: new Instance('i-1') },
      'boxed string': { A: new String('x') },
      'undefined item': { A: [1, undefined] },
      hole: { A: [1, , 2] }, // eslint-disable-line no-sparse-arrays
      'function item': { A: [() => 1] },
      'symbol item': { A: [Symbol('s')] },
      'invalid key': { 'a b': 1 },
      'invalid nested key': { A: { '1st': 1 } },
      Map: { A: new Map([['k', 1]]) },
      'typed array': { A: new Uint8Array(2) },
    };
    for (const [label, data] of Object.entries(refused)) {
      assert.equal(isNativeJsonData(data), false, label);
      const { fast, writer } = bothPaths(data);
      assert.deepEqual(fast, writer, label);
    }
  });

  it('accepts what both write the same: omitted members, null prototypes, NaN and -0, own __proto__ keys', () => {
    const accepted: Record<string, object> = {
      'undefined member': { A: undefined, B: 1 },
      'function member': { A: () => 1, B: 'x' },
      'symbol member': { A: Symbol('s') },
      'invalid key of an omitted member': { 'a b': undefined },
      'null prototype': Object.assign(Object.create(null) as object, { A: Object.assign(Object.create(null) as object, { B: [1, 'two', null] }) }),
      'non-finite numbers': { A: Number.NaN, B: -Infinity, C: -0, D: [Number.NaN] },
      'own __proto__ key': JSON.parse('{"__proto__":{"A":1}}') as object,
      empty: {},
      'all omitted': { A: undefined },
    };
    for (const [label, data] of Object.entries(accepted)) {
      assert.equal(isNativeJsonData(data), true, label);
      const { fast, writer } = bothPaths(data);
      assert.deepEqual(fast, writer, label);
    }
    assert.equal(writeObject({ A: undefined }, 0, LEADING), `{${LEADING}}`);
    assert.equal(writeObject({ A: 1 }, 0, undefined), '{"A":1}');
  });

  it(`walks at most ${NATIVE_JSON_MAX_DEPTH} levels below the top; deeper data and cycles get the writer's own answer`, () => {
    const nest = (levels: number): Record<string, unknown> => {
      let node: Record<string, unknown> = { Leaf: 1 };
      for (let i = 0; i < levels; i++) node = { N: node };
      return node;
    };
    assert.equal(isNativeJsonData(nest(NATIVE_JSON_MAX_DEPTH)), true);
    assert.equal(isNativeJsonData(nest(NATIVE_JSON_MAX_DEPTH + 1)), false);
    const deep = nest(NATIVE_JSON_MAX_DEPTH + 5);
    assert.equal(writeObject(deep, 0, undefined), JSON.stringify(deep)); // the writer still writes it
    const cyclic: Record<string, unknown> = { A: 1 };
    cyclic.Self = cyclic;
    assert.equal(isNativeJsonData(cyclic), false);
    assert.throws(() => writeObject(cyclic, 0, LEADING), { name: 'ResponseDataError' });
    assert.throws(() => writeObject(nest(10_000), 0, LEADING), { name: 'ResponseDataError' });
  });

  it('remembers validated keys by position without letting an invalid key through at a remembered position', () => {
    // Same shape many times (the memo fills), then the same positions with keys it must not accept.
    const items = Array.from({ length: 5 }, (_, i) => ({ InstanceId: `i-${i}`, Tags: { Tag: [{ TagKey: 'k', TagValue: 'v' }] } }));
    assert.equal(isNativeJsonData({ Items: { Item: items } }), true);
    const variants: Record<string, object> = {
      'invalid key at a remembered position': { Items: { Item: [...items, { '1st': 'x', Tags: { Tag: [] } }] } },
      'invalid nested key at a remembered position': { Items: { Item: [...items, { InstanceId: 'i', Tags: { Tag: [{ 'Tag Key': 'k' }] } }] } },
      'remembered key then an invalid one': { Items: { Item: [{ InstanceId: 'i', 'a b': 1 }] } },
      'a key longer than the memo keeps': { Items: { Item: [{ [`K${'x'.repeat(80)}`]: 1, 'a b': 2 }] } },
      'keys past the remembered positions': { Wide: Object.fromEntries([...Array.from({ length: 70 }, (_, i) => [`K${i}`, i] as const), ['a b', 1] as const]) },
    };
    for (const [label, data] of Object.entries(variants)) {
      assert.equal(isNativeJsonData(data), false, label);
      const { fast, writer } = bothPaths(data);
      assert.deepEqual(fast, writer, label);
    }
    const wide = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`K${i}`, i] as const));
    assert.equal(isNativeJsonData({ Wide: wide }), true);
    assert.equal(isNativeJsonData({ Wide: wide }), true); // the second walk meets remembered keys
    const { fast, writer } = bothPaths({ Wide: wide });
    assert.deepEqual(fast, writer);
  });

  it('gives the same answer whatever was walked before (shuffled shapes, keys moved between positions)', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.oneof(name, awkwardKey), mixed, { maxKeys: 6 }), { minLength: 1, maxLength: 6 }), (list) => {
        for (const data of list) {
          const { fast, writer } = bothPaths(data);
          assert.deepEqual(fast, writer);
        }
        const { fast, writer } = bothPaths({ List: list });
        assert.deepEqual(fast, writer);
      }),
      { numRuns: RUNS },
    );
  });

  // JSON.rawJSON exists from Node 21 (V8 11.4); on Node 20 there is nothing to refuse.
  const rawJson = (JSON as { rawJSON?: (text: string) => object }).rawJSON;
  (rawJson === undefined ? it.skip : it)('refuses JSON.rawJSON values (JSON.stringify writes their raw text; the writer does not)', () => {
    const data = { A: (rawJson as (text: string) => object)('12345678901234567890') };
    assert.equal(isNativeJsonData(data), false);
    const { fast, writer } = bothPaths(data);
    assert.deepEqual(fast, writer);
  });

  it('ignores enumerable properties inherited from a polluted Object.prototype, like the writer', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      Object.defineProperty(proto, 'Polluted', { value: 1n, enumerable: true, configurable: true, writable: true });
      const data = { A: { B: 1 } };
      const { fast, writer } = bothPaths(data);
      assert.deepEqual(fast, writer);
      assert.deepEqual(fast, { text: `{${LEADING},"A":{"B":1}}` });
    } finally {
      delete proto.Polluted;
    }
  });
});
