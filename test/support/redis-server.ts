/**
 * Test harness: a real `redis-server` (the Debian package) on a free loopback port, with helpers to
 * pause, kill and restart it for fault tests. Nothing is persisted (`--save '' --appendonly no`).
 *
 * If redis-server is missing, {@link requireRedisServer} fails loudly under `CI=true` and otherwise
 * prints a notice and skips the calling suite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** A running (or stopped, then restartable) redis-server. */
export interface RedisServer {
  /** The loopback port; unchanged by {@link RedisServer.restart}. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The current process id, or undefined while stopped. */
  readonly pid: number | undefined;
  /** SIGCONT (in case it is paused), SIGTERM, and wait for it to exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL). For a terminating signal, waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the server if it runs, then starts a fresh one (empty data) on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP: the process stays, its sockets stay open, nothing is answered. */
  pause(): void;
  /** SIGCONT after {@link RedisServer.pause}. */
  resume(): void;
}

const CANDIDATE_PATHS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'];
const TERMINATING = new Set<NodeJS.Signals>(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP']);
const running = new Set<ChildProcess>();

// mocha runs with --exit: make sure no redis-server outlives the test process.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

let cachedPath: string | null | undefined;

/**
 * The redis-server executable, or undefined if it is not installed. `REDIS_SERVER` overrides
 * the search.
 *
 * @example
 * ```ts
 * if (redisServerPath() === undefined) console.warn('no redis-server');
 * ```
 */
export function redisServerPath(): string | undefined {
  if (cachedPath === undefined) {
    const chosen = process.env.REDIS_SERVER;
    // REDIS_SERVER, when set, is the only candidate (also how the harness's own test fakes a
    // machine without Redis).
    const candidates = chosen !== undefined && chosen !== '' ? [chosen] : [...CANDIDATE_PATHS, 'redis-server'];
    cachedPath = candidates.find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0) ?? null;
  }
  return cachedPath ?? undefined;
}

/**
 * Call first thing in a suite's `before(function () { ... })`. Without redis-server: under
 * `CI=true` it throws (the suite fails loudly, CI must install it); elsewhere it prints a notice
 * and skips the suite, so a developer without Redis can still run the rest.
 *
 * @example
 * ```ts
 * before(async function () {
 *   requireRedisServer(this); // skips (with a printed reason) when redis-server is not installed
 *   server = await startRedisServer();
 * });
 * ```
 */
export function requireRedisServer(context: Mocha.Context): void {
  if (redisServerPath() !== undefined) return;
  const reason = 'redis-server is not installed (apt-get install -y redis-server, or set REDIS_SERVER)';
  if (process.env.CI === 'true') throw new Error(`${reason}; it is required under CI`);
  console.warn(`\n  !!! SKIPPING Redis suite "${context.test?.parent?.fullTitle() ?? ''}": ${reason}\n`);
  // Skipped, not passed: the reason above is printed and the suite counts as pending.
  context.skip();
}

/**
 * Starts redis-server on a free 127.0.0.1 port and waits until it answers PING.
 *
 * @example
 * ```ts
 * const server = await startRedisServer();
 * const client = new Redis(server.port, '127.0.0.1');
 * // ...
 * await server.stop();
 * ```
 */
export async function startRedisServer(): Promise<RedisServer> {
  const executable = redisServerPath();
  if (executable === undefined) throw new Error('redis-server is not installed');
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    try {
      const child = await launch(executable, port);
      return new RedisServerProcess(executable, port, child);
    } catch (error) {
      lastError = error; // most likely the port was taken between freePort() and bind: retry
    }
  }
  throw new Error(`could not start redis-server: ${String(lastError)}`);
}

/**
 * SIGSTOP the server (helper form of {@link RedisServer.pause}).
 *
 * @example
 * ```ts
 * pause(server); await assert.rejects(store.get('k')); resume(server);
 * ```
 */
export function pause(server: RedisServer): void {
  server.pause();
}

/**
 * SIGCONT the server (helper form of {@link RedisServer.resume}).
 *
 * @example
 * ```ts
 * resume(server);
 * ```
 */
export function resume(server: RedisServer): void {
  server.resume();
}

class RedisServerProcess implements RedisServer {
  readonly url: string;

  constructor(
    private readonly executable: string,
    readonly port: number,
    private child: ChildProcess | undefined,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  pause(): void {
    this.#signal('SIGSTOP');
  }

  resume(): void {
    this.#signal('SIGCONT');
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      this.child = undefined;
      return;
    }
    if (!TERMINATING.has(signal)) {
      this.#signal(signal);
      return;
    }
    if (signal !== 'SIGKILL') this.#signal('SIGCONT'); // a stopped process cannot act on SIGTERM
    const exited = waitForExit(child, 5000);
    this.#signal(signal);
    if (!(await exited)) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
    this.child = undefined;
  }

  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }

  async restart(): Promise<void> {
    await this.stop();
    let lastError: unknown;
    // The old socket may linger for a moment; redis-server sets SO_REUSEADDR, so a few tries do.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      try {
        this.child = await launch(this.executable, this.port);
        return;
      } catch (error) {
        lastError = error;
        await delay(100);
      }
    }
    throw new Error(`could not restart redis-server on port ${this.port}: ${String(lastError)}`);
  }

  #signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${this.port} is not running`);
    }
    child.kill(signal);
  }
}

/**
 * Starts one redis-server process on `port` (with `extra` arguments) and waits until it answers PING.
 * Killed when the test process exits.
 *
 * @example
 * const child = await launch(redisServerPath()!, await freePort(), ['--cluster-enabled', 'yes']);
 */
export async function launch(executable: string, port: number, extra: readonly string[] = []): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--dir', tmpdir(),
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...extra,
  ];
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 4000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => running.delete(child));

  // Bounded: up to 100 attempts, 50 ms apart (about 5 s plus connect time).
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await answersPing(port)) return child;
    await delay(50);
  }
  child.kill('SIGKILL');
  await waitForExit(child, 5000);
  throw new Error(`redis-server on port ${port} did not answer PING; output: ${output.trim()}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

/**
 * A loopback port that was free a moment ago.
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Resolves true once `child` has exited, or false after `timeoutMs`.
 *
 * @example
 * child.kill('SIGTERM'); await waitForExit(child, 5000);
 */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Resolves after `ms`.
 *
 * @example
 * await delay(50);
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
