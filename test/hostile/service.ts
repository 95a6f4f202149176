/**
 * The service the hostile corpus and the fuzzer attack: the ECS example's API (examples/ecs/api.ts:
 * its actions, parameter declarations, authentication, throttling and ClientToken steps) on Koa or
 * Express, listening on 127.0.0.1 at a free port.
 *
 * It is assembled here rather than through `createEcsService()` for one reason: the campaign needs
 * envelope options the example does not expose (a short `bodyTimeoutMs`, so that a slow client is
 * cut off within a test's time). Everything else is the example's own code, wired the same way
 * (compare examples/ecs/service.ts `koaListener` / `expressListener` / `protectionSteps`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import express from 'express';
import { envelope as expressEnvelope, errorHandler, expressRpc as packageExpressRpc, type ExpressRpcContext } from '../../lib/express/index.js';
import { answerRefusedRequests, envelope, koaRpc } from '../../lib/index.js';
import { signatureAuthenticator, staticCredentials, type StaticKey } from '../../lib/auth/index.js';
import { MemoryStore, type Store } from '../../lib/stores/index.js';
import { rateLimitThrottler } from '../../lib/throttle/index.js';
import { clientTokenGuard } from '../../lib/idempotency/index.js';
import { createEcsApi, type EcsApiOptions } from '../../examples/ecs/api.js';
import { expressRpc, type ExpressContext } from '../../examples/ecs/express-rpc.js';
import { MemoryInstanceRepository } from '../../examples/ecs/instances.js';
import { ECS_HOST_ID } from '../../examples/ecs/service.js';

/**
 * - `koa`: `envelope()` + `koaRpc(api)`, as the example serves Koa;
 * - `express`: the Express `envelope()` + the example's own `expressRpc` adapter, as the example
 *   serves Express;
 * - `express-rpc`: the Express `envelope()` + the package's `expressRpc(api)`.
 */
export type Framework = 'koa' | 'express' | 'express-rpc';
export const FRAMEWORKS: readonly Framework[] = ['koa', 'express', 'express-rpc'];

/** The keys the service accepts (the example's demo keys). */
export const KEY = { accessKeyId: 'testid', secret: 'testsecret' } as const;
export const DISABLED_KEY = { accessKeyId: 'disabledid', secret: 'disabledsecret' } as const;

/** Short, so that slow-client cases finish quickly. */
export const BODY_TIMEOUT_MS = 400;

/** A service under attack. */
export interface HostileService {
  readonly framework: Framework;
  readonly port: number;
  /** Server bugs the service reported (answered InternalError): the campaign expects none. */
  readonly reported: Error[];
  /** Resolves once the server holds no connection (bounded wait). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startHostileService}. */
export interface HostileServiceOptions {
  /** Nonce store (default: memory). */
  readonly nonces?: Store;
  /** ClientToken store (default: memory). */
  readonly clientTokens?: Store;
  /** Requests per second per AccessKeyId and Action (default: high enough never to throttle the corpus). */
  readonly throttlePerSecond?: number;
}

function steps(options: HostileServiceOptions): EcsApiOptions {
  const keys: Record<string, StaticKey> = Object.create(null);
  keys[KEY.accessKeyId] = { secret: KEY.secret };
  keys[DISABLED_KEY.accessKeyId] = { secret: DISABLED_KEY.secret, disabled: true };
  return {
    instances: new MemoryInstanceRepository(),
    authenticate: signatureAuthenticator({
      credentials: staticCredentials(keys),
      nonceStore: options.nonces ?? new MemoryStore({ maxEntries: 200_000 }),
    }),
    throttle: rateLimitThrottler({ limit: { points: options.throttlePerSecond ?? 1_000_000, durationSeconds: 1 } }),
    idempotency: clientTokenGuard({ store: options.clientTokens ?? new MemoryStore({ maxEntries: 100_000 }) }),
  };
}

function listener(framework: Framework, api: EcsApiOptions, reported: Error[]): http.RequestListener {
  const envelopeOptions = { hostId: ECS_HOST_ID, bodyTimeoutMs: BODY_TIMEOUT_MS };
  if (framework === 'koa') {
    const app = new Koa();
    app.use(envelope(envelopeOptions));
    app.use(koaRpc(createEcsApi<Koa.Context>(api)));
    app.on('error', (err: Error) => reported.push(err));
    return app.callback();
  }
  const app = express();
  app.disable('x-powered-by');
  app.use(expressEnvelope({ ...envelopeOptions, onError: (err) => reported.push(err) }));
  if (framework === 'express') app.use(expressRpc(createEcsApi<ExpressContext>(api)));
  else app.use(packageExpressRpc(createEcsApi<ExpressRpcContext>(api)));
  app.use(errorHandler());
  return app;
}

/**
 * Start the example API on `framework`, on 127.0.0.1 at a free port.
 *
 * @example
 * const service = await startHostileService('koa');
 * // ... attack 127.0.0.1:service.port ...
 * await service.close();
 */
export async function startHostileService(framework: Framework, options: HostileServiceOptions = {}): Promise<HostileService> {
  const reported: Error[] = [];
  // Requests Node's parser refuses get an envelope too, as the example's server does.
  const server = answerRefusedRequests(http.createServer(listener(framework, steps(options), reported)), { hostId: ECS_HOST_ID });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    framework,
    port,
    reported,
    idle: async () => {
      for (let i = 0; i < 200; i++) {
        const open = await new Promise<number>((resolve) => server.getConnections((_err, count) => resolve(count)));
        if (open === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
