/**
 * What a benchmark scenario is: a group of contestants served side by side, one of them the
 * baseline, with optional targets expressed as ratios to it. A scenario is one small file in
 * `bench/scenarios/` that exports `scenario` (see bench/README.md, "Adding a scenario").
 */
import type { RequestListener } from 'node:http';

/** HTTP methods the load generator sends. */
export type BenchMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';

/** One request, as the load generator (autocannon) sends it. */
export interface BenchRequest {
  readonly method?: BenchMethod;
  /** Path and query, e.g. `/?Action=DescribeRegions&Format=JSON`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What the harness checks on one probe request before measuring (a wrong answer is not a benchmark). */
export interface BenchExpectation {
  /** Default 200. */
  readonly status?: number;
  /** Exact Content-Type, when given. */
  readonly contentType?: string;
  /** Called with the probe's body; return a message to fail the contestant. */
  readonly check?: (body: Buffer) => string | undefined;
}

/** One server under test. */
export interface Contestant {
  /** Short, unique within the scenario (used in tables, JSON and targets). */
  readonly id: string;
  /** What it is, in a few words. */
  readonly label: string;
  /** The request sent to it. */
  readonly request: BenchRequest;
  /**
   * Per-request variation (a fresh nonce, a new signature): returns the request to send next.
   * Runs in the load generator, so keep it cheap. Omit for a constant request.
   */
  readonly nextRequest?: () => BenchRequest;
  readonly expect?: BenchExpectation;
  /**
   * Builds the server's request listener (e.g. `app.callback()` for Koa, the app for Express).
   * Runs in the contestant's own child process, never in the harness; `env` holds the variables
   * the scenario's `prepare()` returned.
   */
  readonly createListener: (env: Readonly<Record<string, string | undefined>>) => RequestListener | Promise<RequestListener>;
}

/**
 * A target: the baseline's server CPU per request ÷ `contestant`'s (median of the paired rounds) must be
 * at least `minRatio`, i.e. the contestant may cost at most 1/minRatio of the baseline's CPU per request.
 */
export interface BenchTarget {
  readonly contestant: string;
  readonly minRatio: number;
  /** Where the target comes from, e.g. 'issue 2'. */
  readonly source?: string;
}

/** Resources a scenario starts before its servers (e.g. a Redis server). */
export interface PreparedScenario {
  /** Extra environment for the contestant processes. */
  readonly env?: Readonly<Record<string, string>>;
  /** Releases what `prepare()` started. */
  readonly close?: () => Promise<void>;
}

/** A group of contestants measured side by side. */
export interface Scenario {
  /** Short name (defaults to the file name), selectable with `npm run bench -- <name>`. */
  readonly name?: string;
  /** One line shown above the table. */
  readonly title: string;
  /** Id of the baseline contestant. */
  readonly baseline: string;
  readonly contestants: readonly Contestant[];
  readonly targets?: readonly BenchTarget[];
  /**
   * Start what the contestants need. Throw a `ScenarioUnavailable` to skip the scenario with a
   * reason (e.g. no Redis on this machine); any other error fails the run.
   */
  readonly prepare?: () => Promise<PreparedScenario>;
}

/** Thrown by `prepare()` to skip a scenario that cannot run here; the reason is printed. */
export class ScenarioUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ScenarioUnavailable';
  }
}

/**
 * Declare a scenario (identity at run time; checks the ids at load time).
 *
 * @example
 * export const scenario = defineScenario({
 *   title: 'Bare Koa vs envelope()',
 *   baseline: 'koa',
 *   contestants: [
 *     { id: 'koa', label: 'bare Koa', request: { path: '/' }, createListener: () => bareApp().callback() },
 *     { id: 'env', label: 'envelope()', request: { path: '/?Format=JSON' }, createListener: () => envelopeApp().callback() },
 *   ],
 *   targets: [{ contestant: 'env', minRatio: 0.9 }],
 * });
 */
export function defineScenario(scenario: Scenario): Scenario {
  const ids = new Set<string>();
  for (const c of scenario.contestants) {
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(c.id)) throw new TypeError(`contestant id ${JSON.stringify(c.id)} must be 1-40 of [A-Za-z0-9._-]`);
    if (ids.has(c.id)) throw new TypeError(`duplicate contestant id ${c.id}`);
    ids.add(c.id);
  }
  if (!ids.has(scenario.baseline)) throw new TypeError(`baseline ${scenario.baseline} is not a contestant`);
  for (const t of scenario.targets ?? []) {
    if (!ids.has(t.contestant)) throw new TypeError(`target names unknown contestant ${t.contestant}`);
  }
  return scenario;
}
