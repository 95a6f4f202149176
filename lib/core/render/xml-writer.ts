/**
 * A purpose-built XML writer for OpenAPI envelopes.
 *
 * The envelope grammar is tiny: a declaration, elements and escaped text; no attributes, no
 * namespaces, no mixed content. A general XML library costs 30-60x `JSON.stringify` on a response
 * body (see README, "Why a purpose-built XML writer"); this writer stays within a small factor of
 * it. Every element name is validated once and its tags cached; every text is escaped; characters
 * XML 1.0 cannot carry are replaced by U+FFFD, never emitted.
 *
 * Mapping (the same data means the same in JSON):
 * - object → child elements in key order;
 * - array → one element per item, named by the key; an item that is itself an array becomes one
 *   element (named by the key) holding its items, each again named by the key;
 * - string → escaped text; number → its shortest decimal form; boolean → `true` / `false`;
 *   bigint → exact digits; Date → `YYYY-MM-DDThh:mm:ssZ`; an object with `toJSON()` → its result;
 * - `undefined`, `null`, non-finite numbers, functions and symbols → no element at all.
 */
import { tagsFor } from './xml-name.js';
import { formatDate } from './scalars.js';
import { MAX_DEPTH, ResponseDataError } from './response-data-error.js';

/** The declaration every document starts with. */
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Characters that need escaping or replacing in element text: & < > CR, C0 controls other than
// TAB and LF, surrogates (checked further for pairing), U+FFFE and U+FFFF.
const NEEDS_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ESCAPE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const REPLACEMENTS: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/**
 * Escape text for element content. `\r` is written as `&#xD;` so that parsers keep it.
 *
 * @example
 * escapeXmlText('AT&amp;T <b>'); // 'AT&amp;amp;T &lt;b&gt;'
 */
function escapeXmlText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.replace(ESCAPE, (c) => REPLACEMENTS[c] ?? '\uFFFD');
}

function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return escapeXmlText(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    default:
      return undefined;
  }
}

function writeElement(name: string, value: unknown, depth: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') {
    const text = scalarText(value);
    if (text === undefined) return '';
    const tags = tagsFor(name);
    return tags.open + text + tags.close;
  }
  if (Array.isArray(value)) return writeItems(name, value, depth + 1);
  if (value instanceof Date) {
    const tags = tagsFor(name);
    return tags.open + formatDate(value) + tags.close;
  }
  const tags = tagsFor(name);
  return tags.open + writeMembers(value, depth + 1) + tags.close;
}

function writeItems(name: string, items: readonly unknown[], depth: number): string {
  if (depth > MAX_DEPTH) throw new ResponseDataError('the response data is nested too deeply (or has a cycle)');
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (Array.isArray(item)) {
      const tags = tagsFor(name);
      out += tags.open + writeItems(name, item, depth + 1) + tags.close;
    } else {
      out += writeElement(name, item, depth);
    }
  }
  return out;
}

/**
 * The child elements for an object's own enumerable keys, in order.
 *
 * @example
 * writeMembers({ RegionId: 'cn-hangzhou', Count: 2 }, 0); // '<RegionId>cn-hangzhou</RegionId><Count>2</Count>'
 */
function writeMembers(value: object, depth: number): string {
  if (depth > MAX_DEPTH) throw new ResponseDataError('the response data is nested too deeply (or has a cycle)');
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const replaced: unknown = toJSON.call(value);
    if (replaced === null || typeof replaced !== 'object') {
      throw new ResponseDataError('toJSON() of a nested object must return an object');
    }
    return writeMembers(replaced, depth + 1);
  }
  let out = '';
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += writeElement(key, (value as Record<string, unknown>)[key], depth);
  }
  return out;
}

/**
 * A whole document: declaration, then `<root>` holding `first` (already-escaped-safe pairs, e.g.
 * RequestId) and then the data's members.
 *
 * @example
 * writeXmlDocument('DescribeRegionsResponse', [['RequestId', id]], { Regions: { Region: [] } });
 */
export function writeXmlDocument(root: string, first: ReadonlyArray<readonly [string, string]>, data: object | undefined): string {
  const tags = tagsFor(root);
  let out = XML_DECLARATION + tags.open;
  for (const [name, text] of first) {
    const t = tagsFor(name);
    out += t.open + escapeXmlText(text) + t.close;
  }
  if (data !== undefined) out += writeMembers(data, 0);
  return out + tags.close;
}
