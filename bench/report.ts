/**
 * `npm run bench:report`: rewrite docs/bench.svg and the results block of bench/README.md from the
 * last run's bench/results/latest.json (no measuring).
 */
import { existsSync, readFileSync } from 'node:fs';
import { RESULTS_FILE, writeReport, type RecordedRun } from './lib/results-report.js';

if (!existsSync(RESULTS_FILE)) {
  console.error(`no ${RESULTS_FILE}: run \`npm run bench\` first`);
  process.exitCode = 1;
} else {
  writeReport(JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as RecordedRun);
  console.log('wrote docs/bench.svg and the results blocks of bench/README.md and README.md');
}
