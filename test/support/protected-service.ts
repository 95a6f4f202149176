/**
 * A Koa service (envelope() + koaRpc(api)) for the throttling and ClientToken tests, with a
 * stand-in authenticator (the caller is the `AccessKeyId` parameter, unsigned) so that the tests
 * can pick callers freely. Signed requests are covered by the two-instance tests.
 *
 * Actions:
 * - `DescribeThings`: counts its runs, returns `{ Count }`.
 * - `CreateThing` (idempotent; `Name`, `Size`): runs `behaviour.create` (default: a result with a
 *   bigint, a Date, a nested list), counts its runs.
 * - `Ping` (anonymous), `Free` (for throttling exemptions).
 */
import Koa from 'koa';
import request, { type Test } from 'supertest';
import {
  createRpcApi,
  envelope,
  errors,
  koaRpc,
  p,
  type Authenticator,
  type IdempotencyGuard,
  type RpcApi,
  type Throttler,
} from '../../lib/index.js';

export const VERSION = '2014-05-26';

/** The caller is whoever the `AccessKeyId` parameter names (no signature): tests only. */
export const parameterAuthenticator: Authenticator = async (req) => {
  const id = req.state.params.all.AccessKeyId;
  if (typeof id !== 'string' || id === '') throw new errors.MissingParameter('AccessKeyId');
  return { accessKeyId: id, signatureVersion: 'V1' };
};

/** What CreateThing does by default: a result that exercises every stored type. */
export function defaultCreate(params: { Name?: string | undefined; Size?: number | undefined }, run: number): object {
  return {
    ThingId: `thing-${run}`,
    Name: params.Name ?? '',
    Size: params.Size ?? 0,
    Quota: 9007199254740993n,
    CreatedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    Nothing: undefined,
    Ratio: Number.NaN,
    Tags: { Tag: [{ Key: 'k1', Value: 'v1 & <v2>' }, { Key: 'k2', Value: 'é€😀' }] },
  };
}

export interface ProtectedService {
  readonly api: RpcApi<Koa.Context>;
  readonly app: Koa;
  readonly server: ReturnType<Koa['callback']>;
  /** Handler runs per action. */
  readonly runs: Map<string, number>;
  /** Errors reported on the app's 'error' event. */
  readonly reported: Error[];
  /** Replace what CreateThing does (receives its params and its run number). */
  behaviour: { create: (params: { Name?: string | undefined; Size?: number | undefined }, run: number) => unknown };
}

/**
 * Build the service.
 *
 * @example
 * const svc = protectedService({ throttle: rateLimitThrottler({ limit: { points: 2, durationSeconds: 60 } }) });
 */
export function protectedService(steps: { throttle?: Throttler; idempotency?: IdempotencyGuard; authenticate?: Authenticator | null } = {}): ProtectedService {
  const runs = new Map<string, number>();
  const count = (action: string): number => {
    const n = (runs.get(action) ?? 0) + 1;
    runs.set(action, n);
    return n;
  };
  const authenticate = steps.authenticate === null ? undefined : (steps.authenticate ?? parameterAuthenticator);
  const api = createRpcApi<Koa.Context>({
    version: VERSION,
    ...(authenticate === undefined ? {} : { authenticate }),
    ...(steps.throttle === undefined ? {} : { throttle: steps.throttle }),
    ...(steps.idempotency === undefined ? {} : { idempotency: steps.idempotency }),
  });
  const svc: ProtectedService = {
    api,
    app: new Koa(),
    server: undefined as unknown as ProtectedService['server'],
    runs,
    reported: [],
    behaviour: { create: defaultCreate },
  };
  api.action('DescribeThings', { handler: () => ({ Count: count('DescribeThings') }) });
  api.action('CreateThing', {
    idempotent: true,
    params: { Name: p.string({ maxLength: 32 }), Size: p.integer({ min: 1, max: 1000 }) },
    handler: async (params) => svc.behaviour.create(params, count('CreateThing')),
  });
  api.action('Ping', { anonymous: true, handler: () => ({ Pong: count('Ping') }) });
  api.action('Free', { handler: () => ({ Free: count('Free') }) });
  svc.app.silent = true;
  svc.app.on('error', (err: Error) => svc.reported.push(err));
  svc.app.use(envelope({ hostId: 'protection.test' }));
  svc.app.use(koaRpc(api));
  (svc as { server: ProtectedService['server'] }).server = svc.app.callback();
  return svc;
}

/** `Action`, `Version`, `Format` and the given pairs, percent-encoded. */
export function query(action: string, pairs: Record<string, string> = {}, format: 'JSON' | 'XML' = 'JSON'): string {
  const all: Record<string, string> = { Action: action, Version: VERSION, Format: format, ...pairs };
  return Object.entries(all)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** GET `action` with `pairs` (add `AccessKeyId` to pick the caller). */
export function get(svc: ProtectedService, action: string, pairs: Record<string, string> = {}, format: 'JSON' | 'XML' = 'JSON'): Test {
  return request(svc.server).get(`/?${query(action, pairs, format)}`);
}

/** POST `action` with `pairs` in a form body. */
export function post(svc: ProtectedService, action: string, pairs: Record<string, string> = {}, format: 'JSON' | 'XML' = 'JSON'): Test {
  return request(svc.server).post('/').type('form').send(query(action, pairs, format));
}

/** A promise and its resolver, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
