/**
 * Summarise V8 CPU profiles (`.cpuprofile`, e.g. from `BENCH_PROFILE=1 npm run bench`): where the
 * busy time goes, by step of the request path (parsing, dispatch, validation, signature, nonce
 * store, throttle, rendering, Koa/Express, Node's HTTP, GC ...), then the functions with the most
 * self time. When the profile's directory holds `requests.txt` (the harness writes the number of
 * requests the contestant served), every figure is also given in µs per request.
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles/<scenario>/<contestant>/*.cpuprofile [top=25] [requests=N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatTable } from './lib/table.js';
import { STEPS } from './lib/profile-steps.js';
import { isBusyStep, profileTotals, type CpuProfile } from './lib/profile-totals.js';

function requestsFor(file: string, given: number | undefined): number | undefined {
  if (given !== undefined) return given;
  const path = join(dirname(file), 'requests.txt');
  if (!existsSync(path)) return undefined;
  const n = Number(readFileSync(path, 'utf8').trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function summarise(file: string, top: number, givenRequests: number | undefined): string {
  const { byStep, byFunction, busy } = profileTotals(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const requests = requestsFor(file, givenRequests);
  const perRequest = (v: number): string => (requests === undefined ? '-' : (v / requests).toFixed(1));
  const stepRows = STEPS.filter((s) => byStep.has(s.name)).map((s) => {
    const v = byStep.get(s.name) as number;
    const counted = isBusyStep(s.name);
    return [s.name, counted ? `${((100 * v) / busy).toFixed(1)}%` : '', `${(v / 1000).toFixed(0)} ms`, counted ? perRequest(v) : '-', s.what];
  });
  const fnRows = [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => [k, `${((100 * v) / busy).toFixed(1)}%`, `${(v / 1000).toFixed(0)} ms`, perRequest(v)]);
  return [
    `== ${file}: ${(busy / 1e6).toFixed(2)} s busy${requests === undefined ? '' : `, ${requests} requests, ${(busy / requests).toFixed(1)} µs busy per request`}`,
    formatTable([['step (innermost match)', 'of busy', 'time', 'µs/req', 'what'], ...stepRows]),
    '',
    formatTable([['function (self time, busy only)', 'of busy', 'time', 'µs/req'], ...fnRows]),
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const topArg = args.find((a) => a.startsWith('top='));
  const requestsArg = args.find((a) => a.startsWith('requests='));
  const top = topArg === undefined ? 25 : Math.min(500, Math.max(1, Number(topArg.slice(4)) || 25));
  const requests = requestsArg === undefined ? undefined : Number(requestsArg.slice(9)) || undefined;
  const files = args.filter((a) => !a.startsWith('top=') && !a.startsWith('requests='));
  if (files.length === 0) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [...] [top=25] [requests=N]');
    process.exitCode = 2;
    return;
  }
  process.stdout.on('error', () => undefined); // `| head` closing the pipe is not an error
  for (const file of files) console.log(`${summarise(file, top, requests)}\n`);
}

main();
