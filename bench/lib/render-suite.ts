/**
 * The render micro-benchmark suite: the ~72 KB DescribeInstances payload (the issue-2 target: XML
 * within 2x JSON.stringify) and, for information, the small DescribeRegions one.
 */
import { runRenderBench, type RenderBenchReport, type RenderBenchSettings } from './render-bench.js';
import { describeInstancesData, describeRegionsData } from './payloads.js';
import { formatTable } from './table.js';
import type { Spread } from './stats.js';
import { positiveIntegerFromEnv } from './env.js';

/** Target for the XML writer on the medium payload, as a multiple of JSON.stringify's time. */
export const XML_RENDER_TARGET = 2;

/**
 * Settings from BENCH_RENDER_BATCHES (default 15) and BENCH_RENDER_BATCH_MS (default 40).
 *
 * @example
 * renderSettingsFromEnv().batches; // 15
 */
export function renderSettingsFromEnv(): RenderBenchSettings {
  return {
    batches: positiveIntegerFromEnv('BENCH_RENDER_BATCHES', 15, 1000),
    batchMs: positiveIntegerFromEnv('BENCH_RENDER_BATCH_MS', 40, 10_000),
    warmupMs: 300,
  };
}

/**
 * Run the suite (medium payload first).
 *
 * @example
 * for (const report of renderBench()) console.log(formatRenderReport(report));
 */
export function renderBench(settings: RenderBenchSettings = renderSettingsFromEnv()): RenderBenchReport[] {
  return [
    runRenderBench('DescribeInstances', describeInstancesData(200), 'medium: DescribeInstances, 200 instances', settings),
    runRenderBench('DescribeRegions', describeRegionsData(), 'small: DescribeRegions, 2 regions', settings),
  ];
}

/**
 * A report as a table, with the target line for the medium payload.
 *
 * @example
 * console.log(formatRenderReport(report));
 */
export function formatRenderReport(report: RenderBenchReport): string {
  const rows: string[][] = [['renderer', 'bytes', 'string us', 'x JSON', 'to bytes us [min-max]', 'x JSON [min-max]', 'x JSON by CPU']];
  const range = (s: Spread, d: number): string => `${s.median.toFixed(d)} [${s.min.toFixed(d)}-${s.max.toFixed(d)}]`;
  for (const r of report.renderers) {
    rows.push([
      r.id,
      String(r.outputBytes),
      r.micros.median.toFixed(1),
      r.timesJsonStringify.median.toFixed(2),
      range(r.microsToBytes, 1),
      range(r.timesJsonStringifyToBytes, 2),
      r.timesJsonStringifyToBytesCpu.toFixed(2),
    ]);
  }
  const lines = [`== render ${report.payload} (${report.jsonBytes} bytes of JSON)`, formatTable(rows)];
  if (report.payload.startsWith('medium')) {
    const met = report.xmlTimesJson <= XML_RENDER_TARGET;
    lines.push(
      `   target xml-writer <= ${XML_RENDER_TARGET.toFixed(2)} x JSON.stringify, to bytes (issue 2): ${report.xmlTimesJson.toFixed(2)} -> ${met ? 'MET' : 'MISSED'}`,
    );
  }
  return lines.join('\n');
}
