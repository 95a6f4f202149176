/**
 * The JSON writer for envelopes, with the same mapping as the XML writer (lib/core/render/xml-writer.ts):
 * bigint as an exact JSON number (pop-core reads 64-bit integers with json-bigint), Date as
 * `YYYY-MM-DDThh:mm:ssZ`, `undefined` omitted (in arrays too), `null` and non-finite numbers as
 * `null`, keys that are not XML element names rejected (so a response valid in one format is
 * valid in the other), nesting bounded.
 *
 * Plain data (see native-json.ts) is written by the native `JSON.stringify`, which gives the same
 * bytes several times faster; everything else by the writer below.
 */
import { tagsFor } from './xml-name.js';
import { formatDate } from './scalars.js';
import { MAX_DEPTH, ResponseDataError } from './response-data-error.js';
import { isNativeJsonData } from './native-json.js';

function writeValue(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return 'null';
      if (depth > MAX_DEPTH) throw new ResponseDataError('the response data is nested too deeply (or has a cycle)');
      if (Array.isArray(value)) return writeArray(value, depth + 1);
      if (value instanceof Date) return `"${formatDate(value)}"`;
      return writeObject(value, depth + 1, undefined);
    default:
      return undefined; // undefined, function, symbol
  }
}

function writeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  let sep = '';
  for (let i = 0; i < items.length; i++) {
    const text = writeValue(items[i], depth);
    if (text === undefined) continue;
    out += sep + text;
    sep = ',';
  }
  return `${out}]`;
}

/**
 * An object's JSON, optionally preceded by already-rendered members (e.g. `"RequestId":"..."`).
 *
 * @example
 * writeObject({ RegionId: 'cn-hangzhou' }, 0, '"RequestId":"A"'); // '{"RequestId":"A","RegionId":"cn-hangzhou"}'
 */
export function writeObject(value: object, depth: number, leading: string | undefined): string {
  if (depth === 0 && isNativeJsonData(value)) return withLeading(JSON.stringify(value), leading);
  if (depth > MAX_DEPTH) throw new ResponseDataError('the response data is nested too deeply (or has a cycle)');
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const replaced: unknown = toJSON.call(value);
    if (replaced === null || typeof replaced !== 'object') {
      throw new ResponseDataError('toJSON() of a nested object must return an object');
    }
    return writeObject(replaced, depth + 1, leading);
  }
  let out = '{';
  let sep = '';
  if (leading !== undefined) {
    out += leading;
    sep = ',';
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const text = writeValue((value as Record<string, unknown>)[key], depth);
    if (text === undefined) continue;
    tagsFor(key); // validates the key as an XML element name (cached)
    out += `${sep}${JSON.stringify(key)}:${text}`;
    sep = ',';
  }
  return `${out}}`;
}

/** `{...}` with `leading` members inserted first. */
function withLeading(json: string, leading: string | undefined): string {
  if (leading === undefined) return json;
  return json.length === 2 ? `{${leading}}` : `{${leading},${json.slice(1)}`;
}
