/**
 * A small protected service run as a separate process (`node --import tsx test/support/two-instance-service.ts`)
 * so that tests can start two instances sharing one real Redis. Prints `LISTENING <port>` once ready.
 *
 * Environment: `REDIS_URL` (required: one URL, or a comma-separated list of Redis Cluster nodes with
 * `REDIS_CLUSTER=1`), `REDIS_LIBRARY` (`ioredis` | `node-redis`; a cluster uses ioredis `Cluster`),
 * `INSTANCE` (a name).
 *
 * Protection, all in Redis: signatureAuthenticator (nonces in a RedisStore, recorded in the same
 * script as the throttling count: `combineWithThrottle`), rateLimitThrottler, clientTokenGuard
 * (RedisStore). Actions:
 * - `CreateThing` (signed, idempotent): INCRs `two:runs:<ClientToken>` in Redis (the side-effect
 *   counter the tests read; a failed INCR is ServiceUnavailable), waits 100 ms, returns
 *   `{ ThingId, Instance, Run }`.
 * - `DescribeThings`, `Limited` (signed; Limited: 20 per 60 s), `Rate` (signed; 10 per 1 s).
 * - `Ping` (anonymous; throttling fail-closed), `OpenPing` (anonymous; throttling fail-open).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import Koa from 'koa';
import { createClient } from 'redis';
import {
  clientTokenGuard,
  createRpcApi,
  envelope,
  errors,
  koaRpc,
  p,
  rateLimitThrottler,
  RedisStore,
  signatureAuthenticator,
  staticCredentials,
  type RedisClientLike,
  type Throttler,
} from '../../lib/index.js';

export const TWO_INSTANCE_KEYS = { 'ak-1': { secret: 'secret-1' }, 'ak-2': { secret: 'secret-2' } } as const;
export const TWO_INSTANCE_VERSION = '2014-05-26';

async function main(): Promise<void> {
  const url = process.env.REDIS_URL;
  if (url === undefined) throw new Error('REDIS_URL is required');
  const instance = process.env.INSTANCE ?? String(process.pid);
  const library = process.env.REDIS_LIBRARY === 'node-redis' ? 'node-redis' : 'ioredis';

  let client: RedisClientLike;
  let incr: (key: string) => Promise<number>;
  if (process.env.REDIS_CLUSTER === '1') {
    const io = new Cluster(url.split(','), { scaleReads: 'master' });
    io.on('error', () => undefined);
    client = io;
    incr = async (key) => Number(await io.call('INCR', [key]));
  } else if (library === 'ioredis') {
    const io = new Redis(url);
    io.on('error', () => undefined); // reported through the steps' onError; keep stderr quiet
    client = io;
    incr = async (key) => Number(await io.call('INCR', [key]));
  } else {
    const nr = createClient({ url });
    nr.on('error', () => undefined);
    await nr.connect();
    client = nr as unknown as RedisClientLike;
    incr = async (key) => Number(await nr.sendCommand(['INCR', key]));
  }

  // Generous bounds: a busy CI machine must not turn a slow answer into a 503 in the tests that expect
  // none (a killed Redis fails at once anyway: the client is no longer connected).
  const store = new RedisStore({ client, prefix: 'two:', commandTimeoutMs: 2_000 });
  const problems = { throttle: 0, idempotency: 0 };
  const limits = { limit: { points: 100_000, durationSeconds: 60 }, actions: { Limited: { points: 20, durationSeconds: 60 }, Rate: { points: 10, durationSeconds: 1 } } };
  const closed = rateLimitThrottler({ ...limits, redis: client, keyPrefix: 'two:throttle', timeoutMs: 2_000, onError: () => void problems.throttle++ });
  const open = rateLimitThrottler({ ...limits, redis: client, keyPrefix: 'two:throttle', timeoutMs: 2_000, onStoreError: 'fail-open', onError: () => void problems.throttle++ });
  const throttle: Throttler = (request, key) => (key.action === 'OpenPing' ? open(request, key) : closed(request, key));

  const api = createRpcApi<Koa.Context>({
    version: TWO_INSTANCE_VERSION,
    authenticate: signatureAuthenticator({ credentials: staticCredentials(TWO_INSTANCE_KEYS), nonceStore: store, combineWithThrottle: closed }),
    throttle,
    idempotency: clientTokenGuard({ store, onError: () => void problems.idempotency++ }),
  });
  api.action('CreateThing', {
    idempotent: true,
    params: { Name: p.string({ maxLength: 32 }) },
    handler: async (_params, ctx) => {
      const token = String(ctx.state.openapi?.params.all.ClientToken ?? '');
      let run: number;
      try {
        run = await incr(`two:runs:${token}`);
      } catch (cause) {
        // The handler's own Redis write failed (Redis went away mid-request): a temporary failure.
        throw new errors.ServiceUnavailable({ cause });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { ThingId: `thing-${token}-${instance}`, Instance: instance, Run: run };
    },
  });
  for (const name of ['DescribeThings', 'Limited', 'Rate']) api.action(name, { handler: () => ({ Instance: instance }) });
  api.action('Ping', { anonymous: true, handler: () => ({ Instance: instance }) });
  api.action('OpenPing', { anonymous: true, handler: () => ({ Instance: instance }) });
  api.action('Problems', { anonymous: true, handler: () => ({ ...problems }) });

  const app = new Koa();
  app.silent = true;
  // Bugs (500) are printed, so that a test that sees one can show why.
  app.on('error', (err: Error) => {
    if ((err as { status?: number }).status === undefined || (err as { status?: number }).status === 500) process.stderr.write(`[${instance}] ${err.stack ?? String(err)}\n`);
  });
  app.use(envelope({ hostId: `instance-${instance}` }));
  app.use(koaRpc(api));
  const server = createServer(app.callback());
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`two-instance-service failed: ${String(error)}\n`);
    process.exit(1);
  });
}
