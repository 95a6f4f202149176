/**
 * The sorted, POP-encoded `name=value&…` string shared by Signature V1 (CanonicalizedQueryString) and
 * Signature V3 (CanonicalQueryString).
 */
import * as percentEncode from './percent-encode.js';

/** Called for every name and value: read once (under tsx each read of an imported binding is a getter call). */
const popEncode = percentEncode.popEncode;

/** Decoded parameters: a null-prototype map where a repeated name holds its values in received order. */
export type ParamMap = Readonly<Record<string, string | readonly string[]>>;

/**
 * How parameter names are ordered.
 * - `'code-point'`: Unicode code-point order, which equals UTF-8 byte order (Python, Go cores).
 * - `'utf16'`: UTF-16 code-unit order, JavaScript's default `Array#sort` (Node SDKs, Java `TreeMap`).
 *
 * Both orders agree unless two names differ first at a character ≥ U+E000 on one side and a
 * supplementary-plane character (emoji…) on the other. Real API parameter names are ASCII.
 */
export type NameOrder = 'code-point' | 'utf16';

/** Map a UTF-16 code unit so that plain numeric comparison gives code-point order (ICU's fix-up). */
function codePointRank(unit: number): number {
  if (unit >= 0xd800) return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
  return unit;
}

/**
 * Compare two strings by Unicode code point (equivalently by their UTF-8 bytes).
 *
 * @example
 * ['b', 'a', 'B'].sort(compareCodePoints); // ['B', 'a', 'b']
 * compareCodePoints('\uFFFD', '😀') < 0;   // true (JS default sort says the opposite)
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * True when some name contains a surrogate, i.e. when `'code-point'` and `'utf16'` orders may differ.
 *
 * @example
 * namesMayOrderDifferently(['Action', 'Tag.1.Key']); // false
 * namesMayOrderDifferently(['😀', '\uFFFD']);         // true
 */
export function namesMayOrderDifferently(names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) if (hasSurrogate(names[i] as string)) return true;
  return false;
}

/** `/[\uD800-\uDFFF]/.test(name)`, as a char-code scan (runs on every name of every signed request). */
function hasSurrogate(name: string): boolean {
  for (let i = 0; i < name.length; i++) if ((name.charCodeAt(i) & 0xf800) === 0xd800) return true;
  return false;
}

/** True when `names` are already in ascending UTF-16 order (clients usually send them sorted). */
function isSortedUtf16(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if ((names[i - 1] as string) >= (names[i] as string)) return false;
  return true;
}

/**
 * The names of `params` but `exclude`, in `order`. Without a surrogate in any name the two orders are
 * the same as the built-in string order, so the native comparison (and no sort at all when the names
 * arrive sorted) gives exactly what the code-point comparator would.
 */
function orderedNames(params: ParamMap, exclude: readonly string[], order: NameOrder): string[] {
  const names = Object.keys(params);
  if (exclude.length !== 0) {
    // In place (the array is ours): no second array, no closure per request.
    let kept = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (!exclude.includes(name)) names[kept++] = name;
    }
    names.length = kept;
  }
  if (order === 'code-point' && namesMayOrderDifferently(names)) names.sort(compareCodePoints);
  else if (!isSortedUtf16(names)) names.sort(compareUtf16);
  return names;
}

const NO_EXCLUSIONS: readonly string[] = [];

/**
 * Build the canonical query string: names sorted (see {@link NameOrder}), each `enc(name)=enc(value)`
 * (empty values keep the `=`), joined with `&`. A repeated name (array value) emits one pair per value,
 * in received order. Names listed in `exclude` are skipped (V1 excludes `Signature`).
 *
 * @param params decoded parameters
 * @param options `exclude`: names to skip (case-sensitive); `order`: name order, default `'code-point'`
 * @returns the canonical string (empty for no parameters)
 * @example
 * const p = Object.assign(Object.create(null), { b: 'x y', a: ['2', '1'] });
 * canonicalQuery(p); // 'a=2&a=1&b=x%20y'
 */
export function canonicalQuery(
  params: ParamMap,
  options: { readonly exclude?: readonly string[]; readonly order?: NameOrder } = {},
): string {
  return joinPairs(params, options, '=', '&', false);
}

/**
 * `popEncode(canonicalQuery(params, options))`, built directly: the canonical string is ASCII made of
 * unreserved characters, `%`, `=` and `&`, so encoding it again only turns those three into `%25`,
 * `%3D` and `%26`, piece by piece. This is the form Signature V1 signs.
 *
 * @example
 * const p = Object.assign(Object.create(null), { Timestamp: '2016-02-23T12:46:24Z', Action: 'A' });
 * canonicalQueryEncoded(p); // 'Action%3DA%26Timestamp%3D2016-02-23T12%253A46%253A24Z'
 */
export function canonicalQueryEncoded(
  params: ParamMap,
  options: { readonly exclude?: readonly string[]; readonly order?: NameOrder } = {},
): string {
  return joinPairs(params, options, '%3D', '%26', true);
}

/** `%` of an encoded piece encoded once more. */
function encodePercents(encoded: string): string {
  return encoded.indexOf('%') === -1 ? encoded : encoded.replaceAll('%', '%25');
}

function joinPairs(
  params: ParamMap,
  options: { readonly exclude?: readonly string[]; readonly order?: NameOrder },
  equals: string,
  and: string,
  twice: boolean,
): string {
  const names = orderedNames(params, options.exclude ?? NO_EXCLUSIONS, options.order ?? 'code-point');
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    let encodedName = popEncode(name);
    if (twice) encodedName = encodePercents(encodedName);
    const value = params[name];
    if (typeof value === 'string') {
      const encodedValue = twice ? encodePercents(popEncode(value)) : popEncode(value);
      out += (out.length === 0 ? '' : and) + encodedName + equals + encodedValue;
    } else if (value !== undefined) {
      for (const v of value) {
        const encodedValue = twice ? encodePercents(popEncode(v)) : popEncode(v);
        out += (out.length === 0 ? '' : and) + encodedName + equals + encodedValue;
      }
    }
  }
  return out;
}
