/**
 * zod schemas that turn one wire string into a typed scalar: the single source of truth for what
 * each scalar kind accepts (also used to check declared defaults).
 */
import { z } from 'zod';
import type { BooleanDef, EnumDef, FloatDef, IntegerDef, JsonDef, LongDef, StringDef } from './spec.js';
import { booleanReader, floatReader, integerReader, longReader, Refusal, type ScalarReader } from './scalar-readers.js';
import { isForbiddenSegment } from './wire-names.js';

/** Scalar definitions (everything but lists and structs). */
export type ScalarDef = StringDef | IntegerDef | LongDef | FloatDef | BooleanDef | EnumDef | JsonDef;

/** Enum values listed in a reason, at most. */
const MAX_LISTED_VALUES = 20;

type Ctx = z.core.$RefinementCtx<string>;

function fail(ctx: Ctx, raw: string, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: raw });
  return z.NEVER;
}

/** A zod schema over a shared reader: the reader's refusal becomes a custom issue with its message. */
function readerSchema<T>(read: ScalarReader<T>): z.ZodType<T, string> {
  return z.string().transform((raw, ctx) => {
    const value = read(raw);
    return value instanceof Refusal ? fail(ctx, raw, value.message) : value;
  });
}

/**
 * The reason used when a value is not one of `values`.
 *
 * @example
 * oneOfReason(['a', 'b']); // 'must be one of: a, b'
 */
export function oneOfReason(values: readonly string[]): string {
  return values.length <= MAX_LISTED_VALUES ? `must be one of: ${values.join(', ')}` : 'must be one of the allowed values';
}

function stringSchema(def: StringDef): z.ZodType<string, string> {
  let schema = z.string();
  if (def.minLength !== undefined) {
    schema = schema.min(def.minLength, { error: `must be at least ${def.minLength} characters long` });
  }
  if (def.maxLength !== undefined) {
    schema = schema.max(def.maxLength, { error: `must be at most ${def.maxLength} characters long` });
  }
  if (def.pattern !== undefined) schema = schema.regex(def.pattern, { error: `must match ${String(def.pattern)}` });
  if (def.enum !== undefined) {
    const allowed = new Set(def.enum);
    const reason = oneOfReason(def.enum);
    return schema.refine((value) => allowed.has(value), { error: reason });
  }
  return schema;
}

function enumSchema(def: EnumDef): z.ZodType<string, string> {
  const allowed = new Set(def.values);
  const reason = oneOfReason(def.values);
  return z.string().refine((value) => allowed.has(value), { error: reason });
}

function refuseForbiddenKeys(key: string, value: unknown): unknown {
  if (isForbiddenSegment(key)) throw new SyntaxError('forbidden key');
  return value;
}

function jsonSchema(def: JsonDef): z.ZodType<unknown, string> {
  const { maxLength } = def;
  const text = z.string().transform((raw, ctx) => {
    if (maxLength !== undefined && raw.length > maxLength) {
      return fail(ctx, raw, `must be at most ${maxLength} characters of JSON`);
    }
    const suspicious = raw.includes('__proto__') || raw.includes('constructor') || raw.includes('prototype');
    try {
      return JSON.parse(raw, suspicious ? refuseForbiddenKeys : undefined) as unknown;
    } catch (error) {
      const forbidden = error instanceof SyntaxError && error.message === 'forbidden key';
      return fail(ctx, raw, forbidden ? 'JSON keys __proto__, constructor and prototype are not allowed' : 'must be valid JSON');
    }
  });
  return text.pipe(def.schema);
}

/**
 * The zod schema for one scalar parameter: input is the wire string, output the typed value.
 *
 * @example
 * scalarSchema({ kind: 'integer', min: 1, max: 100 }).parse('20'); // 20
 */
export function scalarSchema(def: ScalarDef): z.ZodType<unknown, string> {
  switch (def.kind) {
    case 'string':
      return stringSchema(def);
    case 'integer':
      return readerSchema(integerReader(def));
    case 'long':
      return readerSchema(longReader(def));
    case 'float':
      return readerSchema(floatReader(def));
    case 'boolean':
      return readerSchema(booleanReader(def));
    case 'enum':
      return enumSchema(def);
    case 'json':
      return jsonSchema(def);
  }
}

/**
 * The wire text a client would send for a typed scalar value (used to check declared defaults).
 *
 * @example
 * wireText(20n); // '20'
 */
export function wireText(value: string | number | bigint | boolean): string {
  return String(value);
}
