/**
 * Finding and loading scenario files (`bench/scenarios/*.ts`), in the harness and in the
 * contestant processes alike.
 */
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Scenario } from './scenario.js';

/** The directory holding one file per scenario. */
export const SCENARIO_DIR = resolve(__dirname, '..', 'scenarios');

/** A scenario with the file it came from and its resolved name. */
export interface LoadedScenario {
  readonly name: string;
  readonly file: string;
  readonly scenario: Scenario;
}

function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && Array.isArray((value as Scenario).contestants) && typeof (value as Scenario).baseline === 'string';
}

/**
 * Load one scenario file (it must export `scenario`).
 *
 * @example
 * const { scenario } = loadScenario('/repo/bench/scenarios/core-small.ts');
 */
export function loadScenario(file: string): LoadedScenario {
  // The package is CommonJS and tsx hooks require(), so a plain require loads the TypeScript file.
  const mod = require(file) as { scenario?: unknown };
  if (!isScenario(mod.scenario)) throw new TypeError(`${file} does not export a scenario (export const scenario = defineScenario({...}))`);
  const name = mod.scenario.name ?? basename(file).replace(/\.ts$/, '');
  return { name, file, scenario: mod.scenario };
}

/**
 * Every scenario file, sorted by name; `only` (names) keeps the listed ones.
 *
 * @example
 * listScenarios(['core-small']);
 */
export function listScenarios(only: readonly string[] = []): LoadedScenario[] {
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort();
  const loaded = files.map((f) => loadScenario(join(SCENARIO_DIR, f)));
  if (only.length === 0) return loaded;
  const unknown = only.filter((n) => !loaded.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${loaded.map((s) => s.name).join(', ')}`);
  return loaded.filter((s) => only.includes(s.name));
}
