/**
 * Wire text → typed value for the converting scalar kinds (integer, long, float, boolean): the one
 * implementation that both the zod schemas (lib/rpc/params/scalar-schemas.ts, the schema of record)
 * and the zod-free fast path (lib/rpc/params/tree-reader.ts) call, so the two cannot disagree.
 *
 * A reader returns the value, or a {@link Refusal} carrying the reason; refusals are allocated once per
 * declaration, never per request.
 */
import type { BooleanDef, FloatDef, IntegerDef, LongDef } from './spec.js';

/**
 * Why a wire value was refused (the issue message zod reports).
 *
 * @example
 * const read = integerReader({ kind: 'integer', min: 1, max: 100 });
 * const result = read('0');
 * if (result instanceof Refusal) console.log(result.message); // 'must be between 1 and 100'
 */
export class Refusal {
  constructor(readonly message: string) {}
}

/** Converts one wire string, or refuses it. */
export type ScalarReader<T> = (raw: string) => T | Refusal;

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Longest decimal text read as a long (sign + 19 digits, with room for a few leading zeros). */
const MAX_LONG_TEXT = 24;

const NOT_AN_INTEGER = new Refusal('must be an integer');
const NOT_A_DECIMAL = new Refusal('must be a decimal number');
const NOT_FINITE = new Refusal('must be a finite number');
const NOT_A_BOOLEAN = new Refusal('must be true or false');

/**
 * The reason used when a number is outside its bounds.
 *
 * @example
 * rangeReason(1, 100); // 'must be between 1 and 100'
 */
export function rangeReason(min: number | bigint | undefined, max: number | bigint | undefined): string {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  if (min !== undefined) return `must be at least ${min}`;
  return `must be at most ${max}`;
}

/**
 * Reader of an `integer` parameter: optional sign and decimal digits, within `min..max`; `-0` is 0.
 *
 * @example
 * integerReader({ kind: 'integer', min: 1, max: 100 })('020'); // 20
 */
export function integerReader(def: IntegerDef): ScalarReader<number> {
  const { min, max } = def;
  const outOfRange = new Refusal(rangeReason(min, max));
  return (raw) => {
    if (!INTEGER_TEXT.test(raw)) return NOT_AN_INTEGER;
    const value = Number(raw);
    if (value < min || value > max) return outOfRange;
    return value === 0 ? 0 : value; // "-0" → 0
  };
}

/**
 * Reader of a `long` parameter (a `bigint` within `min..max`).
 *
 * @example
 * longReader({ kind: 'long', min: 0n, max: 2n ** 63n - 1n })('1234567890123456789'); // 1234567890123456789n
 */
export function longReader(def: LongDef): ScalarReader<bigint> {
  const { min, max } = def;
  const outOfRange = new Refusal(rangeReason(min, max));
  return (raw) => {
    if (!INTEGER_TEXT.test(raw)) return NOT_AN_INTEGER;
    if (raw.length > MAX_LONG_TEXT) return outOfRange;
    const value = BigInt(raw);
    if (value < min || value > max) return outOfRange;
    return value;
  };
}

/**
 * Reader of a `float` parameter: decimal text with optional exponent, finite, within the bounds.
 *
 * @example
 * floatReader({ kind: 'float', min: 0, max: 1 })('.5'); // 0.5
 */
export function floatReader(def: FloatDef): ScalarReader<number> {
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

/**
 * Reader of a `boolean` parameter: exactly `true` or `false`.
 *
 * @example
 * booleanReader({ kind: 'boolean' })('true'); // true
 */
export function booleanReader(_def?: BooleanDef): ScalarReader<boolean> {
  return readBoolean;
}

function readBoolean(raw: string): boolean | Refusal {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return NOT_A_BOOLEAN;
}
