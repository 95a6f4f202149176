/**
 * The benchmark chart (`docs/bench.svg`): one horizontal bar per target, the contestant's median
 * paired CPU efficiency against its baseline (the figure of record), a tick at the target, green
 * when met and red when missed, the req/s ratio written beside it. Hand-written SVG, no dependency.
 */

/** One bar of the chart. */
export interface ChartRow {
  /** `scenario / contestant`. */
  readonly label: string;
  /** What it is compared with. */
  readonly baseline: string;
  /** Median paired CPU efficiency (baseline CPU per request ÷ this one's). */
  readonly cpuEfficiency: number;
  /** Median paired req/s ratio. */
  readonly reqRatio: number;
  readonly target: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const WIDTH = 1000;
const LEFT = 300;
const BAR_WIDTH = 420;
const ROW = 30;
const TOP = 58;
const MAX = 1.25;

function x(value: number): number {
  const clamped = Math.max(0, Math.min(MAX, Number.isFinite(value) ? value : 0));
  return LEFT + (clamped / MAX) * BAR_WIDTH;
}

/**
 * The chart as an SVG document.
 *
 * @example
 * writeFileSync('docs/bench.svg', benchChart(rows, 'run of 2026-12-06, 2 vCPUs'));
 */
export function benchChart(rows: readonly ChartRow[], subtitle: string): string {
  const height = TOP + rows.length * ROW + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="20" font-size="15" font-weight="bold">Protected request path: server CPU efficiency vs its baseline (1.00 = as cheap)</text>`,
    `<text x="12" y="38" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
  for (const grid of [0, 0.25, 0.5, 0.75, 1, 1.25]) {
    const gx = x(grid).toFixed(1);
    out.push(`<line x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${TOP + rows.length * ROW}" stroke="${grid === 1 ? '#999' : '#e3e3e3'}"/>`);
    out.push(`<text x="${gx}" y="${TOP + rows.length * ROW + 14}" text-anchor="middle" fill="#555">${grid.toFixed(2)}</text>`);
  }
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const met = row.cpuEfficiency >= row.target;
    const colour = met ? '#2e7d32' : '#c62828';
    out.push(`<text x="${LEFT - 8}" y="${y + 12}" text-anchor="end">${escapeXml(row.label)}</text>`);
    out.push(`<text x="${LEFT - 8}" y="${y + 24}" text-anchor="end" fill="#777" font-size="10">vs ${escapeXml(row.baseline)}</text>`);
    out.push(`<rect x="${LEFT}" y="${y + 4}" width="${(x(row.cpuEfficiency) - LEFT).toFixed(1)}" height="16" fill="${colour}" opacity="0.8"/>`);
    const tx = x(row.target).toFixed(1);
    out.push(`<line x1="${tx}" y1="${y}" x2="${tx}" y2="${y + 24}" stroke="#000" stroke-width="2"/>`);
    const value = Number.isFinite(row.cpuEfficiency) ? row.cpuEfficiency.toFixed(2) : '-';
    const req = Number.isFinite(row.reqRatio) ? row.reqRatio.toFixed(2) : '-';
    out.push(`<text x="${LEFT + BAR_WIDTH + 10}" y="${y + 16}">${value} (target ${row.target.toFixed(2)}, ${met ? 'met' : 'missed'}; req/s ${req})</text>`);
  });
  out.push(`<text x="${LEFT}" y="${height - 8}" fill="#555" font-size="11">bar: median paired CPU efficiency; black tick: target; req/s ratio in brackets</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
