/**
 * `npm run bench:inprocess [-- <scenario> ...]`: every HTTP scenario's contestants (the same
 * listeners, built from dist/, the same requests) driven in this one process through Node's own
 * `IncomingMessage` / `ServerResponse` on an in-memory socket that discards what is written. No
 * kernel, no load generator: what is left is the JavaScript cost of a request (Node's HTTP
 * response code, the framework, the package, GC), which a busy shared machine distorts far less
 * than the HTTP run. Each contestant runs one batch per round, in turn; the table gives the median
 * CPU µs per request over the rounds and the median paired ratio to the baseline.
 *
 *   npm run bench:inprocess -- auth-signed protection       # INPROCESS_ROUNDS (9), INPROCESS_BATCH (2000)
 *   INPROCESS_ONLY=signed-v1 npx tsx --cpu-prof bench/inprocess.ts auth-signed   # the baseline and one contestant, profiled
 *   INPROCESS_PROFILE=1 npm run bench:inprocess -- auth-signed   # + one profiled batch per contestant (see below)
 *
 * With INPROCESS_PROFILE=1, after the measured rounds each contestant serves one more batch under the
 * V8 profiler (started and stopped around the batch through `node:inspector`, 100 µs sampling), so the
 * profile holds that contestant's requests only, not the signing of the requests or the other
 * contestants: `bench/results/profiles-inprocess/<scenario>/<contestant>/batch.cpuprofile` with
 * `requests.txt`, read by `npx tsx bench/profile-summary.ts` in µs per request; and a table of µs per
 * request by step (the profile's shares of each step times the contestant's measured µs/req) is printed.
 * For the Redis contestants of `protection` use `BENCH_PROFILE=1 npm run bench` instead: one run with
 * INPROCESS_PROFILE=1 and 4000-request batches stopped making progress with the process idle (cause
 * not found; small batches completed), and in process their round trips dominate anyway.
 *
 * It does not replace `npm run bench` (socket writes and parsing the request bytes are left out),
 * it isolates the part of the cost this package controls.
 */
import { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { ensureBuiltPackage } from './lib/build-check.js';
import { listScenarios } from './lib/load-scenarios.js';
import { positiveIntegerFromEnv } from './lib/env.js';
import { median } from './lib/stats.js';
import { formatTable } from './lib/table.js';
import { ScenarioUnavailable, type BenchRequest, type Contestant } from './lib/scenario.js';
import { STEPS } from './lib/profile-steps.js';
import { isBusyStep, profileTotals, type CpuProfile, type ProfileTotals } from './lib/profile-totals.js';

/** A socket that accepts and discards every write and never yields data. */
class NullSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 40000;
  override _read(): void {}
  override _write(_chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    callback();
  }
  override _writev(_chunks: unknown, callback: (error?: Error | null) => void): void {
    callback();
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

const socket = new NullSocket();
socket.setMaxListeners(0);

/** Serve one request with `listener`; resolves with the status once the response has finished. */
function serve(listener: RequestListener, request: BenchRequest): Promise<number> {
  const req = new IncomingMessage(socket as never);
  req.method = request.method ?? 'GET';
  req.url = request.path;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const headers: Record<string, string> = { host: '127.0.0.1', connection: 'keep-alive', ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  req.headers = headers;
  if (request.body !== undefined) req.push(Buffer.from(request.body));
  req.push(null);
  const res = new ServerResponse(req);
  res.assignSocket(socket as never);
  return new Promise((resolve, reject) => {
    res.once('finish', () => {
      res.detachSocket(socket as never);
      resolve(res.statusCode);
    });
    res.once('error', reject);
    listener(req, res);
  });
}

interface Entry {
  readonly contestant: Contestant;
  readonly listener: RequestListener;
  readonly micros: number[];
}

/** Where the requests of one batch are timed; `profile` brackets them (and only them). */
async function batch(entry: Entry, size: number, profile?: { start(): Promise<void>; stop(): Promise<void> }): Promise<number> {
  const next = entry.contestant.nextRequest;
  const requests = Array.from({ length: size }, () => (next === undefined ? entry.contestant.request : next()));
  const expected = entry.contestant.expect?.status ?? 200;
  await profile?.start();
  const before = process.cpuUsage();
  for (const request of requests) {
    const status = await serve(entry.listener, request);
    if (status !== expected) throw new Error(`${entry.contestant.id}: status ${status}, expected ${expected}`);
  }
  const used = process.cpuUsage(before);
  await profile?.stop();
  return (used.user + used.system) / size;
}

/**
 * One profiled batch per contestant, written where bench/profile-summary.ts finds its request count;
 * returns each contestant's totals by step.
 */
async function profileBatches(scenarioName: string, entries: readonly Entry[], size: number): Promise<Map<Entry, ProfileTotals>> {
  const totals = new Map<Entry, ProfileTotals>();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    for (const entry of entries) {
      const dir = join('bench', 'results', 'profiles-inprocess', scenarioName, entry.contestant.id);
      await batch(entry, size, {
        start: async () => {
          await session.post('Profiler.start');
        },
        stop: async () => {
          const { profile } = await session.post('Profiler.stop');
          totals.set(entry, profileTotals(profile as CpuProfile));
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, 'batch.cpuprofile'), JSON.stringify(profile));
          writeFileSync(join(dir, 'requests.txt'), `${size}\n`);
        },
      });
      console.error(`profile: ${join(dir, 'batch.cpuprofile')} (${size} requests)`);
    }
  } finally {
    session.disconnect();
  }
  return totals;
}

/**
 * µs per request by step: each step's share of the profiled batch's busy time times the
 * contestant's median CPU µs per request in the unprofiled rounds (sampling at 100 µs slows the
 * profiled batch itself down, so its own durations are not used).
 */
function stepTable(entries: readonly Entry[], totals: ReadonlyMap<Entry, ProfileTotals>): string {
  const rows = [['step (µs/req)', ...entries.map((e) => e.contestant.id)]];
  for (const step of STEPS) {
    if (!isBusyStep(step.name) || !entries.some((e) => totals.get(e)?.byStep.has(step.name))) continue;
    rows.push([
      step.name,
      ...entries.map((e) => {
        const t = totals.get(e);
        const micros = t?.byStep.get(step.name);
        return t === undefined || micros === undefined || t.busy === 0 ? '-' : ((micros / t.busy) * median(e.micros)).toFixed(1);
      }),
    ]);
  }
  rows.push(['total (measured)', ...entries.map((e) => median(e.micros).toFixed(1))]);
  return formatTable(rows);
}

async function main(): Promise<void> {
  process.env.BENCH_POOL_SIZE = '0'; // batches are signed before they are timed; no pool kept in this heap
  ensureBuiltPackage((line) => console.error(line));
  const rounds = positiveIntegerFromEnv('INPROCESS_ROUNDS', 9, 200);
  const size = positiveIntegerFromEnv('INPROCESS_BATCH', 2000, 100_000);
  for (const loaded of listScenarios(process.argv.slice(2))) {
    const { scenario } = loaded;
    let prepared;
    try {
      prepared = scenario.prepare === undefined ? {} : await scenario.prepare();
    } catch (err) {
      if (err instanceof ScenarioUnavailable) {
        console.log(`== ${loaded.name}: skipped: ${err.message}\n`);
        continue;
      }
      throw err;
    }
    try {
      const env = { ...process.env, ...prepared.env };
      const entries: Entry[] = [];
      const only = (process.env.INPROCESS_ONLY ?? '').split(',').filter((id) => id !== '');
      const chosen = scenario.contestants.filter((c) => only.length === 0 || c.id === scenario.baseline || only.includes(c.id));
      for (const contestant of chosen) entries.push({ contestant, listener: await contestant.createListener(env), micros: [] });
      for (const entry of entries) await batch(entry, Math.min(size, 500)); // warm-up
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < entries.length; i++) {
          const entry = entries[(i + round) % entries.length] as Entry;
          entry.micros.push(await batch(entry, size));
        }
      }
      const profiles = process.env.INPROCESS_PROFILE === '1' ? await profileBatches(loaded.name, entries, size) : undefined;
      const base = entries.find((e) => e.contestant.id === scenario.baseline) as Entry;
      const rows = [['contestant', 'CPU µs/req median [min-max]', 'CPU eff. x base', 'extra µs/req', 'target']];
      for (const entry of entries) {
        const ratios = entry.micros.map((m, r) => (base.micros[r] as number) / m);
        const target = scenario.targets?.find((t) => t.contestant === entry.contestant.id);
        const eff = median(ratios);
        rows.push([
          `${entry.contestant.id}${entry === base ? ' (base)' : ''}`,
          `${median(entry.micros).toFixed(1)} [${Math.min(...entry.micros).toFixed(1)}-${Math.max(...entry.micros).toFixed(1)}]`,
          entry === base ? '1.00' : eff.toFixed(2),
          entry === base ? '' : (median(entry.micros) - median(base.micros)).toFixed(1),
          target === undefined ? '' : `>= ${target.minRatio.toFixed(2)} ${eff >= target.minRatio ? 'MET' : 'MISSED'}`,
        ]);
      }
      console.log(`== ${loaded.name} (in process, ${rounds} rounds x ${size} requests): ${scenario.title}\n${formatTable(rows)}\n`);
      if (profiles !== undefined) console.log(`${loaded.name}, by step (profiled batch's shares x median µs/req):\n${stepTable(entries, profiles)}\n`);
    } finally {
      await prepared.close?.();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
