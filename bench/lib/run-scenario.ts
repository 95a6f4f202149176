/**
 * Running one scenario: start every contestant in its own process, check each answers correctly,
 * warm them up, then measure them in alternating order for several rounds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContestantServer } from './contestant-server.js';
import { checkProbe, probe, runLoad, type LoadSettings } from './load.js';
import { ScenarioUnavailable, type Contestant, type PreparedScenario } from './scenario.js';
import { spread, type Spread } from './stats.js';
import type { LoadedScenario } from './load-scenarios.js';

/** Settings of a whole run (from BENCH_* variables). */
export interface RunSettings extends LoadSettings {
  readonly rounds: number;
  readonly warmupSeconds: number;
  /** When set, each contestant process writes a CPU profile to `<profileDir>/<scenario>/<contestant>/`. */
  readonly profileDir: string | undefined;
  /** Progress lines go here. */
  readonly log: (line: string) => void;
}

/** One contestant's measurements in one round. */
export interface RoundResult {
  readonly round: number;
  /** Position in that round's order (0 = first). */
  readonly position: number;
  readonly reqPerSec: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU (user + system) per completed request, in microseconds. */
  readonly cpuMicrosPerReq: number;
  /** Server CPU time ÷ wall time: 1.0 = the server kept one core busy (it was the bottleneck). */
  readonly serverCoreShare: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly rssBytes: number;
}

/** One contestant across all rounds. */
export interface ContestantReport {
  readonly id: string;
  readonly label: string;
  readonly isBaseline: boolean;
  readonly responseBytes: number;
  readonly rounds: readonly RoundResult[];
  readonly reqPerSec: Spread;
  readonly p99Ms: Spread;
  readonly cpuMicrosPerReq: Spread;
  readonly serverCoreShare: Spread;
  /** Per round: req/s ÷ the baseline's req/s in the same round (higher is better). */
  readonly ratio: Spread;
  /** Per round: the baseline's CPU per request ÷ this one's (higher is better; 1 = as cheap). */
  readonly cpuEfficiency: Spread;
  /** Anything that makes the figures suspect (non-2xx answers, socket errors). */
  readonly problems: readonly string[];
}

/** A target, judged. */
export interface TargetVerdict {
  readonly contestant: string;
  readonly minRatio: number;
  readonly source: string | undefined;
  /** Median paired CPU efficiency: the baseline's server CPU per request ÷ this one's (the figure of record). */
  readonly cpuEfficiency: number;
  /** Median paired req/s ratio (shown beside it: on 2 cores the load generator can be the bottleneck). */
  readonly ratio: number;
  readonly met: boolean;
}

/** What one scenario measured, or why it was skipped. */
export interface ScenarioReport {
  readonly name: string;
  readonly title: string;
  readonly baseline: string;
  readonly skipped?: string;
  readonly contestants: readonly ContestantReport[];
  readonly targets: readonly TargetVerdict[];
}

/** Rotate the order each round (A B C, B C A, C A B, ...) so no contestant always goes first. */
function orderFor<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function startAll(loaded: LoadedScenario, env: Readonly<Record<string, string>> | undefined, settings: RunSettings): Promise<Map<string, ContestantServer>> {
  const servers = new Map<string, ContestantServer>();
  try {
    // One at a time: starting many tsx processes at once on two cores is slow and proves nothing.
    for (const c of loaded.scenario.contestants) {
      const nodeFlags = settings.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(settings.profileDir, loaded.name, c.id)}`];
      servers.set(c.id, await ContestantServer.start(loaded.file, c.id, { env, nodeFlags }));
    }
  } catch (err) {
    await stopAll(servers);
    throw err;
  }
  return servers;
}

async function stopAll(servers: Map<string, ContestantServer>): Promise<void> {
  await Promise.all([...servers.values()].map((s) => s.stop()));
}

async function measure(contestant: Contestant, server: ContestantServer, settings: RunSettings, round: number, position: number): Promise<RoundResult> {
  const before = await server.cpu();
  const load = await runLoad(contestant, server.port, settings);
  const after = await server.cpu();
  return {
    round,
    position,
    reqPerSec: load.reqPerSec,
    requests: load.requests,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    cpuMicrosPerReq: load.requests > 0 ? (after.micros - before.micros) / load.requests : Number.NaN,
    serverCoreShare: (after.micros - before.micros) / 1e6 / load.wallSeconds,
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
    rssBytes: after.rss,
  };
}

function problemsOf(contestant: Contestant, rounds: readonly RoundResult[]): string[] {
  const problems: string[] = [];
  const expectsSuccess = (contestant.expect?.status ?? 200) < 300;
  const non2xx = rounds.reduce((n, r) => n + r.non2xx, 0);
  const errors = rounds.reduce((n, r) => n + r.errors, 0);
  if (expectsSuccess && non2xx > 0) problems.push(`${non2xx} non-2xx responses`);
  if (errors > 0) problems.push(`${errors} socket errors/timeouts`);
  return problems;
}

function summarise(loaded: LoadedScenario, results: Map<string, RoundResult[]>, bytes: Map<string, number>): ContestantReport[] {
  const { scenario } = loaded;
  const base = results.get(scenario.baseline) ?? [];
  const baseByRound = new Map(base.map((r) => [r.round, r]));
  return scenario.contestants.map((c) => {
    const rounds = results.get(c.id) ?? [];
    const ratios: number[] = [];
    const efficiencies: number[] = [];
    for (const r of rounds) {
      const b = baseByRound.get(r.round);
      if (b === undefined) continue;
      ratios.push(r.reqPerSec / b.reqPerSec);
      efficiencies.push(b.cpuMicrosPerReq / r.cpuMicrosPerReq);
    }
    return {
      id: c.id,
      label: c.label,
      isBaseline: c.id === scenario.baseline,
      responseBytes: bytes.get(c.id) ?? 0,
      rounds,
      reqPerSec: spread(rounds.map((r) => r.reqPerSec)),
      p99Ms: spread(rounds.map((r) => r.p99Ms)),
      cpuMicrosPerReq: spread(rounds.map((r) => r.cpuMicrosPerReq)),
      serverCoreShare: spread(rounds.map((r) => r.serverCoreShare)),
      ratio: spread(ratios),
      cpuEfficiency: spread(efficiencies),
      problems: problemsOf(c, rounds),
    };
  });
}

/**
 * Run one scenario to completion (always stopping what it started).
 *
 * @example
 * const report = await runScenario(listScenarios(['core-small'])[0], settings);
 */
export async function runScenario(loaded: LoadedScenario, settings: RunSettings): Promise<ScenarioReport> {
  const { scenario, name } = loaded;
  const header = { name, title: scenario.title, baseline: scenario.baseline };
  let prepared: PreparedScenario = {};
  try {
    if (scenario.prepare !== undefined) prepared = await scenario.prepare();
  } catch (err) {
    if (err instanceof ScenarioUnavailable) return { ...header, skipped: err.message, contestants: [], targets: [] };
    throw err;
  }
  try {
    settings.log(`[${name}] starting ${scenario.contestants.length} contestant processes`);
    const servers = await startAll(loaded, prepared.env, settings);
    try {
      const bytes = new Map<string, number>();
      /** Requests each process served (probe, warm-up, rounds): profiles are summarised per request. */
      const served = new Map<string, number>(scenario.contestants.map((c) => [c.id, 1]));
      const count = (id: string, n: number): void => void served.set(id, (served.get(id) ?? 0) + n);
      for (const c of scenario.contestants) {
        const res = await probe(c.request, (servers.get(c.id) as ContestantServer).port);
        const problem = checkProbe(c, res);
        if (problem !== undefined) throw new Error(`[${name}] ${c.id} answers wrongly: ${problem}`);
        bytes.set(c.id, res.body.length);
      }
      if (settings.warmupSeconds > 0) {
        settings.log(`[${name}] warming up (${settings.warmupSeconds} s each)`);
        for (const c of scenario.contestants) {
          const warm = await runLoad(c, (servers.get(c.id) as ContestantServer).port, { ...settings, seconds: settings.warmupSeconds, rate: undefined });
          count(c.id, warm.requests);
        }
      }
      const results = new Map<string, RoundResult[]>(scenario.contestants.map((c) => [c.id, []]));
      for (let round = 0; round < settings.rounds; round++) {
        const order = orderFor(scenario.contestants, round);
        for (let position = 0; position < order.length; position++) {
          const c = order[position] as Contestant;
          const r = await measure(c, servers.get(c.id) as ContestantServer, settings, round + 1, position);
          (results.get(c.id) as RoundResult[]).push(r);
          count(c.id, r.requests);
          settings.log(
            `[${name}] round ${round + 1}/${settings.rounds} ${c.id.padEnd(16)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${r.p99Ms} ms  ${r.cpuMicrosPerReq.toFixed(1)} us CPU/req  server ${(100 * r.serverCoreShare).toFixed(0)}% of a core`,
          );
        }
      }
      if (settings.profileDir !== undefined) {
        for (const c of scenario.contestants) {
          const dir = join(settings.profileDir, name, c.id);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, 'requests.txt'), `${served.get(c.id) ?? 0}\n`);
        }
      }
      const contestants = summarise(loaded, results, bytes);
      const targets = (scenario.targets ?? []).map((t): TargetVerdict => {
        const c = contestants.find((x) => x.id === t.contestant) as ContestantReport;
        return {
          contestant: t.contestant,
          minRatio: t.minRatio,
          source: t.source,
          ratio: c.ratio.median,
          cpuEfficiency: c.cpuEfficiency.median,
          met: c.cpuEfficiency.median >= t.minRatio,
        };
      });
      return { ...header, contestants, targets };
    } finally {
      await stopAll(servers);
    }
  } finally {
    await prepared.close?.();
  }
}
