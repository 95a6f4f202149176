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
 * Decode one component that holds a `%` or a `+` (`hasPlus`: it holds a `+`), `+` as space. Throws
 * `InvalidParameter` for malformed percent-encoding or invalid UTF-8.
 *
 * @example
 * decodeComponent('a%20b+c', true); // 'a b c'
 */
function decodeComponent(raw: string, hasPlus: boolean): string {
  const spaced = hasPlus ? raw.replace(/\+/g, ' ') : raw;
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
  const length = text.length;
  if (length === 0) return into;
  // The next `%`, `+` and `=` at or after `start` (length when there is none), each found once per
  // text rather than once per component: most components hold neither `%` nor `+` and are kept as
  // sliced, and a pair without `=` no longer makes every later pair search past its end again.
  let percent = indexOrLength(text, '%', 0);
  let plus = indexOrLength(text, '+', 0);
  let equals = indexOrLength(text, '=', 0);
  let start = 0;
  while (start <= length) {
    const end = indexOrLength(text, '&', start);
    if (end > start) {
      if (++counter.count > limits.maxParameters) {
        throw new errors.InvalidParameter({
          message: `The request has more than ${limits.maxParameters} parameters.`,
        });
      }
      if (percent < start) percent = indexOrLength(text, '%', start);
      if (plus < start) plus = indexOrLength(text, '+', start);
      if (equals < start) equals = indexOrLength(text, '=', start);
      const nameEnd = equals < end ? equals : end;
      const name = component(text, start, nameEnd, percent, plus);
      let value = '';
      if (nameEnd < end) {
        const valueStart = nameEnd + 1;
        if (percent < valueStart) percent = indexOrLength(text, '%', valueStart);
        if (plus < valueStart) plus = indexOrLength(text, '+', valueStart);
        value = component(text, valueStart, end, percent, plus);
      }
      addParam(into, name, value);
    }
    start = end + 1;
  }
  return into;
}

/** Position of `char` in `text` at or after `from`, or `text.length` when absent. */
function indexOrLength(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

/**
 * The decoded component `text[start, end)`, given the first `%` and `+` at or after `start`.
 *
 * @example
 * component('a=b%20c', 2, 7, 3, 7); // 'b c'
 */
function component(text: string, start: number, end: number, percent: number, plus: number): string {
  const raw = text.slice(start, end);
  return percent < end || plus < end ? decodeComponent(raw, plus < end) : raw;
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
