/**
 * A V8 CPU profile (`.cpuprofile`, or `Profiler.stop`'s result) added up: self time by step of the
 * request path (bench/lib/profile-steps.ts) and by function. Shared by bench/profile-summary.ts and
 * the per-step table of bench/inprocess.ts.
 */
import { stepOf } from './profile-steps.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

/** The parts of a V8 CPU profile read here. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Microseconds of self time by step and by function; `busy` leaves out idle and startup. */
export interface ProfileTotals {
  readonly byStep: ReadonlyMap<string, number>;
  readonly byFunction: ReadonlyMap<string, number>;
  readonly busy: number;
}

/** Steps that are not the program's work (waiting, loading, the profiler's own calls): never counted as busy. */
export function isBusyStep(step: string): boolean {
  return step !== 'idle' && step !== 'startup' && step !== 'profiler';
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('/node_modules/');
  if (i !== -1) return url.slice(i + '/node_modules/'.length);
  const j = url.indexOf('/lib/');
  if (j !== -1 && !url.startsWith('node:')) return url.slice(j + 1);
  const k = url.indexOf('/dist/');
  if (k !== -1) return url.slice(k + 1);
  return url.replace(/^file:\/\//, '') || '(native)';
}

/**
 * Add up `profile`'s samples by step (the innermost frame of the sample's stack that belongs to a
 * step) and by function (self time, busy samples only).
 *
 * @example
 * const { byStep, busy } = profileTotals(JSON.parse(readFileSync(file, 'utf8')));
 * console.log(`signature: ${(100 * (byStep.get('signature') ?? 0)) / busy}% of busy time`);
 */
export function profileTotals(profile: CpuProfile): ProfileTotals {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byStep = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfMicros) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const stack: ProfileNode['callFrame'][] = [];
    for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 400; at = parent.get(at), depth++) stack.push((byId.get(at) as ProfileNode).callFrame);
    const step = stepOf(stack);
    byStep.set(step, (byStep.get(step) ?? 0) + micros);
    if (!isBusyStep(step)) continue;
    busy += micros;
    const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  }
  return { byStep, byFunction, busy };
}
