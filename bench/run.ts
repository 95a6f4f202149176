/**
 * `npm run bench [-- <scenario> ...]`: the render micro-benchmark, then every scenario in
 * bench/scenarios/ (or the named ones), each contestant in its own process on 127.0.0.1, loaded
 * with autocannon in alternating order for several rounds. Prints tables and writes
 * bench/results/latest.json.
 *
 * Settings: BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_WARMUP (1 s per
 * contestant, 0 for none), BENCH_RATE (a fixed overall req/s for every contestant, to compare
 * server CPU per request at the same load; unset = as fast as possible), BENCH_RENDER=0 to skip the render benchmark, BENCH_PROFILE=1 to write
 * a CPU profile per contestant process to bench/results/profiles/<scenario>/<contestant>/ (read
 * them with `npx tsx bench/profile-summary.ts <file>`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { listScenarios } from './lib/load-scenarios.js';
import { runScenario, type RunSettings, type ScenarioReport } from './lib/run-scenario.js';
import { formatScenarioReport } from './lib/report.js';
import { formatRenderReport, renderBench, renderSettingsFromEnv, XML_RENDER_TARGET } from './lib/render-suite.js';
import { nonNegativeIntegerFromEnv, positiveIntegerFromEnv } from './lib/env.js';
import type { RenderBenchReport } from './lib/render-bench.js';
import { ensureBuiltPackage } from './lib/build-check.js';
import { writeReport, type RecordedRun } from './lib/results-report.js';

const RESULTS_DIR = join(__dirname, 'results');

function settingsFromEnv(): RunSettings {
  return {
    seconds: positiveIntegerFromEnv('BENCH_SECONDS', 5, 600),
    rounds: positiveIntegerFromEnv('BENCH_ROUNDS', 3, 100),
    connections: positiveIntegerFromEnv('BENCH_CONNECTIONS', 10, 1000),
    warmupSeconds: nonNegativeIntegerFromEnv('BENCH_WARMUP', 1, 60),
    rate: process.env.BENCH_RATE === undefined || process.env.BENCH_RATE === '' ? undefined : positiveIntegerFromEnv('BENCH_RATE', 1, 1_000_000),
    profileDir: process.env.BENCH_PROFILE === '1' ? join(RESULTS_DIR, 'profiles') : undefined,
    log: (line) => console.error(line),
  };
}

function machine(): Record<string, unknown> {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model, totalMemBytes: totalmem(), node: process.version, platform: process.platform, loadavg: loadavg() };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const settings = settingsFromEnv();
  // The contestants run the built package (dist/): build it first if a source is newer.
  ensureBuiltPackage(settings.log);
  const scenarios = listScenarios(only);
  const started = new Date();
  const loadBefore = loadavg();
  let render: RenderBenchReport[] = [];
  if (process.env.BENCH_RENDER !== '0') {
    console.error('[render] timing the renderers');
    render = renderBench(renderSettingsFromEnv());
    for (const report of render) console.log(`${formatRenderReport(report)}\n`);
  }
  const reports: ScenarioReport[] = [];
  for (const loaded of scenarios) {
    const report = await runScenario(loaded, settings);
    reports.push(report);
    console.log(`${formatScenarioReport(report)}\n`);
  }
  const { log: _log, ...recorded } = settings;
  const out = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: { ...machine(), loadavgBefore: loadBefore, loadavgAfter: loadavg() },
    settings: recorded,
    render: render.map((r) => ({ ...r, target: r.payload.startsWith('medium') ? { maxTimesJson: XML_RENDER_TARGET, met: r.xmlTimesJson <= XML_RENDER_TARGET } : undefined })),
    scenarios: reports,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  // A full run is the record: chart and README table follow it (a partial run leaves them alone).
  if (only.length === 0) writeReport(out as unknown as RecordedRun);
  else console.error('[report] partial run: docs/bench.svg and the README results blocks left as they are (npm run bench:report rewrites them from this run)');
  const missed = reports.flatMap((r) => r.targets.filter((t) => !t.met).map((t) => `${r.name}/${t.contestant}`));
  console.log(`machine: ${machine().cpus as number} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at start; results in bench/results/latest.json`);
  if (missed.length > 0) console.log(`targets missed: ${missed.join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
