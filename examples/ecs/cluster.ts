/**
 * Several processes of the ECS example on one port, sharing Redis: `npm run start:cluster`.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 WORKERS=4 npm run start:cluster
 *   REDIS_CLUSTER=redis://127.0.0.1:7000,redis://127.0.0.1:7001 npm run start:cluster   # a Redis Cluster
 *
 * `REDIS_CLUSTER` lists nodes of a Redis Cluster (any of them; the client discovers the rest) and
 * takes the place of `REDIS_URL`: the state then lives in the cluster (docs/scaling.md).
 *
 * The primary forks `WORKERS` (default 2) worker processes with node:cluster; the workers share the
 * port and each serves the whole API. Because nonces, throttling counters, ClientTokens and the
 * instances live in Redis, any worker can answer any request: an instance created through one is
 * described, started and deleted through another, a nonce used on one is refused by all, and the
 * throttling limit holds for the service as a whole. Without `REDIS_URL` each worker would be a
 * separate service with its own memory, so the cluster refuses to start.
 *
 * Every response carries `x-ecs-worker: <pid>`, to see which worker answered.
 */
import cluster, { type Worker } from 'node:cluster';
import type http from 'node:http';
import { startupBanner } from './banner.js';
import { loadConfig, type EcsConfig } from './config.js';
import { createEcsService, listen } from './service.js';
import { describeRedisUrl, openState } from './state.js';

/** The header naming the worker process that answered. */
export const WORKER_HEADER = 'x-ecs-worker';

/** How long workers get to finish their requests on SIGINT/SIGTERM before they are killed. */
const STOP_GRACE_MS = 5000;
/** A worker that dies is replaced, but no more than this many times a minute (a crash loop stops the cluster). */
const RESTARTS_PER_MINUTE = 5;

function fail(message: string): never {
  console.error(`ECS example cluster cannot start: ${message}`);
  process.exit(1);
}

/**
 * Adds the worker header to every response, errors included (the envelope replaces headers set
 * earlier when it renders an error, so it is added when the head is written).
 */
function tagResponses(listener: http.RequestListener, value: string): http.RequestListener {
  return (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithWorker(this: http.ServerResponse, ...args: Parameters<typeof writeHead>) {
      if (!this.headersSent) this.setHeader(WORKER_HEADER, value);
      return writeHead.apply(this, args);
    } as typeof writeHead;
    listener(req, res);
  };
}

async function primary(config: EcsConfig): Promise<void> {
  if (config.redisUrl === undefined) {
    fail(
      'REDIS_URL is not set. Workers keep nonces, throttling counters, ClientTokens and instances in Redis so that they ' +
        'behave as one service; without it each would have its own memory. Start Redis and run e.g. ' +
        'REDIS_URL=redis://127.0.0.1:6379 npm run start:cluster, REDIS_CLUSTER=redis://127.0.0.1:7000,redis://127.0.0.1:7001 ' +
        'for a Redis Cluster (or use npm start for one process).',
    );
  }
  // Check Redis once here: a clear message beats N workers failing the same way.
  await openState(config.redisUrl, { connectTimeoutMs: 5000 }).then(
    (state) => state.close(),
    (err: Error) => fail(err.message),
  );

  let ready = 0;
  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => cluster.fork();

  cluster.on('listening', (_worker, address) => {
    ready++;
    if (ready === config.workers) {
      const host = address.address === null || address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
      const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      console.log(startupBanner(config, endpoint, config.workers));
      console.log(`  Workers: ${Object.values(cluster.workers ?? {}).map((w) => w?.process.pid).join(', ')} (header ${WORKER_HEADER} names the one that answered); Redis ${describeRedisUrl(config.redisUrl ?? '')}`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
    if (ready < config.workers || restarts.length >= RESTARTS_PER_MINUTE) {
      console.error(`worker ${worker.process.pid} exited (${signal ?? code}); stopping the cluster`);
      stop(1);
      return;
    }
    restarts.push(now);
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement`);
    fork();
  });

  const stop = (exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const killer = setTimeout(() => {
      for (const worker of workers) worker.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, STOP_GRACE_MS);
    killer.unref();
    let left = workers.length;
    if (left === 0) process.exit(exitCode);
    for (const worker of workers) {
      worker.once('exit', () => {
        if (--left === 0) process.exit(exitCode);
      });
      worker.process.kill('SIGTERM');
    }
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  for (let i = 0; i < config.workers; i++) fork();
}

async function worker(config: EcsConfig): Promise<void> {
  const service = await createEcsService(config);
  const server = await listen(tagResponses(service.listener, String(process.pid)), config.host, config.port);
  const stop = (): void => {
    void server
      .close()
      .then(() => service.close())
      .finally(() => process.exit(0));
  };
  // Ctrl-C reaches every process of the group; the primary also forwards SIGTERM.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `REDIS_CLUSTER` (a comma-separated list of node URLs) becomes the state's Redis; workers inherit it. */
function useRedisCluster(env: NodeJS.ProcessEnv): void {
  const list = env.REDIS_CLUSTER?.trim();
  if (list === undefined || list === '') return;
  const urls = list.split(',').map((url) => url.trim());
  if (urls.some((url) => !/^rediss?:\/\/[^,\s]+$/.test(url))) {
    fail('REDIS_CLUSTER must list node URLs separated by commas, e.g. redis://127.0.0.1:7000,redis://127.0.0.1:7001');
  }
  if (env.REDIS_URL !== undefined && env.REDIS_URL !== '' && env.REDIS_URL !== urls.join(',')) fail('set REDIS_URL or REDIS_CLUSTER, not both');
  // A comma makes openState() connect a Cluster client (one node is enough to discover the rest).
  env.REDIS_URL = urls.length === 1 ? `${urls[0]},` : urls.join(',');
}

let config: EcsConfig;
try {
  useRedisCluster(process.env);
  config = loadConfig();
} catch (err) {
  fail((err as Error).message);
}
(cluster.isPrimary ? primary(config) : worker(config)).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
