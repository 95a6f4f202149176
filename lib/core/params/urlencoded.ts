/**
 * A strict `application/x-www-form-urlencoded` parser for OpenAPI parameters (query string and
 * form body alike).
 *
 * Unlike `querystring.parse`, it never silently drops parameters past a count, never leaves
 * malformed percent-encoding or invalid UTF-8 in place, and returns a null-prototype record, so a
 * name like `__proto__` is an ordinary key. `+` is a space (every SDK sends a literal `+` as `%2B`).
 */
import { isUtf8 } from 'node:buffer';
import { errors } from '../errors/index.js';

/** Decoded parameters: a repeated name gives an array of its values, in received order. */
export type ParamRecord = Record<string, string | string[]>;

/** Limits applied while parsing. */
export interface UrlencodedLimits {
  /** Most name=value pairs accepted (query and body together). */
  readonly maxParameters: number;
}

/**
 * Decode one component, `+` as space. Throws `InvalidParameter` for malformed percent-encoding or
 * invalid UTF-8.
 *
 * @example
 * decodeComponent('a%20b+c'); // 'a b c'
 */
function decodeComponent(raw: string): string {
  if (raw.indexOf('%') === -1 && raw.indexOf('+') === -1) return raw;
  const spaced = raw.indexOf('+') === -1 ? raw : raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw malformedInput();
  }
}

function malformedInput() {
  return new errors.InvalidParameter({
    message: 'The request contains malformed percent-encoding or invalid UTF-8.',
  });
}

/**
 * The text of a raw form body. Bytes that are not valid UTF-8 are refused like a malformed escape
 * (`InvalidParameter`), never replaced by U+FFFD: a parameter is either exactly what the client
 * sent or an error.
 *
 * @example
 * parseUrlencoded(formBodyText(raw), { maxParameters: 1000 });
 */
export function formBodyText(raw: Buffer): string {
  if (!isUtf8(raw)) throw malformedInput();
  return raw.toString('utf8');
}

/**
 * Parse `a=1&b=2` into `into` (a null-prototype record), counting pairs in `counter`.
 *
 * @example
 * const params = parseUrlencoded('Action=DescribeRegions&InstanceId.1=i-1', { maxParameters: 1000 });
 */
export function parseUrlencoded(
  text: string,
  limits: UrlencodedLimits,
  into: ParamRecord = Object.create(null) as ParamRecord,
  counter: { count: number } = { count: 0 },
): ParamRecord {
  if (text.length === 0) return into;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (++counter.count > limits.maxParameters) {
        throw new errors.InvalidParameter({
          message: `The request has more than ${limits.maxParameters} parameters.`,
        });
      }
      const eq = text.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const name = decodeComponent(text.slice(start, hasValue ? eq : end));
      const value = hasValue ? decodeComponent(text.slice(eq + 1, end)) : '';
      addParam(into, name, value);
    }
    start = end + 1;
  }
  return into;
}

/**
 * Add one value; a second value for the same name turns it into an array.
 *
 * @example
 * addParam(record, 'Format', 'JSON');
 */
function addParam(into: ParamRecord, name: string, value: string): void {
  const existing = into[name];
  if (existing === undefined) into[name] = value;
  else if (typeof existing === 'string') into[name] = [existing, value];
  else existing.push(value);
}

/**
 * The union of two records (query first, then body), repeated names as arrays.
 *
 * @example
 * mergeParams(query, body).Action;
 */
export function mergeParams(first: ParamRecord, second: ParamRecord): ParamRecord {
  const all: ParamRecord = Object.create(null) as ParamRecord;
  for (const name in first) {
    const v = first[name] as string | string[];
    all[name] = typeof v === 'string' ? v : v.slice();
  }
  for (const name in second) {
    const v = second[name] as string | string[];
    if (typeof v === 'string') addParam(all, name, v);
    else for (const item of v) addParam(all, name, item);
  }
  return all;
}

/**
 * The single value of a parameter, or undefined when absent; `repeated` when it came more than once.
 *
 * @example
 * singleParam(params, 'Format'); // { value: 'JSON' }
 */
export function singleParam(params: ParamRecord, name: string): { value: string | undefined; repeated: boolean } {
  const v = params[name];
  if (v === undefined || typeof v === 'string') return { value: v, repeated: false };
  return { value: v[0], repeated: true };
}
