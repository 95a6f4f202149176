/**
 * Printing scenario reports: one table per scenario, then the targets.
 */
import { formatTable } from './table.js';
import type { ScenarioReport } from './run-scenario.js';
import type { Spread } from './stats.js';

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function withRange(s: Spread, digits: number): string {
  return `${fixed(s.median, digits)} [${fixed(s.min, digits)}-${fixed(s.max, digits)}]`;
}

/**
 * A scenario's table and target lines.
 *
 * @example
 * console.log(formatScenarioReport(report));
 */
export function formatScenarioReport(report: ScenarioReport): string {
  const lines = [`== ${report.name}: ${report.title}`];
  if (report.skipped !== undefined) {
    lines.push(`   skipped: ${report.skipped}`);
    return lines.join('\n');
  }
  const rows: string[][] = [
    ['contestant', 'bytes', 'req/s median [min-max]', 'x base req/s [min-max]', 'p99 ms [min-max]', 'CPU us/req [min-max]', 'CPU eff. x base', 'server core'],
  ];
  for (const c of report.contestants) {
    rows.push([
      `${c.id}${c.isBaseline ? ' (base)' : ''}`,
      String(c.responseBytes),
      withRange(c.reqPerSec, 0),
      c.isBaseline ? '1.00' : withRange(c.ratio, 2),
      withRange(c.p99Ms, 0),
      withRange(c.cpuMicrosPerReq, 1),
      c.isBaseline ? '1.00' : fixed(c.cpuEfficiency.median, 2),
      `${fixed(100 * c.serverCoreShare.median, 0)}%`,
    ]);
  }
  lines.push(formatTable(rows));
  for (const c of report.contestants) {
    lines.push(`   ${c.id}: ${c.label}${c.problems.length > 0 ? `  !! ${c.problems.join('; ')}` : ''}`);
  }
  for (const t of report.targets) {
    lines.push(
      `   target ${t.contestant} CPU efficiency >= ${t.minRatio.toFixed(2)} x ${report.baseline}${t.source === undefined ? '' : ` (${t.source})`}: ` +
        `${fixed(t.cpuEfficiency, 2)} -> ${t.met ? 'MET' : 'MISSED'} (req/s ratio ${fixed(t.ratio, 2)})`,
    );
  }
  return lines.join('\n');
}
