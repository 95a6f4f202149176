/**
 * Test harness: a real Redis Cluster of three masters, each with one replica (six `redis-server
 * --cluster-enabled yes` processes on free loopback ports, joined by `redis-cli --cluster create`),
 * a manual failover (`CLUSTER FAILOVER` on a replica), and a crash (SIGKILL of a master, promotion
 * of its replica by the cluster itself, restart of the killed node as a replica) for tests under load.
 *
 * Without redis-server or redis-cli (Debian: `redis-server` depends on `redis-tools`),
 * {@link requireRedisCluster} fails under `CI=true` and otherwise prints a notice and skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { delay, freePort, launch, redisServerPath, waitForExit } from './redis-server.js';

/** A running cluster. */
export interface RedisCluster {
  /** Ports of the six nodes. */
  readonly ports: readonly number[];
  /** `redis://127.0.0.1:<port>` of every node, as a start list for clients. */
  readonly urls: readonly string[];
  /** The nodes as ioredis `Cluster` start nodes. */
  readonly startupNodes: ReadonlyArray<{ host: string; port: number }>;
  /** Ports of the current masters. */
  masters(): Promise<number[]>;
  /**
   * `CLUSTER FAILOVER` on the replica of the master of `port` (default: the first master), then
   * waits (at most 30 s) until the replica is a master and every node reports `cluster_state:ok`.
   * Resolves with the new master's port.
   */
  failover(port?: number): Promise<number>;
  /** Port of the master that serves `key`'s slot (by `CLUSTER KEYSLOT` and `CLUSTER SLOTS`). */
  masterOf(key: string): Promise<number>;
  /**
   * SIGKILL of the node on `port` (a crash: nothing is flushed, nothing is told to the others);
   * resolves once the process is gone. Its replica is promoted by the cluster itself after
   * `cluster-node-timeout`: wait for it with {@link RedisCluster.promoted}.
   */
  kill(port: number): Promise<void>;
  /**
   * Waits (at most 60 s) until the replica of the killed master `port` is a master and every
   * running node reports `cluster_state:ok`. Resolves with the new master's port.
   */
  promoted(port: number): Promise<number>;
  /**
   * Starts the killed node on `port` again (same node id and configuration file, empty data: no
   * persistence) and waits (at most 60 s) until it has rejoined as a replica and every node reports
   * `cluster_state:ok`.
   */
  restart(port: number): Promise<void>;
  /** Stops every node and removes their files. */
  stop(): Promise<void>;
}

const CLI_CANDIDATES = ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli', 'redis-cli'];
let cachedCli: string | null | undefined;

/**
 * The redis-cli executable, or undefined. `REDIS_CLI` overrides the search.
 *
 * @example
 * if (redisCliPath() === undefined) console.warn('no redis-cli');
 */
export function redisCliPath(): string | undefined {
  if (cachedCli === undefined) {
    const chosen = process.env.REDIS_CLI;
    const candidates = chosen !== undefined && chosen !== '' ? [chosen] : CLI_CANDIDATES;
    cachedCli = candidates.find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0) ?? null;
  }
  return cachedCli ?? undefined;
}

/**
 * First thing in a cluster suite's `before`: without redis-server and redis-cli, throws under
 * `CI=true` and otherwise prints a notice and skips the suite.
 *
 * @example
 * before(async function () { requireRedisCluster(this); cluster = await startRedisCluster(); });
 */
export function requireRedisCluster(context: Mocha.Context): void {
  if (redisServerPath() !== undefined && redisCliPath() !== undefined) return;
  const reason = 'redis-server and redis-cli are needed for the Redis Cluster tests (apt-get install -y redis-server, which brings redis-tools)';
  if (process.env.CI === 'true') throw new Error(`${reason}; they are required under CI`);
  console.warn(`\n  !!! SKIPPING Redis Cluster suite "${context.test?.parent?.fullTitle() ?? ''}": ${reason}\n`);
  context.skip();
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /**
   * `cluster-node-timeout` in ms (default 3000): how long a master may be unreachable before its
   * replica is promoted. Crash tests lower it to fail over sooner.
   */
  readonly nodeTimeoutMs?: number;
}

/**
 * Starts six nodes, creates the cluster (three masters, one replica each) and waits until it is
 * ready (bounded: about 60 s).
 *
 * @example
 * const cluster = await startRedisCluster({ nodeTimeoutMs: 1500 });
 * const client = new Cluster(cluster.startupNodes);
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const server = redisServerPath();
  const cli = redisCliPath();
  if (server === undefined || cli === undefined) throw new Error('redis-server and redis-cli are required');
  const dir = join(tmpdir(), `aom-cluster-${randomUUID()}`);
  mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const argsByPort = new Map<number, string[]>();
  try {
    for (let i = 0; i < 6; i++) {
      const [port, bus] = [await freePort(), await freePort()];
      const args = [
        '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-port', String(bus),
        '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 3000),
        // A replica syncs at once (the default waits 5 s for more replicas). A replica that never
        // synced is never promoted: settled() waits for every replica's link.
        '--repl-diskless-sync-delay', '0',
        '--dir', dir,
      ];
      argsByPort.set(port, args);
      children.push(await launch(server, port, args));
      ports.push(port);
    }
    await run(cli, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes']);
    const cluster = new RunningCluster(server, ports, children, argsByPort, dir);
    await cluster.settled('the cluster to form', (nodes) => nodes.filter((n) => n.role === 'master').length === 3 && nodes.filter((n) => n.role === 'slave').length === 3);
    return cluster;
  } catch (error) {
    await Promise.all(children.map(async (child) => {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** One line of `CLUSTER NODES`. */
interface NodeLine {
  readonly id: string;
  readonly port: number;
  readonly role: 'master' | 'slave';
  readonly masterId: string;
  readonly failing: boolean;
}

class RunningCluster implements RedisCluster {
  readonly urls: string[];
  readonly startupNodes: Array<{ host: string; port: number }>;
  /** Node ids of killed masters, by port: who their replica was. */
  readonly #killed = new Map<number, { id: string; replicaId: string }>();

  constructor(
    private readonly executable: string,
    readonly ports: readonly number[],
    private readonly children: ChildProcess[],
    private readonly argsByPort: ReadonlyMap<number, readonly string[]>,
    private readonly dir: string,
  ) {
    this.urls = ports.map((port) => `redis://127.0.0.1:${port}`);
    this.startupNodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  async masters(): Promise<number[]> {
    return (await this.#nodes(this.#anyRunningPort())).filter((n) => n.role === 'master' && !n.failing).map((n) => n.port);
  }

  async masterOf(key: string): Promise<number> {
    const port = this.#anyRunningPort();
    const slot = Number(await command(port, ['CLUSTER', 'KEYSLOT', key]));
    const ranges = (await command(port, ['CLUSTER', 'SLOTS'])) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (range === undefined) throw new Error(`no master serves slot ${slot}`);
    return Number(range[2][1]);
  }

  async kill(port: number): Promise<void> {
    const index = this.ports.indexOf(port);
    const child = this.children[index];
    if (child === undefined || !isRunning(child)) throw new Error(`no running node on port ${port}`);
    const nodes = await this.#nodes(port);
    const self = nodes.find((n) => n.port === port);
    const replica = nodes.find((n) => n.role === 'slave' && n.masterId === self?.id && !n.failing);
    if (self === undefined || self.role !== 'master' || replica === undefined) throw new Error(`the node on port ${port} is not a master with a replica`);
    this.#killed.set(port, { id: self.id, replicaId: replica.id });
    child.kill('SIGKILL');
    if (!(await waitForExit(child, 5000))) throw new Error(`the node on port ${port} did not die`);
  }

  async promoted(port: number): Promise<number> {
    const killed = this.#killed.get(port);
    if (killed === undefined) throw new Error(`no master was killed on port ${port}`);
    let newMaster = 0;
    await this.settled(`the promotion of the replica of ${port}`, (nodes) => {
      const replica = nodes.find((n) => n.id === killed.replicaId);
      newMaster = replica?.port ?? 0;
      return replica?.role === 'master' && !replica.failing;
    });
    return newMaster;
  }

  async restart(port: number): Promise<void> {
    const index = this.ports.indexOf(port);
    const killed = this.#killed.get(port);
    const args = this.argsByPort.get(port);
    if (index === -1 || killed === undefined || args === undefined || isRunning(this.children[index] as ChildProcess)) throw new Error(`no killed node on port ${port}`);
    let lastError: unknown;
    // The old socket may linger for a moment; a few tries do (redis-server sets SO_REUSEADDR).
    for (let attempt = 0; attempt < 20 && !isRunning(this.children[index] as ChildProcess); attempt++) {
      try {
        this.children[index] = await launch(this.executable, port, args);
      } catch (error) {
        lastError = error;
        await delay(100);
      }
    }
    if (!isRunning(this.children[index] as ChildProcess)) throw new Error(`could not restart the node on port ${port}: ${String(lastError)}`);
    this.#killed.delete(port);
    await this.settled(`the node on ${port} to rejoin as a replica`, (nodes) => nodes.some((n) => n.id === killed.id && n.role === 'slave'));
  }

  async failover(port?: number): Promise<number> {
    const nodes = await this.#nodes(this.#anyRunningPort());
    const master = nodes.find((n) => n.role === 'master' && (port === undefined || n.port === port));
    const replica = nodes.find((n) => n.role === 'slave' && n.masterId === master?.id);
    if (master === undefined || replica === undefined) throw new Error(`no replica of the master on port ${String(port)}`);
    await command(replica.port, ['CLUSTER', 'FAILOVER']);
    await this.settled('the failover', (after) => after.some((n) => n.id === replica.id && n.role === 'master') && after.some((n) => n.id === master.id && n.role === 'slave'));
    return replica.port;
  }

  /**
   * Waits (at most 60 s) until every running node says `cluster_state:ok`, sees no running node
   * failing (a killed one is failing for good) and agrees that `done`, and every running replica's
   * link to its master is up (it has synced).
   */
  async settled(what: string, done: (nodes: NodeLine[]) => boolean): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      let ok = true;
      const running = this.ports.filter((_, i) => isRunning(this.children[i] as ChildProcess));
      const dead = new Set([...this.#killed.values()].map((k) => k.id));
      for (const port of running) {
        const info = String(await command(port, ['CLUSTER', 'INFO']).catch(() => ''));
        const nodes = (await this.#nodes(port).catch(() => [])).filter((n) => !dead.has(n.id));
        const replication = String(await command(port, ['INFO', 'replication']).catch(() => ''));
        const linked = !replication.includes('role:slave') || replication.includes('master_link_status:up');
        if (!info.includes('cluster_state:ok') || nodes.some((n) => n.failing) || !done(nodes) || !linked) {
          ok = false;
          break;
        }
      }
      if (ok) return;
      await delay(200);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (!isRunning(child)) return;
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitForExit(child, 5000);
        }
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  #anyRunningPort(): number {
    const port = this.ports.find((_, i) => isRunning(this.children[i] as ChildProcess));
    if (port === undefined) throw new Error('no node of the cluster is running');
    return port;
  }

  async #nodes(port: number): Promise<NodeLine[]> {
    const text = String(await command(port, ['CLUSTER', 'NODES']));
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [id = '', address = '', flags = '', masterId = ''] = line.split(' ');
        const flagList = flags.split(',');
        return {
          id,
          port: Number(/:(\d+)@/.exec(address)?.[1]),
          role: flagList.includes('master') ? 'master' : 'slave',
          masterId,
          failing: flagList.includes('fail') || flagList.includes('fail?'),
        };
      });
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** One command to one node, on a short-lived connection (bounded by 5 s). */
async function command(port: number, args: string[]): Promise<unknown> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, commandTimeout: 5000, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(args[0] as string, args.slice(1));
  } finally {
    client.disconnect();
  }
}

/** Runs a program (bounded by 60 s); rejects with its output when it fails. */
function run(executable: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < 8000) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${executable} ${args.join(' ')} failed (${String(code)}): ${output.trim()}`));
    });
  });
}
