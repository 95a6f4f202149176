/**
 * Throttling limits: a default `{ points, durationSeconds }` and per-Action overrides, validated
 * once at start-up and grouped so that actions with the same limit share one limiter.
 */

/** At most `points` requests per `durationSeconds` (a fixed window that starts at the first request). */
export interface RateLimit {
  /** Requests allowed per window: a positive integer. */
  readonly points: number;
  /** The window, in whole seconds: a positive integer (rate-limiter-flexible counts in seconds). */
  readonly durationSeconds: number;
}

/** Per-Action limits: a {@link RateLimit}, or `false` to exempt the action from throttling. */
export type ActionLimits = Readonly<Record<string, RateLimit | false>>;

/** A validated limit, with the id of the limiter that counts it. */
export interface ResolvedLimit extends RateLimit {
  /** `points/durationSeconds`: actions with equal limits share a limiter (their keys differ by Action). */
  readonly id: string;
}

/** The limits of a throttler: which limit (if any) applies to an Action. */
export interface LimitTable {
  /** The limit for `action`, or undefined when the action is exempt. */
  forAction(action: string): ResolvedLimit | undefined;
  /** Every distinct limit, for building the limiters up front. */
  readonly distinct: readonly ResolvedLimit[];
}

/**
 * Validate `defaults` and `actions` and index them.
 *
 * @example
 * const table = limitTable({ points: 100, durationSeconds: 1 }, { RunInstances: { points: 10, durationSeconds: 1 }, Ping: false });
 * table.forAction('RunInstances'); // { id: '10/1', points: 10, durationSeconds: 1 }
 * table.forAction('Ping');         // undefined (not throttled)
 */
export function limitTable(defaults: RateLimit, actions: ActionLimits = {}): LimitTable {
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
  const fallback = resolve('rateLimitThrottler: limit', defaults);
  if (typeof actions !== 'object' || actions === null) throw new TypeError('rateLimitThrottler: actions must be an object');
  // A Map, not the user's object: an Action may be called "constructor" or "toString".
  const overrides = new Map<string, ResolvedLimit | undefined>();
  for (const [action, limit] of Object.entries(actions)) {
    overrides.set(action, limit === false ? undefined : resolve(`rateLimitThrottler: actions.${action}`, limit));
  }
  return {
    forAction: (action) => (overrides.has(action) ? overrides.get(action) : fallback),
    distinct: [...byId.values()],
  };
}

function checkedInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
