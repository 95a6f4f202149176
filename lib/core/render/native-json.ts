/**
 * When the JSON writer may hand data to the native `JSON.stringify`.
 *
 * `JSON.stringify` is several times faster than any writer in JavaScript on large bodies (it
 * walks V8's object shapes directly), and for plain data it writes exactly what the envelope's
 * JSON writer writes. This module decides, in one read-only walk, whether `data` is such plain
 * data; anything else (bigint, Date, toJSON, non-plain objects, `undefined` or a function in an
 * array, a key that is not an XML element name, deep nesting or a cycle) goes to the writer,
 * which applies the envelope's own rules and errors.
 *
 * The walk runs before every JSON success, so it is written for V8: `typeof x === '...'` tests
 * (compiled to type checks; a `switch` on `typeof` calls a builtin per value), one function per
 * container kind, and the keys it has validated remembered by position (see `validKeys`).
 */
import { isElementName } from './xml-name.js';

/**
 * Deepest nesting walked here (levels below the top object): half the writers' MAX_DEPTH, so
 * data accepted here can never hit the writers' depth error (deeper data, and cycles, take the
 * writer's path and its error).
 */
export const NATIVE_JSON_MAX_DEPTH = 32;

/** Key positions remembered per depth, and the longest key remembered. */
const KEYS_PER_DEPTH = 64;
const LONGEST_KEY = 64;

/**
 * `validKeys[depth][i]`: the last key found valid at position `i` of an object at `depth`. Objects
 * of one shape (the items of a list, the same member of each item) meet the same key strings in
 * the same order, so most keys are checked with one string comparison instead of a lookup in
 * xml-name's cache. Only keys that passed `isElementName` are stored: a key equal to a stored one
 * is valid. Bounded: 33 x 64 strings of at most 64 characters.
 */
const validKeys: string[][] = Array.from({ length: NATIVE_JSON_MAX_DEPTH + 1 }, () => []);

/** `JSON.isRawJSON` where the runtime has it (Node 21+): JSON.stringify writes such objects' raw text. */
const isRawJson = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON;

/** Validate `key` (met at `position` of an object whose remembered keys are `known`) and remember it. */
function rememberValidKey(known: string[], position: number, key: string): boolean {
  if (!isElementName(key)) return false;
  if (position < KEYS_PER_DEPTH && key.length <= LONGEST_KEY) known[position] = key;
  return true;
}

function isPlainArray(items: readonly unknown[], depth: number): boolean {
  // JSON.stringify honours toJSON on arrays and writes null for undefined, function and symbol
  // items and for holes; the writer ignores the former and omits the latter (refused here).
  if (typeof (items as { toJSON?: unknown }).toJSON === 'function') return false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    // string, number (finite: the same digits; NaN and ±Infinity: null in both), boolean, null
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' || item === null) continue;
    // bigint (stringify throws); undefined, function, symbol, holes (see above)
    if (typeof item !== 'object' || depth >= NATIVE_JSON_MAX_DEPTH) return false;
    if (!(Array.isArray(item) ? isPlainArray(item, depth + 1) : isPlainObject(item, depth + 1))) return false;
  }
  return true;
}

function isPlainObject(value: object, depth: number): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype) {
    if (proto !== null || (isRawJson !== undefined && isRawJson(value))) return false;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  // for-in (V8's enum cache, no array allocated) visits every own enumerable key, plus any
  // enumerable key inherited from a polluted Object.prototype: a superset of what the writers
  // and JSON.stringify visit, so it can only make this check stricter.
  const known = validKeys[depth] as string[];
  let position = 0;
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    // Omitted by both, and the writer does not validate the key of an omitted member.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') {
      position++;
      continue;
    }
    if (known[position] !== key && !rememberValidKey(known, position, key)) return false;
    position++;
    if (typeof member === 'string' || typeof member === 'number' || typeof member === 'boolean' || member === null) continue;
    if (typeof member !== 'object' || depth >= NATIVE_JSON_MAX_DEPTH) return false;
    if (!(Array.isArray(member) ? isPlainArray(member, depth + 1) : isPlainObject(member, depth + 1))) return false;
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
