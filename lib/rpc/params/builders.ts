/**
 * The declaration DSL: `p.string()`, `p.integer()`, `p.list()`, `p.struct()`, …
 *
 * Every builder checks its options when called (a bad declaration throws a `TypeError` at start-up,
 * never at request time), including that a `default` satisfies the parameter's own constraints.
 */
import type { z } from 'zod';
import { Refusal, scalarReader, type ScalarDef } from './scalars.js';
import type {
  CommonOptions,
  Declaration,
  InferParams,
  InferSpec,
  ParamDef,
  ParamSpec,
  Presence,
  PresenceOf,
} from './spec.js';
import { isForbiddenSegment } from './wire-names.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Options of `p.string()`. */
export interface StringOptions extends CommonOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Must not carry the `g` or `y` flag (they make `test` stateful). */
  readonly pattern?: RegExp;
  /** Allowed values (case-sensitive); narrows the inferred type to their union. */
  readonly enum?: readonly string[];
  readonly default?: string;
}

/** Options of `p.integer()`: bounds default to the 32-bit signed range, like Aliyun's `Integer`. */
export interface IntegerOptions extends CommonOptions {
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}

/** Options of `p.long()`: bounds default to the 64-bit signed range. */
export interface LongOptions extends CommonOptions {
  readonly min?: bigint | number;
  readonly max?: bigint | number;
  readonly default?: bigint | number;
}

/** Options of `p.float()`. */
export interface FloatOptions extends CommonOptions {
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}

/** Options of `p.boolean()`. */
export interface BooleanOptions extends CommonOptions {
  readonly default?: boolean;
}

/** Options of `p.enum()`. */
export interface EnumOptions<V extends string = string> extends CommonOptions {
  readonly default?: V;
}

/** Options of `p.json()`. */
export interface JsonOptions extends CommonOptions {
  /** Most characters of JSON text accepted (checked before parsing). */
  readonly maxLength?: number;
}

/** Options of `p.list()`. A list has no default: an absent optional list is `undefined`. */
export interface ListOptions extends CommonOptions {
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Options of `p.struct()`. */
export type StructOptions = CommonOptions;

type StringOut<O> = O extends { readonly enum: readonly (infer E extends string)[] } ? E : string;

function declarationError(message: string): TypeError {
  return new TypeError(`Invalid parameter declaration: ${message}`);
}

function presenceOf(options: CommonOptions & { readonly default?: unknown }): Presence {
  if (options.required === true && options.default !== undefined) {
    throw declarationError('`required` and `default` cannot be combined');
  }
  if (options.required === true) return 'required';
  return options.default !== undefined ? 'defaulted' : 'optional';
}

function checkLength(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw declarationError(`${name} must be a non-negative integer`);
  }
}

function checkBounds(lower: number | bigint | undefined, upper: number | bigint | undefined, what: string): void {
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw declarationError(`${what}: the lower bound is greater than the upper bound`);
  }
}

function checkDefault(def: ScalarDef, value: string | number | bigint | boolean | undefined): void {
  if (value === undefined) return;
  const result = scalarReader(def)(String(value)); // the wire text a client would send
  if (result instanceof Refusal) throw declarationError(`default ${JSON.stringify(String(value))} is not valid: ${result.message}`);
}

function spec<T, P extends Presence>(def: ParamDef, presence: Presence, options: CommonOptions): ParamSpec<T, P> {
  const built: ParamSpec<T, P> =
    options.description === undefined
      ? { def, presence: presence as P }
      : { def, presence: presence as P, description: options.description };
  return Object.freeze(built);
}

function toBigInt(value: bigint | number | undefined, what: string): bigint | undefined {
  if (value === undefined || typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw declarationError(`${what} must be an integer`);
  return BigInt(value);
}

/**
 * The default applied to an absent parameter, or `undefined` when none is: a `defaulted` spec whose
 * definition carries a default value.
 *
 * @example
 * defaultOf(p.integer({ default: 10 })); // 10
 * defaultOf(p.integer());                // undefined
 */
export function defaultOf(spec: ParamSpec<unknown, Presence>): unknown {
  if (spec.presence !== 'defaulted') return undefined;
  const def = spec.def;
  return 'default' in def ? def.default : undefined;
}

/**
 * Check that every name of a declaration (or struct) is a usable wire-name segment.
 *
 * @example
 * checkDeclarationNames({ Tag: p.string() }); // ok
 * checkDeclarationNames({ 'Tag.Key': p.string() }); // throws TypeError
 */
export function checkDeclarationNames(fields: Declaration): void {
  for (const name of Object.keys(fields)) {
    if (name.length === 0 || name.includes('.') || isForbiddenSegment(name)) {
      throw declarationError(`${JSON.stringify(name)} is not a usable parameter name`);
    }
    const field = fields[name];
    if (field === undefined || typeof field !== 'object' || typeof field.def !== 'object') {
      throw declarationError(`${JSON.stringify(name)} is not built with p.*()`);
    }
  }
}

/**
 * A string parameter. `enum` narrows the type to the listed literals.
 *
 * @example
 * p.string({ required: true, maxLength: 128, pattern: /^i-[a-z0-9]+$/ })
 * p.string({ enum: ['cloud_efficiency', 'cloud_ssd'] as const, default: 'cloud_efficiency' })
 */
function string<const O extends StringOptions = {}>(options?: O): ParamSpec<StringOut<O>, PresenceOf<O>> {
  const o: StringOptions = options ?? {};
  checkLength('minLength', o.minLength);
  checkLength('maxLength', o.maxLength);
  checkBounds(o.minLength, o.maxLength, 'minLength/maxLength');
  if (o.pattern !== undefined && (o.pattern.global || o.pattern.sticky)) {
    throw declarationError('pattern must not use the g or y flag');
  }
  if (o.enum !== undefined && o.enum.length === 0) throw declarationError('enum must list at least one value');
  const def: ScalarDef = {
    kind: 'string',
    ...(o.minLength !== undefined && { minLength: o.minLength }),
    ...(o.maxLength !== undefined && { maxLength: o.maxLength }),
    ...(o.pattern !== undefined && { pattern: o.pattern }),
    ...(o.enum !== undefined && { enum: Object.freeze([...o.enum]) }),
    ...(o.default !== undefined && { default: o.default }),
  };
  checkDefault(def, o.default);
  return spec(def, presenceOf(o), o);
}

/**
 * An integer parameter (`number`). Decimal digits with an optional sign (leading zeros allowed,
 * `-0` read as 0; no spaces, fractions, exponents or hex); bounds default to
 * -2147483648..2147483647 (Aliyun's `Integer`); use `p.long()` for 64-bit values.
 *
 * @example
 * p.integer({ min: 1, max: 100, default: 10 })
 */
function integer<const O extends IntegerOptions = {}>(options?: O): ParamSpec<number, PresenceOf<O>> {
  const o: IntegerOptions = options ?? {};
  const min = o.min ?? INT32_MIN;
  const max = o.max ?? INT32_MAX;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) throw declarationError('integer bounds must be safe integers');
  checkBounds(min, max, 'min/max');
  const def: ScalarDef = { kind: 'integer', min, max, ...(o.default !== undefined && { default: o.default }) };
  checkDefault(def, o.default);
  return spec(def, presenceOf(o), o);
}

/**
 * A 64-bit integer parameter delivered as `bigint` (OwnerId-style ids exceed 2^53, and
 * JSON.stringify refuses bigint, so convert explicitly when echoing it back).
 *
 * @example
 * p.long({ min: 0n })
 */
function long<const O extends LongOptions = {}>(options?: O): ParamSpec<bigint, PresenceOf<O>> {
  const o: LongOptions = options ?? {};
  const min = toBigInt(o.min, 'min') ?? INT64_MIN;
  const max = toBigInt(o.max, 'max') ?? INT64_MAX;
  checkBounds(min, max, 'min/max');
  const fallback = toBigInt(o.default, 'default');
  const def: ScalarDef = { kind: 'long', min, max, ...(fallback !== undefined && { default: fallback }) };
  checkDefault(def, fallback);
  return spec(def, presenceOf(o), o);
}

/**
 * A floating-point parameter (`number`): decimal text with optional exponent; `NaN`, `Infinity`
 * and hexadecimal are refused.
 *
 * @example
 * p.float({ min: 0, max: 1 })
 */
function float<const O extends FloatOptions = {}>(options?: O): ParamSpec<number, PresenceOf<O>> {
  const o: FloatOptions = options ?? {};
  for (const bound of [o.min, o.max]) {
    if (bound !== undefined && !Number.isFinite(bound)) throw declarationError('float bounds must be finite');
  }
  checkBounds(o.min, o.max, 'min/max');
  const def: ScalarDef = {
    kind: 'float',
    ...(o.min !== undefined && { min: o.min }),
    ...(o.max !== undefined && { max: o.max }),
    ...(o.default !== undefined && { default: o.default }),
  };
  checkDefault(def, o.default);
  return spec(def, presenceOf(o), o);
}

/**
 * A boolean parameter: exactly `true` or `false` on the wire (what every SDK sends); anything else,
 * including `1`, `yes` and `True`, is invalid.
 *
 * @example
 * p.boolean({ default: false })
 */
function boolean<const O extends BooleanOptions = {}>(options?: O): ParamSpec<boolean, PresenceOf<O>> {
  const o: BooleanOptions = options ?? {};
  const def: ScalarDef = { kind: 'boolean', ...(o.default !== undefined && { default: o.default }) };
  return spec(def, presenceOf(o), o);
}

/**
 * One of a fixed set of strings (case-sensitive).
 *
 * @example
 * p.enum(['PayByTraffic', 'PayByBandwidth'], { default: 'PayByTraffic' })
 */
function enumOf<const V extends readonly [string, ...string[]], const O extends EnumOptions<V[number]> = {}>(
  values: V,
  options?: O,
): ParamSpec<V[number], PresenceOf<O>> {
  const o: EnumOptions = options ?? {};
  if (!Array.isArray(values) || values.length === 0) throw declarationError('p.enum needs at least one value');
  const def: ScalarDef = {
    kind: 'enum',
    values: Object.freeze([...values]),
    ...(o.default !== undefined && { default: o.default }),
  };
  checkDefault(def, o.default);
  return spec(def, presenceOf(o), o);
}

/**
 * A JSON-string parameter (`InstanceIds='["i-1","i-2"]'`): the wire text is parsed as JSON, then
 * validated by `schema`; the handler gets the schema's output. Object keys `__proto__`,
 * `constructor` and `prototype` are refused.
 *
 * @example
 * p.json(z.array(z.string()).max(100), { maxLength: 8192 })
 */
function json<S extends z.ZodType, const O extends JsonOptions = {}>(schema: S, options?: O): ParamSpec<z.output<S>, PresenceOf<O>> {
  const o: JsonOptions = options ?? {};
  checkLength('maxLength', o.maxLength);
  const def: ParamDef = { kind: 'json', schema, ...(o.maxLength !== undefined && { maxLength: o.maxLength }) };
  return spec(def, presenceOf(o), o);
}

/**
 * A repeat list: `Name.1`, `Name.2`, … (1-based). Items may be scalars, structs (`Tag.1.Key`) or
 * lists (`Name.1.2`); the item's own `required`/`default` is ignored.
 *
 * @example
 * p.list(p.string(), { maxItems: 100 })
 * p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 })
 */
function list<const I extends ParamSpec<unknown, Presence>, const O extends ListOptions = {}>(
  item: I,
  options?: O,
): ParamSpec<InferSpec<I>[], PresenceOf<O>> {
  const o: ListOptions = options ?? {};
  if (item === undefined || typeof item.def !== 'object') throw declarationError('p.list needs an item built with p.*()');
  checkLength('minItems', o.minItems);
  checkLength('maxItems', o.maxItems);
  checkBounds(o.minItems, o.maxItems, 'minItems/maxItems');
  const def: ParamDef = {
    kind: 'list',
    item,
    ...(o.minItems !== undefined && { minItems: o.minItems }),
    ...(o.maxItems !== undefined && { maxItems: o.maxItems }),
  };
  return spec(def, presenceOf(o), o);
}

/**
 * A struct: `Name.Field`. Present when any field is sent; a required field of a present struct is
 * reported as missing with its full wire name (`SystemDisk.Category`).
 *
 * @example
 * p.struct({ Category: p.enum(['cloud_ssd', 'cloud_essd']), Size: p.integer({ min: 20 }) })
 */
function struct<const F extends Declaration, const O extends StructOptions = {}>(
  fields: F,
  options?: O,
): ParamSpec<InferParams<F>, PresenceOf<O>> {
  const o: StructOptions = options ?? {};
  if (fields === null || typeof fields !== 'object') throw declarationError('p.struct needs an object of fields');
  checkDeclarationNames(fields);
  const def: ParamDef = { kind: 'struct', fields: Object.freeze({ ...fields }) };
  return spec(def, presenceOf(o), o);
}

/**
 * The declaration builders.
 *
 * @example
 * const DescribeInstances = {
 *   RegionId: p.string({ required: true }),
 *   InstanceIds: p.json(z.array(z.string()).max(100)),
 *   PageSize: p.integer({ min: 1, max: 100, default: 10 }),
 *   Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 }),
 * };
 */
export const p = Object.freeze({ string, integer, long, float, boolean, enum: enumOf, json, list, struct });
