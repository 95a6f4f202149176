/**
 * The render micro-benchmark on its own: `npx tsx bench/render.ts` (also the first part of `npm run bench`).
 * Settings: BENCH_RENDER_BATCHES (default 15), BENCH_RENDER_BATCH_MS (default 40).
 */
import { formatRenderReport, renderBench } from './lib/render-suite.js';

try {
  for (const report of renderBench()) console.log(formatRenderReport(report));
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
