/**
 * The parameter reader against an oracle: on random declarations and random requests (valid,
 * invalid and hostile names and values), parseParams gives exactly what the reference interpreter
 * of test/rpc/params-reference.ts (written independently, for obviousness) gives: the same value
 * (key order, prototypes, bigint vs number) or the same issue. Scalars are also compared one by one
 * on every edge text over a grid of constraints, and the zod schema export (`toZod`) is checked to
 * agree with parseParams on the trees that `unflatten` builds.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { toZod } from '../../lib/rpc/params/to-zod.js';
import { compileParams, listWireIndexes, p, parseParams, unflatten, type Declaration, type ParamDef, type ParamSpec, type Presence } from '../../lib/rpc/params/index.js';
import { readScalar, referenceParse, Refused } from './params-reference.js';

type AnySpec = ParamSpec<unknown, Presence>;
type ScalarDef = Exclude<ParamDef, { kind: 'list' | 'struct' }>;

// ---- wire values -------------------------------------------------------------------------------

/** Texts chosen to sit on every edge of the scalar rules. */
const EDGE_TEXTS = [
  '', '0', '-0', '+0', '+5', '-5', '007', '1', '2', '10', '99', '100', '101', '-1',
  '2147483647', '2147483648', '-2147483648', '-2147483649',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '0000000000000000000000001', '00000000000000000000000001', '1.5', '.5', '5.', '-.5', '1e3', '1E-2', '1e400', '-1e400',
  'NaN', 'Infinity', '0x10', ' 1', '1 ', 'true', 'false', 'True', 'FALSE', 'yes', '1.0',
  'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'i-abc', 'i-1', 'i-', 'I-ABC', 'i-abc\n',
  'Running', 'Stopped', 'PrePaid', 'x y', '😀', 'a😀', '😀😀', '😀😀😀', '\uD800', 'a\uDC00b', '\uDBFF\uDFFF', 'é', '中文',
  '[]', '["a"]', '["a","b","c"]', '{"a":1}', '{"a":"x"}', '{"__proto__":1}', '{"constructor":{}}', 'null', '[1]', '[', '"s"',
];

const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_TEXTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[+-]?\d{1,22}$/) },
);

// ---- random declarations -----------------------------------------------------------------------

const PATTERNS = [/^i-[a-z0-9]+$/, /^[a-z]*$/, /\d/, /^.{2}$/u, /^[^\s]+$/];
const ENUM_POOL = ['a', 'ab', 'Running', 'Stopped', 'PrePaid', '1', 'true', '', 'é', '😀'];

function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

/** How a parameter may be absent; a default is drawn from the edge texts and kept when the builder accepts it. */
const presenceArb = fc.record({ mode: fc.constantFrom('optional', 'required', 'default'), fallback: fc.constantFrom(...EDGE_TEXTS) });
type PresenceChoice = { mode: 'optional' | 'required' | 'default'; fallback: string };

/** Builds a spec, or undefined when the builder refuses the drawn options (e.g. an invalid default). */
type SpecMaker = () => AnySpec | undefined;

function attempt(build: () => AnySpec): AnySpec | undefined {
  try {
    return build();
  } catch (error) {
    if (error instanceof TypeError) return undefined;
    throw error;
  }
}

function presenceOptions(choice: PresenceChoice, convert: (text: string) => unknown): Record<string, unknown> {
  if (choice.mode === 'required') return { required: true };
  if (choice.mode === 'default') {
    const value = convert(choice.fallback);
    return value === undefined ? {} : { default: value };
  }
  return {};
}

function toNumber(text: string): number | undefined {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : undefined;
}

function toBigInt(text: string): bigint | undefined {
  try {
    return /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
  } catch {
    return undefined;
  }
}

const stringSpec: fc.Arbitrary<SpecMaker> = fc
  .record({
    minLength: optional(fc.integer({ min: 0, max: 4 })),
    extra: optional(fc.integer({ min: 0, max: 3 })),
    pattern: optional(fc.constantFrom(...PATTERNS)),
    enum: optional(fc.uniqueArray(fc.constantFrom(...ENUM_POOL), { minLength: 1, maxLength: 4 })),
    presence: presenceArb,
  })
  .map((o) => () => {
    const maxLength = o.extra === undefined ? undefined : (o.minLength ?? 0) + o.extra;
    return attempt(() =>
      p.string({
        ...(o.minLength !== undefined && { minLength: o.minLength }),
        ...(maxLength !== undefined && { maxLength }),
        ...(o.pattern !== undefined && { pattern: o.pattern }),
        ...(o.enum !== undefined && { enum: o.enum }),
        ...presenceOptions(o.presence, (t) => t),
      }) as AnySpec,
    );
  });

const BOUNDS = [-5, -1, 0, 1, 2, 10, 100];

const integerSpec: fc.Arbitrary<SpecMaker> = fc
  .record({ min: optional(fc.constantFrom(...BOUNDS)), span: optional(fc.constantFrom(0, 1, 9, 99)), presence: presenceArb })
  .map((o) => () =>
    attempt(() =>
      p.integer({
        ...(o.min !== undefined && { min: o.min }),
        ...(o.span !== undefined && { max: (o.min ?? 0) + o.span }),
        ...presenceOptions(o.presence, toNumber),
      }) as AnySpec,
    ),
  );

const longSpec: fc.Arbitrary<SpecMaker> = fc
  .record({ min: optional(fc.constantFrom(-5n, 0n, 1n)), max: optional(fc.constantFrom(10n, 2n ** 62n)), presence: presenceArb })
  .map((o) => () =>
    attempt(() =>
      p.long({ ...(o.min !== undefined && { min: o.min }), ...(o.max !== undefined && { max: o.max }), ...presenceOptions(o.presence, toBigInt) }) as AnySpec,
    ),
  );

const floatSpec: fc.Arbitrary<SpecMaker> = fc
  .record({ min: optional(fc.constantFrom(-1.5, 0, 0.5)), max: optional(fc.constantFrom(1, 100.25)), presence: presenceArb })
  .map((o) => () =>
    attempt(() =>
      p.float({ ...(o.min !== undefined && { min: o.min }), ...(o.max !== undefined && { max: o.max }), ...presenceOptions(o.presence, toNumber) }) as AnySpec,
    ),
  );

const booleanSpec: fc.Arbitrary<SpecMaker> = presenceArb.map((presence) => () =>
  attempt(() => p.boolean(presenceOptions(presence, (t) => (t === 'true' ? true : t === 'false' ? false : undefined))) as AnySpec),
);

const enumSpec: fc.Arbitrary<SpecMaker> = fc
  .record({ values: fc.uniqueArray(fc.constantFrom(...ENUM_POOL), { minLength: 1, maxLength: 4 }), presence: presenceArb })
  .map((o) => () => attempt(() => p.enum(o.values as [string, ...string[]], presenceOptions(o.presence, (t) => t)) as AnySpec));

const JSON_SCHEMAS = [() => z.array(z.string()).max(2), () => z.object({ a: z.number() }), () => z.union([z.null(), z.array(z.number())])];
const jsonSpec: fc.Arbitrary<SpecMaker> = fc
  .record({ schema: fc.constantFrom(...JSON_SCHEMAS), maxLength: optional(fc.integer({ min: 0, max: 12 })), required: fc.boolean() })
  .map((o) => () =>
    attempt(() => p.json(o.schema(), { ...(o.maxLength !== undefined && { maxLength: o.maxLength }), ...(o.required && { required: true as const }) }) as AnySpec),
  );

const scalarSpec = fc.oneof(stringSpec, integerSpec, longSpec, floatSpec, booleanSpec, enumSpec, jsonSpec);
const NAMES = ['A', 'B', 'Key', 'Value', 'RegionId', 'Size', 'N1', 'OwnerId'];

const specArb: fc.Arbitrary<SpecMaker> = fc.letrec<{ spec: SpecMaker }>((tie) => ({
  spec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarSpec,
    fc
      .record({ item: tie('spec'), minItems: optional(fc.integer({ min: 0, max: 2 })), extra: optional(fc.integer({ min: 0, max: 3 })), required: fc.boolean() })
      .map((o) => () => {
        const item = o.item();
        if (item === undefined) return undefined;
        const maxItems = o.extra === undefined ? undefined : (o.minItems ?? 0) + o.extra;
        return p.list(item, {
          ...(o.minItems !== undefined && { minItems: o.minItems }),
          ...(maxItems !== undefined && { maxItems }),
          ...(o.required && { required: true as const }),
        }) as AnySpec;
      }),
    fc
      .record({ fields: fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), tie('spec')), { minLength: 1, maxLength: 3, selector: ([n]) => n }), required: fc.boolean() })
      .map((o) => () => {
        const fields: Record<string, AnySpec> = {};
        for (const [name, make] of o.fields) {
          const spec = make();
          if (spec === undefined) return undefined;
          fields[name] = spec;
        }
        return p.struct(fields, o.required ? { required: true as const } : {}) as AnySpec;
      }),
  ),
})).spec;

const declarationArb: fc.Arbitrary<Declaration | undefined> = fc
  .uniqueArray(fc.tuple(fc.constantFrom('RegionId', 'InstanceId', 'Tag', 'PageSize', 'Disk', 'Filter', 'OwnerId', 'X'), specArb), {
    minLength: 1,
    maxLength: 5,
    selector: ([n]) => n,
  })
  .map((entries) => {
    const declaration: Record<string, AnySpec> = {};
    for (const [name, make] of entries) {
      const spec = make();
      if (spec === undefined) return undefined;
      declaration[name] = spec;
    }
    return declaration;
  });

// ---- random requests for a declaration ---------------------------------------------------------

const INDEXES = ['1', '1', '2', '2', '3', '5', '10', '0', '01', '1001', 'x', '', '__proto__'];
const NOISE = ['Action', 'Version', 'Format', 'Foo', 'Foo.1', 'Foo.1.Bar', '__proto__', 'constructor', 'prototype', 'Tag.__proto__', 'A.constructor.B', 'OwnerAccount', 'ResourceOwnerId', 'ClientToken', 'RegionId.1'];

type Gen = fc.GeneratorValue;

function value(g: Gen): string | string[] {
  return g(fc.integer, { min: 0, max: 15 }) === 0 ? [g(() => textArb), g(() => textArb)] : g(() => textArb);
}

const acceptedTexts = new WeakMap<AnySpec, string[]>();

/** A value for a leaf: mostly one its zod schema accepts (so that whole requests are often valid). */
function leafValue(g: Gen, spec: AnySpec): string | string[] {
  let texts = acceptedTexts.get(spec);
  if (texts === undefined) {
    const def = spec.def as ScalarDef;
    texts = EDGE_TEXTS.filter((text) => !(readScalar(def, text) instanceof Refused));
    acceptedTexts.set(spec, texts);
  }
  if (texts.length > 0 && g(fc.integer, { min: 0, max: 9 }) < 8) return g(fc.constantFrom, ...texts);
  return value(g);
}

/** Wire names (and values) for `spec` sent under `name`, mostly well-formed, sometimes not. */
function emit(g: Gen, spec: AnySpec, name: string, into: Record<string, string | string[]>, depth: number): void {
  const def = spec.def;
  const twist = g(fc.integer, { min: 0, max: 39 });
  if (twist === 0 || depth > 4) {
    into[name] = value(g); // a container sent as a scalar, or a scalar at the deepest level
    return;
  }
  if (def.kind === 'list') {
    const count = g(fc.integer, { min: 0, max: 4 });
    for (let i = 0; i < count; i++) {
      const index = g(fc.integer, { min: 0, max: 19 }) < 18 ? String(i + 1) : g(fc.constantFrom, ...INDEXES);
      emit(g, def.item, `${name}.${index}`, into, depth + 1);
    }
    return;
  }
  if (def.kind === 'struct') {
    for (const field of Object.keys(def.fields)) {
      if (g(fc.integer, { min: 0, max: 4 }) > 0) emit(g, def.fields[field] as AnySpec, `${name}.${field}`, into, depth + 1);
    }
    if (g(fc.integer, { min: 0, max: 19 }) === 0) into[`${name}.Undeclared`] = value(g);
    return;
  }
  if (twist === 1) {
    into[`${name}.1`] = value(g); // sub-names under a scalar
    return;
  }
  into[name] = leafValue(g, spec);
}

function request(g: Gen, declaration: Declaration, nullPrototype: boolean): Record<string, string | string[]> {
  const flat: Record<string, string | string[]> = nullPrototype ? Object.create(null) : {};
  for (const name of Object.keys(declaration)) {
    if (g(fc.integer, { min: 0, max: 3 }) > 0) emit(g, declaration[name] as AnySpec, name, flat, 0);
  }
  const noise = g(fc.integer, { min: 0, max: 3 }) - 1;
  for (let i = 0; i < noise; i++) flat[g(fc.constantFrom, ...NOISE)] = value(g);
  return flat;
}

// ---- comparing results -------------------------------------------------------------------------

/** Everything observable about a value: key order, prototypes, bigint vs number, array holes. */
function describeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return { bigint: String(v) };
  if (typeof v === 'number') return Object.is(v, -0) ? { number: '-0' } : { number: v };
  if (Array.isArray(v)) return { array: Array.from({ length: v.length }, (_, i) => (i in v ? describeValue(v[i]) : { hole: true })) };
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    return { proto: proto === Object.prototype ? 'Object' : proto === null ? 'null' : 'other', entries: Object.keys(v).map((k) => [k, describeValue((v as Record<string, unknown>)[k])]) };
  }
  return v;
}

/** A one-parameter declaration of a scalar definition (built without p.*, so any grid point is allowed). */
function single(def: ScalarDef): Declaration {
  return { X: { def, presence: 'optional' } };
}

function assertAgrees(declaration: Declaration, flat: Record<string, string | string[]>, strict: boolean): boolean {
  const compiled = compileParams(declaration, { maxListIndex: 1000 });
  const result = parseParams(compiled, flat, { strict });
  const reference = referenceParse(declaration, flat, strict, 1000);
  assert.deepStrictEqual(result.ok ? { ok: true } : result, reference.ok ? { ok: true } : reference, JSON.stringify(flat));
  if (result.ok && reference.ok) assert.deepStrictEqual(describeValue(result.value), describeValue(reference.value), JSON.stringify(flat));
  return result.ok;
}

describe('rpc/params reader against the reference interpreter', () => {
  it('gives the reference value (key order, prototypes) or the reference issue (property)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(declarationArb, fc.gen(), fc.boolean(), fc.boolean(), (declaration, g, strict, nullPrototype) => {
        fc.pre(declaration !== undefined);
        for (let round = 0; round < 3; round++) {
          if (assertAgrees(declaration as Declaration, request(g, declaration as Declaration, nullPrototype), strict)) accepted += 1;
          else refused += 1;
        }
      }),
      { numRuns: 300 },
    );
    // Both outcomes must be well represented, or the property above proves little.
    // ~900 samples; about 1 in 6 is accepted, so a bound of 50 never fails by chance.
    assert.ok(accepted > 50 && refused > 50, `accepted ${accepted}, refused ${refused}`);
  });

  it('reads every scalar as the reference does, on random constraints and texts (property)', () => {
    const leafSpec = fc.oneof(stringSpec, integerSpec, longSpec, floatSpec, booleanSpec, enumSpec, jsonSpec);
    let accepted = 0;
    fc.assert(
      fc.property(leafSpec, fc.array(textArb, { minLength: 1, maxLength: 20 }), (make, texts) => {
        const spec = make();
        fc.pre(spec !== undefined);
        const declaration = { X: spec as AnySpec };
        for (const text of texts) if (assertAgrees(declaration, { X: text }, false)) accepted += 1;
        assertAgrees(declaration, { X: ['a', 'b'] }, false); // a repeated name is never a scalar
      }),
      { numRuns: 600 },
    );
    assert.ok(accepted > 200, `accepted ${accepted}`);
  });

  it('reads every edge text as the reference does, over a grid of constraints', () => {
    const defs: ScalarDef[] = [{ kind: 'boolean' }, { kind: 'enum', values: ENUM_POOL }];
    for (let min = 0; min <= 4; min++) {
      for (let max = min; max <= 6; max++) {
        defs.push({ kind: 'string', minLength: min }, { kind: 'string', maxLength: max }, { kind: 'string', minLength: min, maxLength: max });
      }
    }
    for (const pattern of PATTERNS) defs.push({ kind: 'string', pattern }, { kind: 'string', pattern, maxLength: 3, enum: ENUM_POOL });
    for (const min of BOUNDS) {
      for (const max of [...BOUNDS, 2147483647]) {
        if (min > max) continue;
        defs.push({ kind: 'integer', min, max }, { kind: 'float', min, max }, { kind: 'long', min: BigInt(min), max: BigInt(max) });
      }
    }
    defs.push({ kind: 'float' }, { kind: 'long', min: -(2n ** 63n), max: 2n ** 63n - 1n }, { kind: 'integer', min: -2147483648, max: 2147483647 });
    for (const make of JSON_SCHEMAS) defs.push({ kind: 'json', schema: make() }, { kind: 'json', schema: make(), maxLength: 6 });
    let accepted = 0;
    for (const def of defs) for (const text of EDGE_TEXTS) if (assertAgrees(single(def), { X: text }, false)) accepted += 1;
    assert.ok(accepted > 1000, `accepted ${accepted}`);
  });

  it('counts string lengths in code points (surrogate pairs, lone surrogates) as the reference does (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.integer({ min: 0, max: 12 }), (text, n) => {
        assertAgrees(single({ kind: 'string', maxLength: n }), { X: text }, false);
        assertAgrees(single({ kind: 'string', minLength: n }), { X: text }, false);
      }),
      { numRuns: 2000 },
    );
  });

  it('toZod(declaration) accepts the guided tree of an accepted request and gives the same value (property)', () => {
    let compared = 0;
    fc.assert(
      fc.property(declarationArb, fc.gen(), (declaration, g) => {
        fc.pre(declaration !== undefined);
        const flat = request(g, declaration as Declaration, false);
        const result = parseParams(compileParams(declaration as Declaration, { maxListIndex: 1000 }), flat);
        const tree = unflatten(flat, { declaration: declaration as Declaration, maxListIndex: 1000 });
        if (!result.ok || !tree.ok) return;
        const viaZod = toZod(declaration as Declaration).safeParse(tree.value);
        assert.ok(viaZod.success, JSON.stringify(flat));
        assert.deepStrictEqual(describeValue(viaZod.data), describeValue(result.value));
        compared += 1;
      }),
      { numRuns: 300 },
    );
    assert.ok(compared > 20, `compared ${compared}`);
  });

  it('gives a handler fresh arrays: no wire indexes of the request leak into the value', () => {
    const result = parseParams({ InstanceId: p.list(p.string()) }, { 'InstanceId.2': 'b', 'InstanceId.7': 'c' });
    assert.ok(result.ok);
    assert.deepStrictEqual(result.value, { InstanceId: ['b', 'c'] });
    assert.equal(listWireIndexes(result.value.InstanceId ?? []), undefined);
  });

  it('keeps a present JSON parameter whose schema outputs undefined', () => {
    const result = parseParams({ J: p.json(z.string().transform(() => undefined)) }, { J: '"x"' });
    assert.ok(result.ok);
    assert.ok('J' in result.value && result.value.J === undefined);
  });
});
