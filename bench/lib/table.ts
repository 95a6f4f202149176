/**
 * Plain-text tables for the terminal.
 */

/**
 * Left-align the first column and right-align the rest, two spaces apart.
 *
 * @example
 * formatTable([['name', 'req/s'], ['koa', '12000']]);
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd())
    .join('\n');
}
