/**
 * The service assembled: state backends → authentication, throttling and ClientToken steps → the
 * ECS actions → a Koa or Express app. `createEcsService(config)` returns a Node request listener;
 * server.ts and cluster.ts put it on a port, tests on a free one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import express from 'express';
import { envelope as expressEnvelope, errorHandler, explorer as expressExplorer, expressRoa, expressRpc, type ExpressRpcContext } from '../../lib/express/index.js';
import { koaRoa } from '../../lib/index.js';
import { createCsApi } from '../cs/api.js';
import { createEcsApi, type EcsApiOptions } from './api.js';
import type { EcsConfig } from './config.js';
import {
  answerRefusedRequests,
  clientTokenGuard,
  envelope,
  explorer,
  koaRpc,
  rateLimitThrottler,
  signatureAuthenticator,
  staticCredentials,
  type ExchangeListener,
  type StaticKey,
} from './middleware.js';
import { openState, type EcsState, type StateOptions } from './state.js';

/** The HostId of error envelopes. */
export const ECS_HOST_ID = 'ecs.example.local';

/** A running service, not yet listening. */
export interface EcsService {
  readonly config: EcsConfig;
  readonly state: EcsState;
  /** Serves the API: `http.createServer(service.listener)`. */
  readonly listener: http.RequestListener;
  /** The Actions the API declares. */
  readonly actions: readonly string[];
  /** Close the state backends (the Redis connection). */
  close(): Promise<void>;
}

/** Options of {@link createEcsService}. */
export interface EcsServiceOptions extends StateOptions {
  /** Where server bugs (answered `InternalError`) are reported. Default: stderr. */
  readonly reportError?: (err: Error & { requestId?: string }) => void;
  /** Serve the API explorer page at this path (e.g. `/explorer`). Default: no explorer. */
  readonly explorerPath?: string;
  /** Receives one record per request (access log, metrics: see observability.ts). */
  readonly onExchange?: ExchangeListener;
}

function reportToStderr(err: Error & { requestId?: string }): void {
  console.error(`[${err.requestId ?? '-'}] ${err.stack ?? err.message}`);
}

/**
 * The protection steps, every one of them sharing state through Redis when there is one:
 * - authentication: Signature V1 and V3 against the configured keys; nonces remembered 31 minutes;
 * - throttling: `throttlePerSecond` requests per second, per AccessKeyId and Action;
 * - ClientToken: results kept 24 hours for retries.
 */
function protectionSteps(config: EcsConfig, state: EcsState): Omit<EcsApiOptions, 'instances'> {
  const keys: Record<string, StaticKey> = Object.create(null);
  for (const key of config.accessKeys) keys[key.accessKeyId] = { secret: key.secret, disabled: key.disabled };
  const limit = { points: config.throttlePerSecond, durationSeconds: 1 };
  const throttle = rateLimitThrottler(state.redis === undefined ? { limit } : { limit, redis: state.redis, keyPrefix: `${state.prefix}throttle` });
  return {
    // With Redis, a signed request's nonce and its throttling count go in one round trip.
    authenticate: signatureAuthenticator({ credentials: staticCredentials(keys), nonceStore: state.nonces, combineWithThrottle: throttle }),
    throttle,
    idempotency: clientTokenGuard({ store: state.clientTokens }),
  };
}

type EnvelopeSettings = { hostId: string; onExchange?: ExchangeListener };

function koaListener(steps: EcsApiOptions, report: (err: Error & { requestId?: string }) => void, settings: EnvelopeSettings, explorerPath?: string): http.RequestListener {
  const app = new Koa();
  const api = createEcsApi<Koa.Context>(steps);
  if (explorerPath !== undefined) app.use(explorer(api, { path: explorerPath, title: 'ECS example explorer' }));
  app.use(envelope(settings)); // RequestId, Format, parameters, error envelopes
  app.use(koaRpc(api));
  app.use(koaRoa(createCsApi<Koa.Context>(steps))); // the CS-like ROA API on the other paths (examples/cs)
  app.on('error', report);
  return app.callback();
}

function expressListener(steps: EcsApiOptions, report: (err: Error & { requestId?: string }) => void, settings: EnvelopeSettings, explorerPath?: string): http.RequestListener {
  const app = express();
  app.disable('x-powered-by'); // Alibaba Cloud endpoints send no such header
  const api = createEcsApi<ExpressRpcContext>(steps);
  if (explorerPath !== undefined) app.use(expressExplorer(api, { path: explorerPath, title: 'ECS example explorer' }));
  app.use(expressEnvelope({ ...settings, onError: report }));
  app.use(expressRpc(api));
  app.use(expressRoa(createCsApi<ExpressRpcContext>(steps))); // the CS-like ROA API on the other paths (examples/cs)
  app.use(errorHandler());
  return app;
}

/**
 * Build the service from its settings (connects to Redis first when `config.redisUrl` is set).
 *
 * @example
 * const service = await createEcsService(loadConfig());
 * http.createServer(service.listener).listen(3000, '127.0.0.1');
 */
export async function createEcsService(config: EcsConfig, options: EcsServiceOptions = {}): Promise<EcsService> {
  const state = await openState(config.redisUrl, options);
  const steps: EcsApiOptions = { instances: state.instances, ...protectionSteps(config, state) };
  const report = options.reportError ?? reportToStderr;
  const settings: EnvelopeSettings = options.onExchange === undefined ? { hostId: ECS_HOST_ID } : { hostId: ECS_HOST_ID, onExchange: options.onExchange };
  const listener =
    config.framework === 'express' ? expressListener(steps, report, settings, options.explorerPath) : koaListener(steps, report, settings, options.explorerPath);
  const actions = createEcsApi(steps).describe().actions.map((action) => action.name);
  return { config, state, listener, actions, close: () => state.close() };
}

/** A listening HTTP server. */
export interface Listening {
  readonly server: http.Server;
  /** e.g. `http://127.0.0.1:3000` (no trailing slash). */
  readonly endpoint: string;
  readonly port: number;
  /** Stop accepting, drop idle keep-alive connections, wait for the server to close. */
  close(): Promise<void>;
}

/**
 * Listen on `host:port` (port 0: a free one); requests Node's HTTP parser refuses are answered
 * with envelopes (`answerRefusedRequests`).
 *
 * @example
 * const { endpoint } = await listen(service.listener, '127.0.0.1', 0);
 */
export async function listen(listener: http.RequestListener, host: string, port: number): Promise<Listening> {
  // Requests Node's HTTP parser refuses get an XML error envelope too, not a bare status line.
  const server = answerRefusedRequests(http.createServer(listener), { hostId: ECS_HOST_ID });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    server,
    endpoint: `http://${shownHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
