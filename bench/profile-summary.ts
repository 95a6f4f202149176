/**
 * Summarise V8 CPU profiles (`.cpuprofile`, e.g. from `BENCH_PROFILE=1 npm run bench`): the
 * functions and the files with the most self time.
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles/<file>.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';
import { formatTable } from './lib/table.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function shortUrl(url: string): string {
  const i = url.indexOf('/node_modules/');
  if (i !== -1) return url.slice(i + '/node_modules/'.length);
  const j = url.indexOf('/lib/');
  if (j !== -1 && !url.startsWith('node:')) return url.slice(j + 1);
  return url.replace(/^file:\/\//, '') || '(native)';
}

function summarise(file: string, top: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const where = shortUrl(frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    byFile.set(where, (byFile.get(where) ?? 0) + micros);
  }
  const rows = (m: Map<string, number>): string[][] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, `${((100 * v) / total).toFixed(1)}%`, `${(v / 1000).toFixed(0)} ms`]);
  return [
    `== ${file} (${(total / 1e6).toFixed(1)} s sampled)`,
    formatTable([['function (self time)', 'share', 'time'], ...rows(byFunction)]),
    '',
    formatTable([['file (self time)', 'share', 'time'], ...rows(byFile)]),
  ].join('\n');
}

const args = process.argv.slice(2);
const topArg = args.find((a) => a.startsWith('top='));
const top = topArg === undefined ? 25 : Math.min(500, Math.max(1, Number(topArg.slice(4)) || 25));
const files = args.filter((a) => !a.startsWith('top='));
if (files.length === 0) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [...] [top=25]');
  process.exitCode = 2;
}
for (const file of files) console.log(`${summarise(file, top)}\n`);
