/**
 * HTML escaping for the explorer page: every piece of text that comes from a declaration, an
 * option or an example is written through {@link escapeHtml}, in element content and in quoted
 * attribute values alike.
 */

const SPECIAL = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for HTML element content or a quoted attribute value. A lone surrogate becomes U+FFFD.
 *
 * @example
 * escapeHtml('<img src=x onerror="alert(1)">'); // '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.replace(SPECIAL, (c) => ENTITIES[c] as string);
}
