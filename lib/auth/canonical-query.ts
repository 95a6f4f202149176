/**
 * The sorted, POP-encoded `name=value&…` string shared by Signature V1 (CanonicalizedQueryString) and
 * Signature V3 (CanonicalQueryString).
 */
import { popEncode } from './percent-encode.js';

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

const SURROGATE = /[\uD800-\uDFFF]/;

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
  return names.some((name) => SURROGATE.test(name));
}

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
  const exclude = options.exclude ?? [];
  const names = Object.keys(params).filter((name) => !exclude.includes(name));
  names.sort(options.order === 'utf16' ? compareUtf16 : compareCodePoints);
  const pairs: string[] = [];
  for (const name of names) {
    const encodedName = popEncode(name);
    const value = params[name];
    if (typeof value === 'string') {
      pairs.push(encodedName + '=' + popEncode(value));
    } else if (value !== undefined) {
      for (const v of value) pairs.push(encodedName + '=' + popEncode(v));
    }
  }
  return pairs.join('&');
}
