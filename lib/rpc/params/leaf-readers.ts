/**
 * zod-free readers of one leaf (scalar) wire value, for the fast path of `parseParams`: each accepts
 * exactly what the parameter's zod schema (scalar-schemas.ts, the schema of record) accepts and
 * returns the same value, or answers {@link NOT_ACCEPTED} (zod then reports why).
 *
 * - integer, long, float and boolean go through the very readers the zod transforms call
 *   (scalar-readers.ts);
 * - strings mirror zod 4's `min` / `max` (lengths in Unicode code points, counted as zod counts them),
 *   `regex` and the enum refinement; enums mirror their refinement;
 * - JSON parameters run their own zod schema (it may hold any user schema).
 *
 * test/rpc/params-fast-path.test.ts checks the equivalence on random declarations and values.
 */
import { scalarSchema, type ScalarDef } from './scalar-schemas.js';
import * as scalarReaders from './scalar-readers.js';
import { booleanReader, floatReader, integerReader, longReader, type ScalarReader } from './scalar-readers.js';
import type { StringDef } from './spec.js';

/** `instanceof` runs for every converted value: read once (under tsx an imported binding is a getter). */
const Refusal = scalarReaders.Refusal;

/** Answered by a fast reader when zod would refuse the value. */
export const NOT_ACCEPTED: unique symbol = Symbol('not accepted');

/** Reads one wire value (a string, or a repeated name's array, which no leaf accepts). */
export type LeafReader = (value: unknown) => unknown;

/**
 * Code points in `text`, counted as zod 4 counts them for `min`/`max` (a valid surrogate pair is one,
 * a lone surrogate one).
 *
 * @example
 * codePointLength('a😀'); // 2
 */
export function codePointLength(text: string): number {
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

function stringReader(def: StringDef): LeafReader {
  const { minLength, maxLength, pattern } = def;
  const allowed = def.enum === undefined ? undefined : new Set(def.enum);
  return (value) => {
    if (typeof value !== 'string') return NOT_ACCEPTED;
    const units = value.length;
    // A code point is one or two UTF-16 units: count only when the unit count cannot decide.
    if (minLength !== undefined && units < 2 * minLength && codePointLength(value) < minLength) return NOT_ACCEPTED;
    if (maxLength !== undefined && units > maxLength && codePointLength(value) > maxLength) return NOT_ACCEPTED;
    if (pattern !== undefined) {
      pattern.lastIndex = 0; // as zod does (the builder refuses g and y, so test() is stateless anyway)
      if (!pattern.test(value)) return NOT_ACCEPTED;
    }
    if (allowed !== undefined && !allowed.has(value)) return NOT_ACCEPTED;
    return value;
  };
}

function enumReader(values: readonly string[]): LeafReader {
  const allowed = new Set(values);
  return (value) => (typeof value === 'string' && allowed.has(value) ? value : NOT_ACCEPTED);
}

function convertingReader(read: ScalarReader<unknown>): LeafReader {
  return (value) => {
    if (typeof value !== 'string') return NOT_ACCEPTED;
    const converted = read(value);
    return converted instanceof Refusal ? NOT_ACCEPTED : converted;
  };
}

/**
 * The fast reader of one scalar parameter.
 *
 * @example
 * const read = leafReader({ kind: 'integer', min: 1, max: 100 });
 * read('20');  // 20
 * read('200'); // NOT_ACCEPTED
 */
export function leafReader(def: ScalarDef): LeafReader {
  switch (def.kind) {
    case 'string':
      return stringReader(def);
    case 'enum':
      return enumReader(def.values);
    case 'integer':
      return convertingReader(integerReader(def));
    case 'long':
      return convertingReader(longReader(def));
    case 'float':
      return convertingReader(floatReader(def));
    case 'boolean':
      return convertingReader(booleanReader(def));
    case 'json': {
      const schema = scalarSchema(def);
      return (value) => {
        const result = schema.safeParse(value);
        return result.success ? result.data : NOT_ACCEPTED;
      };
    }
  }
}
