/**
 * Matching a section citation (`docs/<file>.md §<section>`) or a link anchor
 * (`docs/<file>.md#<anchor>`) against the headings of a Markdown file.
 */

/** A heading as citations see it: inline Markdown removed, spaces collapsed. */
export function plainHeading(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const NUMBER = /^(\d+(?:\.\d+)*)\.?(?=\s|$)/;

/** The leading section number of a heading (`4.1` of `4.1 Algorithm`, `4` of `4. Signature V1`). */
export function headingNumber(heading: string): string | undefined {
  return NUMBER.exec(plainHeading(heading))?.[1];
}

function startsWithWord(text: string, prefix: string): boolean {
  if (prefix === '' || !text.toLowerCase().startsWith(prefix.toLowerCase())) return false;
  const next = text.charAt(prefix.length);
  return next === '' || !/[\p{L}\p{N}]/u.test(next);
}

/**
 * Whether the text that follows a section sign cites one of `headings`. A citation names a
 * section by its number (4.1; a range 7.5-7.7 names both ends), by its whole heading ("4.1
 * Algorithm (server side)"), or by its heading without the number ("Strict mode"); the words after
 * the heading are the citing sentence and are ignored. Case and inline Markdown do not matter.
 *
 * @example
 * citesHeading('4.1 step 3).', ['4.1 Algorithm (server side)']); // true
 * citesHeading('Strict mode: unknown names', ['Strict mode']);    // true
 * citesHeading('4.9', ['4.1 Algorithm (server side)']);           // false
 */
export function citesHeading(citation: string, headings: readonly string[]): boolean {
  const text = plainHeading(citation);
  const numbers = new Set(headings.map(headingNumber).filter((n): n is string => n !== undefined));
  const range = /^(\d+(?:\.\d+)*)(?:\s*[-–]\s*(\d+(?:\.\d+)*))?(?![\d.]*\d)/.exec(text);
  if (range?.[1] !== undefined) return numbers.has(range[1]) && (range[2] === undefined || numbers.has(range[2]));
  return headings.some((heading) => {
    const plain = plainHeading(heading);
    return startsWithWord(text, plain) || startsWithWord(text, plain.replace(NUMBER, '').trim());
  });
}

/**
 * GitHub's anchors for a file's headings, in order (`## Strict mode` → `strict-mode`; a repeated
 * heading gets `-1`, `-2`…).
 *
 * @example
 * headingAnchors(['Errors', 'Strict mode', 'Errors']); // ['errors', 'strict-mode', 'errors-1']
 */
export function headingAnchors(headings: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return headings.map((heading) => {
    const base = plainHeading(heading)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  });
}

/** Up to `limit` headings of a file, numbers alone where a heading has one, for error messages. */
export function headingList(headings: readonly string[], limit = 12): string {
  const names = headings.map((heading) => headingNumber(heading) ?? plainHeading(heading));
  const shown = names.slice(0, limit).map((name) => `"${name}"`).join(', ');
  return names.length > limit ? `${shown}, … (${names.length} in all)` : shown;
}
