/**
 * Duck-typed access to an `ioredis` (v5+) or `redis` (node-redis v4+) client, without importing
 * either package: the few members this project uses, a readiness model shared by both, and one
 * `error` listener per client so that a lost connection never crashes the process.
 */

type Listener = (...args: unknown[]) => void;

/** The parts of an `ioredis` client (`Redis` or `Cluster`, v5 or later) that the store uses. */
export interface IoRedisLikeClient {
  /** ioredis connection status: `wait`, `connecting`, `connect`, `ready`, `reconnecting`, `close`, `end`. */
  readonly status: string;
  call(command: string, args: string[]): PromiseLike<unknown>;
  /** Used to start a `lazyConnect` client (status `wait`) before its first command. */
  connect?(): PromiseLike<unknown>;
  on(event: string, listener: Listener): unknown;
}

/** The parts of a `redis` (node-redis v4, v5 or v6) client that the store uses. */
export interface NodeRedisLikeClient {
  /** True once `connect()` was called and until `quit()`/`close()`/`destroy()`. */
  readonly isOpen: boolean;
  /** True while connected and ready to run commands. */
  readonly isReady: boolean;
  /** `options` (v5+): the store passes {@link NODE_REDIS_COMMAND_OPTIONS}; v4 ignores them. */
  sendCommand(args: string[], options?: NodeRedisCommandOptions): PromiseLike<unknown>;
  on(event: string, listener: Listener): unknown;
}

/** The per-command options of node-redis (v5+) that the store sets. */
export interface NodeRedisCommandOptions {
  /** node-redis's own per-command timeout in ms; `0` arms none. */
  readonly timeout?: number;
}

/**
 * node-redis v5+ arms an `AbortSignal.timeout` for every command (its `commandOptions.timeout`,
 * 5 000 ms by default): a timer, a weakly held signal and two event-listener calls per command,
 * about 40 % of the client's CPU per command. Every store operation already runs under its own
 * deadline (`commandTimeoutMs`, the throttler's `timeoutMs`), kept with one timer per store, so
 * the store sends its commands without node-redis's (docs/operations.md#redis-client-settings).
 */
const NODE_REDIS_COMMAND_OPTIONS: NodeRedisCommandOptions = Object.freeze({ timeout: 0 });

/** The parts of a node-redis cluster client (`createCluster`, v5 or v6) that the store uses. */
export interface NodeRedisClusterLikeClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** Its shards: how a cluster client is told apart from a single one. */
  readonly masters: readonly unknown[];
  /** Routed by `firstKey` to the master of its slot. */
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[], options?: NodeRedisCommandOptions): PromiseLike<unknown>;
  on(event: string, listener: Listener): unknown;
}

/** Any supported Redis client. */
export type RedisClientLike = IoRedisLikeClient | NodeRedisLikeClient | NodeRedisClusterLikeClient;

/**
 * `ready`: send now. `starting`: first connection under way (or not yet started, for an ioredis
 * `lazyConnect` client); wait for `ready` (bounded by the caller's deadline), sending nothing
 * meanwhile. `lost`: the connection was lost, or the client is closed; fail fast instead of
 * queueing a command that would run at some unknown later time.
 */
export type ConnectionState = 'ready' | 'starting' | 'lost';

/** What the store needs from a client, whichever library it comes from. */
export interface RedisConnection {
  readonly library: 'ioredis' | 'node-redis';
  state(): ConnectionState;
  /**
   * Resolves `true` at the client's next `ready` event, or `false` after `timeoutMs`; either way
   * nothing of the wait is left behind. Starts the connection of a lazy client.
   */
  waitForReady(timeoutMs: number): Promise<boolean>;
  send(command: string, args: string[]): Promise<unknown>;
}

const connections = new WeakMap<object, RedisConnection>();

/**
 * The connection adapter for `client`, created once per client and shared by every store on it.
 * Throws a `TypeError` for anything that is neither an ioredis nor a node-redis client.
 *
 * @example
 * ```ts
 * const connection = redisConnectionFor(new Redis());
 * if (connection.state() === 'ready') await connection.send('PING', []);
 * ```
 */
export function redisConnectionFor(client: RedisClientLike): RedisConnection {
  if (typeof client !== 'object' || client === null) {
    throw new TypeError('RedisStore needs an ioredis or node-redis client object');
  }
  let connection = connections.get(client);
  if (connection === undefined) {
    if (isIoRedis(client)) connection = new IoRedisConnection(client);
    else if (isNodeRedisCluster(client)) connection = new NodeRedisClusterConnection(client);
    else if (isNodeRedis(client)) connection = new NodeRedisConnection(client);
    else {
      throw new TypeError(
        'RedisStore needs an ioredis client or cluster (with call() and status) or a node-redis client or cluster ' +
          '(with sendCommand() and isReady)',
      );
    }
    connections.set(client, connection);
  }
  return connection;
}

function isIoRedis(client: object): client is IoRedisLikeClient {
  const c = client as Partial<Record<string, unknown>>;
  return typeof c.call === 'function' && typeof c.status === 'string' && typeof c.on === 'function';
}

function isNodeRedisCluster(client: object): client is NodeRedisClusterLikeClient {
  return isNodeRedis(client) && Array.isArray((client as { masters?: unknown }).masters);
}

function isNodeRedis(client: object): client is NodeRedisLikeClient {
  const c = client as Partial<Record<string, unknown>>;
  return (
    typeof c.sendCommand === 'function' &&
    typeof c.isReady === 'boolean' &&
    typeof c.isOpen === 'boolean' &&
    typeof c.on === 'function'
  );
}

abstract class BaseConnection {
  /** Callbacks of operations waiting for 'ready'; each removes itself when its time is up. */
  private readonly waiters = new Set<() => void>();

  protected constructor(emitter: Pick<IoRedisLikeClient, 'on'>, readyEvent = 'ready') {
    // A client that emits 'error' with no listener crashes the process (node-redis) or prints
    // "Unhandled error event" (ioredis). Failures reach callers as StoreUnavailableError instead;
    // applications should still add their own listener to log them.
    emitter.on('error', ignore);
    emitter.on(readyEvent, () => {
      const waiters = [...this.waiters];
      this.waiters.clear();
      for (const wake of waiters) wake();
    });
  }

  waitForReady(timeoutMs: number): Promise<boolean> {
    this.startConnecting();
    return new Promise<boolean>((resolve) => {
      const finish = (ready: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(ready);
      };
      const wake = (): void => finish(true);
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      this.waiters.add(wake);
    });
  }

  /** Starts a client that connects only on demand. */
  protected startConnecting(): void {}
}

class IoRedisConnection extends BaseConnection implements RedisConnection {
  readonly library = 'ioredis';

  constructor(private readonly client: IoRedisLikeClient) {
    super(client);
  }

  state(): ConnectionState {
    switch (this.client.status) {
      case 'ready':
        return 'ready';
      case 'wait':
      case 'connecting':
      case 'connect':
        return 'starting';
      default:
        // 'reconnecting', 'close', 'end', 'disconnecting' (Cluster) and anything unknown.
        return 'lost';
    }
  }

  protected override startConnecting(): void {
    if (this.client.status === 'wait' && typeof this.client.connect === 'function') {
      // Connect explicitly rather than through the offline queue (which may be disabled).
      Promise.resolve(this.client.connect()).then(undefined, ignore);
    }
  }

  send(command: string, args: string[]): Promise<unknown> {
    return Promise.resolve(this.client.call(command, args));
  }
}

class NodeRedisConnection extends BaseConnection implements RedisConnection {
  readonly library = 'node-redis';
  /** Set when the connection fails or drops, cleared by the next 'ready'. */
  private lost = false;

  constructor(private readonly client: NodeRedisLikeClient) {
    super(client);
    // state() consults isReady first, so an 'error' while still ready changes nothing.
    const lost = (): void => {
      this.lost = true;
    };
    client.on('error', lost);
    client.on('reconnecting', lost);
    client.on('end', lost);
    client.on('ready', () => {
      this.lost = false;
    });
  }

  state(): ConnectionState {
    if (!this.client.isOpen) return 'lost';
    if (this.client.isReady) return 'ready';
    return this.lost ? 'lost' : 'starting';
  }

  send(command: string, args: string[]): Promise<unknown> {
    return Promise.resolve(this.client.sendCommand([command, ...args], NODE_REDIS_COMMAND_OPTIONS));
  }
}

/**
 * A node-redis cluster: each command goes to the master of its first key's slot (scripts: their
 * first key; every key of one script shares a slot by its hash tag). It signals 'connect' once its
 * slots are known; while closed it is 'lost'.
 */
class NodeRedisClusterConnection extends BaseConnection implements RedisConnection {
  readonly library = 'node-redis';

  constructor(private readonly client: NodeRedisClusterLikeClient) {
    super(client, 'connect');
  }

  state(): ConnectionState {
    if (!this.client.isOpen) return 'lost';
    return this.client.isReady ? 'ready' : 'starting';
  }

  send(command: string, args: string[]): Promise<unknown> {
    const scripted = command === 'EVALSHA' || command === 'EVAL';
    const firstKey = scripted ? (Number(args[1]) > 0 ? args[2] : undefined) : args[0];
    return Promise.resolve(this.client.sendCommand(firstKey, false, [command, ...args], NODE_REDIS_COMMAND_OPTIONS));
  }
}

function ignore(): void {}
