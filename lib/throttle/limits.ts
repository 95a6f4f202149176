/**
 * Throttling limits: a default `{ points, durationSeconds }` per caller and Action, per-Action
 * overrides, and a limit per caller across every Action, validated once at start-up and grouped so
 * that actions with the same limit share one limiter.
 */

/** At most `points` requests per `durationSeconds` (a fixed window that starts at the first request). */
export interface RateLimit {
  /** Requests allowed per window: a positive integer. */
  readonly points: number;
  /** The window, in whole seconds: a positive integer (rate-limiter-flexible counts in seconds). */
  readonly durationSeconds: number;
}

/** Per-Action limits: a {@link RateLimit}, or `false` to exempt the action from throttling (from `perCaller` too). */
export type ActionLimits = Readonly<Record<string, RateLimit | false>>;

/** A validated limit, with the id of the limiter that counts it. */
export interface ResolvedLimit extends RateLimit {
  /** `points/durationSeconds`: actions with equal limits share a limiter (their keys differ by Action). */
  readonly id: string;
}

/** The limits that apply to one Action: per caller and Action, per caller across every Action, or both. */
export interface ActionThrottle {
  /** The limit of this caller on this Action, if any. */
  readonly perAction: ResolvedLimit | undefined;
  /** The limit of this caller across every Action, if any. */
  readonly perCaller: ResolvedLimit | undefined;
}

/** The limits of a throttler: which limits (if any) apply to an Action. */
export interface LimitTable {
  /** The limits for `action`, or undefined when the action is exempt (or nothing is limited). */
  forAction(action: string): ActionThrottle | undefined;
  /** Every distinct limit, for building the limiters up front. */
  readonly distinct: readonly ResolvedLimit[];
}

/**
 * Validate `defaults`, `perCaller` and `actions` and index them. At least one of `defaults` and
 * `perCaller` is required. `false` in `actions` exempts an Action from both limits.
 *
 * @example
 * const table = limitTable({ points: 100, durationSeconds: 1 }, { RunInstances: { points: 10, durationSeconds: 1 }, Ping: false });
 * table.forAction('RunInstances'); // { perAction: { id: '10/1', points: 10, durationSeconds: 1 }, perCaller: undefined }
 * table.forAction('Ping');         // undefined (not throttled)
 * limitTable(undefined, {}, { points: 500, durationSeconds: 1 }).forAction('Any'); // { perAction: undefined, perCaller: { id: '500/1', … } }
 */
export function limitTable(defaults: RateLimit | undefined, actions: ActionLimits = {}, perCaller?: RateLimit): LimitTable {
  const byId = new Map<string, ResolvedLimit>();
  const resolve = (where: string, limit: RateLimit): ResolvedLimit => {
    const points = checkedInteger(`${where}.points`, limit?.points);
    const durationSeconds = checkedInteger(`${where}.durationSeconds`, limit?.durationSeconds);
    const id = `${points}/${durationSeconds}`;
    let resolved = byId.get(id);
    if (resolved === undefined) {
      resolved = { id, points, durationSeconds };
      byId.set(id, resolved);
    }
    return resolved;
  };
  if (defaults === undefined && perCaller === undefined) {
    throw new TypeError('rateLimitThrottler: give limit (per caller and Action), perCaller (per caller across every Action), or both');
  }
  const fallback = defaults === undefined ? undefined : resolve('rateLimitThrottler: limit', defaults);
  const callerLimit = perCaller === undefined ? undefined : resolve('rateLimitThrottler: perCaller', perCaller);
  if (typeof actions !== 'object' || actions === null) throw new TypeError('rateLimitThrottler: actions must be an object');
  const plan = (perAction: ResolvedLimit | undefined): ActionThrottle | undefined =>
    perAction === undefined && callerLimit === undefined ? undefined : { perAction, perCaller: callerLimit };
  const fallbackPlan = plan(fallback);
  // A Map, not the user's object: an Action may be called "constructor" or "toString".
  const overrides = new Map<string, ActionThrottle | undefined>();
  for (const [action, limit] of Object.entries(actions)) {
    overrides.set(action, limit === false ? undefined : plan(resolve(`rateLimitThrottler: actions.${action}`, limit)));
  }
  return {
    forAction: (action) => (overrides.has(action) ? overrides.get(action) : fallbackPlan),
    distinct: [...byId.values()],
  };
}
function checkedInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
