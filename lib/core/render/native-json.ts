/**
 * When the JSON writer may hand data to the native `JSON.stringify`.
 *
 * `JSON.stringify` is several times faster than any writer in JavaScript on large bodies (it
 * walks V8's object shapes directly), and for plain data it writes exactly what the envelope's
 * JSON writer writes. This module decides, in one read-only walk, whether `data` is such plain
 * data; anything else (bigint, Date, toJSON, non-plain objects, `undefined` or a function in an
 * array, a key that is not an XML element name, deep nesting or a cycle) goes to the writer,
 * which applies the envelope's own rules and errors.
 */
import { isElementName } from './xml-name.js';

/**
 * Deepest nesting walked here (levels below the top object): half the writers' MAX_DEPTH, so
 * data accepted here can never hit the writers' depth error (deeper data, and cycles, take the
 * writer's path and its error).
 */
export const NATIVE_JSON_MAX_DEPTH = 32;

function isPlainObjectProto(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPlainValue(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number': // finite: the same digits; NaN and ±Infinity: null in both
    case 'boolean':
      return true;
    case 'object':
      if (value === null) return true;
      if (depth >= NATIVE_JSON_MAX_DEPTH) return false;
      return Array.isArray(value) ? isPlainArray(value, depth + 1) : isPlainObject(value, depth + 1);
    default:
      return false; // bigint (stringify throws); undefined, function, symbol (object members skip them first)
  }
}

function isPlainArray(items: readonly unknown[], depth: number): boolean {
  // JSON.stringify honours toJSON on arrays and writes null for undefined, function and symbol
  // items and for holes; the writer ignores the former and omits the latter (isPlainValue
  // refuses those items).
  if (typeof (items as { toJSON?: unknown }).toJSON === 'function') return false;
  for (let i = 0; i < items.length; i++) {
    if (!isPlainValue(items[i], depth)) return false;
  }
  return true;
}

function isPlainObject(value: object, depth: number): boolean {
  if (!isPlainObjectProto(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  // for-in (V8's enum cache, no array allocated) visits every own enumerable key, plus any
  // enumerable key inherited from a polluted Object.prototype: a superset of what the writers
  // and JSON.stringify visit, so it can only make this check stricter.
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    // Omitted by both, and the writer does not validate the key of an omitted member.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (!isElementName(key) || !isPlainValue(member, depth)) return false;
  }
  return true;
}

/**
 * True when `JSON.stringify(data)` writes exactly what the envelope's JSON writer writes:
 * a plain object (prototype Object.prototype or null) of strings, numbers, booleans, null and
 * nested plain objects and arrays, with XML-element-name keys, no `toJSON`, no bigint or Date,
 * no `undefined`/function/symbol in arrays, at most 32 levels deep. Reads each property once
 * (so a getter runs once here and once more when the data is written).
 *
 * @example
 * isNativeJsonData({ Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } }); // true
 * isNativeJsonData({ OwnerId: 1n });                                        // false
 */
export function isNativeJsonData(data: object): boolean {
  return !Array.isArray(data) && isPlainObject(data, 0);
}
