/**
 * XML 1.0 element names (without namespaces), and a bounded cache of their tags.
 */
import { ResponseDataError } from './response-data-error.js';

const START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const REST = `${START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`^[${START}][${REST}]*$`, 'u');

/** Longest element name accepted. */
const MAX_NAME_LENGTH = 256;

/**
 * True when `name` is an XML 1.0 element name without a colon, of at most 256 characters.
 *
 * @example
 * isXmlName('RegionId'); // true
 * isXmlName('a b');      // false
 */
export function isXmlName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && NAME.test(name);
}

/** The opening and closing tag of one element. */
export interface Tags {
  readonly open: string;
  readonly close: string;
}

const CACHE_LIMIT = 4096;
const cache = new Map<string, Tags>();

/**
 * The `<name>` / `</name>` strings for a validated element name (cached, at most 4096 names).
 * Throws ResponseDataError for a name that is not an XML element name.
 *
 * @example
 * tagsFor('Region'); // { open: '<Region>', close: '</Region>' }
 */
export function tagsFor(name: string): Tags {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  if (!isXmlName(name)) {
    throw new ResponseDataError(`the key ${JSON.stringify(name.slice(0, 64))} is not a valid XML element name`);
  }
  const tags: Tags = { open: `<${name}>`, close: `</${name}>` };
  if (cache.size < CACHE_LIMIT) cache.set(name, tags);
  return tags;
}

/**
 * True when `name` is an XML element name; like `tagsFor`, caches the tags of a valid name, but
 * answers false instead of throwing.
 *
 * @example
 * isElementName('RegionId'); // true
 * isElementName('1st');      // false
 */
export function isElementName(name: string): boolean {
  if (cache.has(name)) return true;
  if (!isXmlName(name)) return false;
  tagsFor(name);
  return true;
}
