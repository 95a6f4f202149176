/**
 * Wire text → typed value for every scalar kind: the one place each scalar rule is written.
 * `parseParams`, the declared-default check of the builders and `toZod` all call these readers.
 *
 * A reader returns the value, or a {@link Refusal} carrying the reason shown to the client; fixed
 * refusals are allocated once per declaration, never per request.
 */
import type { z } from 'zod';
import type { BooleanDef, EnumDef, FloatDef, IntegerDef, JsonDef, LongDef, StringDef } from './spec.js';
import { isForbiddenSegment } from './wire-names.js';

/** Scalar definitions (everything but lists and structs). */
export type ScalarDef = StringDef | IntegerDef | LongDef | FloatDef | BooleanDef | EnumDef | JsonDef;

/**
 * Why a wire value was refused.
 *
 * @example
 * const result = scalarReader({ kind: 'integer', min: 1, max: 100 })('0');
 * if (result instanceof Refusal) console.log(result.message); // 'must be between 1 and 100'
 */
export class Refusal {
  constructor(readonly message: string) {}
}

/** Converts one wire string, or refuses it. */
export type ScalarReader = (raw: string) => unknown;

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Longest decimal text read as a long (sign + 19 digits, with room for a few leading zeros). */
const MAX_LONG_TEXT = 24;
/** Enum values listed in a reason, at most. */
const MAX_LISTED_VALUES = 20;

const NOT_AN_INTEGER = new Refusal('must be an integer');
const NOT_A_DECIMAL = new Refusal('must be a decimal number');
const NOT_FINITE = new Refusal('must be a finite number');
const NOT_A_BOOLEAN = new Refusal('must be true or false');
const NOT_JSON = new Refusal('must be valid JSON');
const FORBIDDEN_JSON_KEY = new Refusal('JSON keys __proto__, constructor and prototype are not allowed');

function rangeReason(min: number | bigint | undefined, max: number | bigint | undefined): string {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  if (min !== undefined) return `must be at least ${min}`;
  return `must be at most ${max}`;
}

function oneOfReason(values: readonly string[]): string {
  return values.length <= MAX_LISTED_VALUES ? `must be one of: ${values.join(', ')}` : 'must be one of the allowed values';
}

/**
 * Code points in `text` (a valid surrogate pair is one, a lone surrogate one): how string lengths
 * are counted, as zod counts them.
 *
 * @example
 * codePointLength('a😀'); // 2
 */
function codePointLength(text: string): number {
  const units = text.length;
  let count = units;
  for (let i = 0; i < units - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** Checks in this order, the first failure reported: minLength, maxLength, pattern, enum. */
function stringReader(def: StringDef): ScalarReader {
  const { minLength, maxLength, pattern } = def;
  const tooShort = new Refusal(`must be at least ${minLength} characters long`);
  const tooLong = new Refusal(`must be at most ${maxLength} characters long`);
  const mismatch = new Refusal(`must match ${String(pattern)}`);
  const allowed = def.enum === undefined ? undefined : new Set(def.enum);
  const notAllowed = new Refusal(oneOfReason(def.enum ?? []));
  return (raw) => {
    const units = raw.length;
    // A code point is one or two UTF-16 units: count only when the unit count cannot decide.
    if (minLength !== undefined && units < 2 * minLength && codePointLength(raw) < minLength) return tooShort;
    if (maxLength !== undefined && units > maxLength && codePointLength(raw) > maxLength) return tooLong;
    if (pattern !== undefined) {
      pattern.lastIndex = 0; // the builder refuses the g and y flags, so test() is stateless anyway
      if (!pattern.test(raw)) return mismatch;
    }
    return allowed === undefined || allowed.has(raw) ? raw : notAllowed;
  };
}

function enumReader(def: EnumDef): ScalarReader {
  const allowed = new Set(def.values);
  const notAllowed = new Refusal(oneOfReason(def.values));
  return (raw) => (allowed.has(raw) ? raw : notAllowed);
}

/** Optional sign and decimal digits, within `min..max`; `-0` is 0. */
function integerReader(def: IntegerDef): ScalarReader {
  const { min, max } = def;
  const outOfRange = new Refusal(rangeReason(min, max));
  return (raw) => {
    if (!INTEGER_TEXT.test(raw)) return NOT_AN_INTEGER;
    const value = Number(raw);
    if (value < min || value > max) return outOfRange;
    return value === 0 ? 0 : value; // "-0" → 0
  };
}

/** A `bigint` within `min..max`. */
function longReader(def: LongDef): ScalarReader {
  const { min, max } = def;
  const outOfRange = new Refusal(rangeReason(min, max));
  return (raw) => {
    if (!INTEGER_TEXT.test(raw)) return NOT_AN_INTEGER;
    if (raw.length > MAX_LONG_TEXT) return outOfRange;
    const value = BigInt(raw);
    return value < min || value > max ? outOfRange : value;
  };
}

/** Decimal text with optional exponent, finite, within the bounds. */
function floatReader(def: FloatDef): ScalarReader {
  const { min, max } = def;
  const outOfRange = new Refusal(rangeReason(min, max));
  return (raw) => {
    if (!FLOAT_TEXT.test(raw)) return NOT_A_DECIMAL;
    const value = Number(raw);
    if (!Number.isFinite(value)) return NOT_FINITE;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) return outOfRange;
    return value;
  };
}

function readBoolean(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return NOT_A_BOOLEAN;
}

function refuseForbiddenKeys(key: string, value: unknown): unknown {
  if (isForbiddenSegment(key)) throw FORBIDDEN_JSON_KEY;
  return value;
}

function jsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  return text.startsWith('.') ? text.slice(1) : text;
}

/** The reason for the first issue of the user's schema: where in the JSON value, and zod's message. */
function schemaReason(issue: z.core.$ZodIssue): string {
  if (issue.path.length > 0) return `JSON value at ${jsonPath(issue.path)}: ${issue.message}`;
  return issue.code === 'custom' ? issue.message : `JSON value: ${issue.message}`;
}

/** JSON text (at most `maxLength` characters, no `__proto__`/`constructor`/`prototype` keys), then the user's schema. */
function jsonReader(def: JsonDef): ScalarReader {
  const { maxLength, schema } = def;
  const tooLong = new Refusal(`must be at most ${maxLength} characters of JSON`);
  return (raw) => {
    if (maxLength !== undefined && raw.length > maxLength) return tooLong;
    const suspicious = raw.includes('__proto__') || raw.includes('constructor') || raw.includes('prototype');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw, suspicious ? refuseForbiddenKeys : undefined);
    } catch (error) {
      return error === FORBIDDEN_JSON_KEY ? FORBIDDEN_JSON_KEY : NOT_JSON;
    }
    const result = schema.safeParse(parsed);
    return result.success ? result.data : new Refusal(schemaReason(result.error.issues[0] as z.core.$ZodIssue));
  };
}

/**
 * The reader of one scalar parameter.
 *
 * @example
 * const read = scalarReader({ kind: 'integer', min: 1, max: 100 });
 * read('20');  // 20
 * read('200'); // Refusal { message: 'must be between 1 and 100' }
 */
export function scalarReader(def: ScalarDef): ScalarReader {
  switch (def.kind) {
    case 'string':
      return stringReader(def);
    case 'enum':
      return enumReader(def);
    case 'integer':
      return integerReader(def);
    case 'long':
      return longReader(def);
    case 'float':
      return floatReader(def);
    case 'boolean':
      return readBoolean;
    case 'json':
      return jsonReader(def);
  }
}
