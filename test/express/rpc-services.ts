/**
 * One set of RPC action declarations (handlers that use only their parameters and the third `call`
 * argument) served by `koaRpc` (the reference) and by `expressRpc` on Express 5 and 4. Every service
 * gets its own API instance with its own stores (nonces, throttling counters, ClientTokens) and a
 * fixed clock, so that the same sequence of requests gets the same answers from each.
 */
import Koa from 'koa';
import type { Express } from 'express';
import { z } from 'zod';
import {
  createRpcApi,
  envelope as koaEnvelope,
  errors,
  defineError,
  koaRpc,
  p,
  signatureAuthenticator,
  staticCredentials,
  rateLimitThrottler,
  clientTokenGuard,
  MemoryStore,
  type RpcApi,
  type RpcApiOptions,
  type StaticKey,
  type EnvelopeOptions,
} from '../../lib/index.js';
import { envelope, errorHandler, expressRpc, type ReportedError } from '../../lib/express/index.js';
import type { Service } from './services.js';

export const VERSION = '2014-05-26';
/** The servers' clock: every signed request is stamped near it. */
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

export const KEYS: Readonly<Record<string, StaticKey>> = {
  'parity-ak': { secret: 'parity-secret-Zq7', principal: { account: '1234' } },
  'disabled-ak': { secret: 'disabled-secret-Zq7', disabled: true },
};

/** The kinds of service in the parity table. */
export type RpcServiceKind = 'open' | 'cors' | 'signed';

const InstanceNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId {instanceId} does not exist.');

/** Declaration of a DescribeInstances-like action: lists, structs, bounds, enums, JSON. */
const DESCRIBE_INSTANCES = {
  RegionId: p.string({ required: true, pattern: /^[a-z]+(-[a-z0-9]+)+$/ }),
  InstanceId: p.list(p.string({ pattern: /^i-[a-z0-9]+$/ }), { maxItems: 5 }),
  Tag: p.list(p.struct({ Key: p.string({ required: true, maxLength: 8 }), Value: p.string({ maxLength: 8 }) }), { maxItems: 3 }),
  PageSize: p.integer({ min: 1, max: 50, default: 10 }),
  Status: p.enum(['Running', 'Stopped']),
  DryRun: p.boolean(),
  OwnerId: p.long(),
  Filter: p.json(z.object({ Name: z.string() })),
};

/**
 * Declare the shared actions on `api`. `runs` counts handler runs per action (each service has its
 * own). Handlers touch only `params` and `call`, never the framework context.
 */
export function declareActions(api: RpcApi, runs: Map<string, number>): void {
  const ran = (name: string): number => {
    const n = (runs.get(name) ?? 0) + 1;
    runs.set(name, n);
    return n;
  };
  api.action('DescribeRegions', {
    anonymous: true,
    handler: () => ({ Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）' }, { RegionId: 'cn-shanghai', LocalName: '华东2（上海）' }] } }),
  });
  api.action('DescribeInstances', {
    anonymous: true,
    params: DESCRIBE_INSTANCES,
    handler: (params) => ({
      TotalCount: params.InstanceId?.length ?? 0,
      PageSize: params.PageSize,
      OwnerId: params.OwnerId ?? 2n ** 63n - 1n,
      Filter: params.Filter?.Name ?? '',
      Instances: { Instance: (params.InstanceId ?? []).map((id, i) => ({ InstanceId: id, Status: params.Status ?? 'Running', Index: i })) },
      Tags: { Tag: (params.Tag ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value ?? null })) },
      Nested: [[1, 2], [3]],
      CreationTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    }),
  });
  api.action('CreateImage', { anonymous: true, strict: true, params: { ImageName: p.string({ required: true, maxLength: 16 }) }, handler: (params) => ({ ImageId: `m-${params.ImageName}` }) });
  api.action('SendSms', { anonymous: true, version: ['2017-05-25', '2017-06-01'], handler: () => ({ BizId: 'biz-1' }) });
  api.action('Nothing', { anonymous: true, handler: () => undefined });
  // What the pipeline saw of the request: the RpcRequest fields every adapter must fill alike.
  api.action('Introspect', {
    anonymous: true,
    handler: (_params, _ctx, { caller, request }) => ({
      Method: request.method,
      Path: request.path,
      Querystring: request.querystring,
      ClientIp: request.clientIp,
      Settles: typeof request.onSettled,
      Format: request.state.format,
      Params: Object.keys(request.state.params.all).map((name) => ({ Name: name, Value: request.state.params.all[name] })),
      RawBody: request.state.rawBody?.toString('utf8') ?? null,
      Caller: caller?.accessKeyId ?? null,
    }),
  });
  api.action('DeleteInstance', { anonymous: true, params: { InstanceId: p.string({ required: true }) }, handler: (params) => { throw new InstanceNotFound({ instanceId: params.InstanceId }); } });
  api.action('Unavailable', { anonymous: true, handler: async () => { throw new errors.ServiceUnavailable(); } });
  api.action('Bug', { anonymous: true, handler: () => { throw new TypeError('x is undefined at /srv/app.js:10'); } });
  api.action('NotData', { anonymous: true, handler: () => ['an', 'array'] });
  api.action('Limited', { anonymous: true, handler: () => ({ Served: true }) });
  api.action('RunInstances', {
    anonymous: true,
    idempotent: true,
    params: { InstanceType: p.string({ required: true }), Amount: p.integer({ min: 1, max: 10, default: 1 }) },
    handler: (params) => {
      const n = ran('RunInstances');
      return { InstanceIdSets: { InstanceIdSet: Array.from({ length: params.Amount }, (_, i) => `i-run${n}x${i}`) }, OwnerId: 2n ** 60n, Run: n };
    },
  });
  // Signed-only actions (the 'signed' service authenticates everything not anonymous).
  api.action('WhoAmI', {
    handler: (_params, _ctx, { caller }) => ({ AccessKeyId: caller?.accessKeyId ?? '', SignatureVersion: caller?.signatureVersion ?? '', Account: String(caller?.principal?.account ?? '') }),
  });
  api.action('SignedBoom', { handler: () => { ran('SignedBoom'); throw new Error('a bug behind a signature'); } });
  api.action('SignedRefuse', { handler: () => { throw new errors.InvalidParameter('RegionId'); } });
  api.action('SignedLimited', { handler: (_params, _ctx, { caller }) => ({ Served: caller?.accessKeyId ?? '' }) });
  api.action('SignedRun', {
    idempotent: true,
    params: { InstanceType: p.string({ required: true }) },
    handler: (params, _ctx, { caller }) => ({ InstanceId: `i-${params.InstanceType}-${ran('SignedRun')}`, Caller: caller?.accessKeyId ?? '' }),
  });
}

function optionsFor(kind: RpcServiceKind): RpcApiOptions {
  const throttle = rateLimitThrottler({
    limit: { points: 10_000, durationSeconds: 3600 },
    actions: { Limited: { points: 2, durationSeconds: 3600 }, SignedLimited: { points: 1, durationSeconds: 3600 } },
  });
  const idempotency = clientTokenGuard({ store: new MemoryStore({ maxEntries: 1000, sweepIntervalMs: 0 }) });
  switch (kind) {
    case 'open':
      return { version: VERSION, throttle, idempotency };
    case 'cors':
      return {
        version: VERSION,
        path: '/rpc',
        strict: true,
        cors: { origin: 'https://console.example.com', maxAgeSeconds: 300 },
        errors: { unknownAction: () => new errors['InvalidAction.NotFound'](), methodNotAllowed: (method) => new errors.UnsupportedHTTPMethod({ message: `${method} is not supported.` }) },
      };
    case 'signed': {
      const clock = (): number => NOW;
      const nonceStore = new MemoryStore({ maxEntries: 1000, sweepIntervalMs: 0, now: clock });
      const authenticate = signatureAuthenticator({ credentials: staticCredentials(KEYS), nonceStore, clock });
      return { version: VERSION, authenticate, throttle, idempotency };
    }
  }
}

/** A fresh API of `kind` with the shared declarations. */
export function rpcApi(kind: RpcServiceKind, runs: Map<string, number> = new Map()): RpcApi {
  const api = createRpcApi(optionsFor(kind));
  declareActions(api, runs);
  return api;
}

const ENVELOPE: EnvelopeOptions = { hostId: 'rpc.parity.test' };

/** The Koa reference: `envelope()` + `koaRpc(api)`. */
export function koaRpcService(kind: RpcServiceKind): Service<Koa> {
  const app = new Koa();
  const reported: ReportedError[] = [];
  app.on('error', (err: ReportedError) => reported.push(err));
  app.use(koaEnvelope(ENVELOPE));
  app.use(koaRpc(rpcApi(kind)));
  return { app, reported };
}

/** The Express service: `envelope()` + `expressRpc(api)` + `errorHandler()`. */
export function expressRpcService(createApp: () => Express, kind: RpcServiceKind): Service<Express> {
  const app = createApp();
  app.disable('x-powered-by'); // Express's banner: not part of the protocol, absent on Koa
  const reported: ReportedError[] = [];
  app.use(envelope({ ...ENVELOPE, onError: (err) => reported.push(err) }));
  app.use(expressRpc(rpcApi(kind)));
  app.use(errorHandler());
  return { app, reported };
}
