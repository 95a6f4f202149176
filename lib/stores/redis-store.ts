import type { SetIfAbsentOptions, Store } from './store.js';
import { assertStoreString, assertTtl } from './validate-arguments.js';
import { redisConnectionFor, type RedisClientLike, type RedisConnection } from './redis-connection.js';
import { compareAndDeleteScript, compareAndSetScript, type LuaScript } from './redis-scripts.js';
import { Deadlines } from './deadlines.js';
import { evalScript, integerReply, optionalString, runRedisOperation, type Send } from './redis-operation.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected `ioredis` client (v5+, `Redis` or `Cluster`) or a `redis` (node-redis v4-v6)
   * client or cluster (`createCluster`) on which `connect()` was called. Detected by shape; neither package is imported.
   * The store never closes it. Add your own `'error'` listener to log connection problems (the
   * store adds a silent one so that a lost connection can never crash the process).
   */
  client: RedisClientLike;
  /** Prepended to every key (default `'aom:'`). Give each application or environment its own. */
  prefix?: string;
  /**
   * The most time one store operation may take, in milliseconds (default 1000), including the
   * wait for a first connection. A slower answer rejects with a {@link StoreUnavailableError}.
   */
  commandTimeoutMs?: number;
}

/**
 * A {@link Store} in Redis, shared by every process and host that uses the same Redis and prefix.
 *
 * - `setIfAbsent` is `SET key value PX ttl NX`; with `{ uniqueValue: true }` a refused SET is
 *   followed by a `GET`, and an entry holding exactly the caller's value (its own SET, resent by
 *   ioredis after the reply was lost) answers `true`. `compareAndSet`/`compareAndDelete` are Lua scripts
 *   (EVALSHA, falling back to EVAL after `NOSCRIPT`, e.g. after a Redis restart).
 * - Every operation is bounded by `commandTimeoutMs` (one timer per store; with node-redis the
 *   store's commands are sent without node-redis's own per-command timeout, docs/operations.md#redis-client-settings). A slow, paused or unreachable Redis rejects
 *   with a {@link StoreUnavailableError} (`reason` `'timeout'`, `'not-connected'` or
 *   `'command-failed'`); the store never hangs and never leaves an unhandled rejection.
 * - While the client is reconnecting after a lost connection, operations fail fast with
 *   `'not-connected'` and nothing is queued. While it makes its first connection, operations wait
 *   for it (within the timeout). Recovery is the client's own reconnection: the store keeps no
 *   connection state of its own, so a failed operation changes nothing for the next one.
 * - A command already sent when its operation timed out may still run later (e.g. once a paused
 *   Redis resumes, or when ioredis resends unfulfilled commands after reconnecting). Use
 *   owner-specific values and the compare-and-* operations so that such a late write is harmless.
 * - A server that is connected but hung (paused, overloaded) keeps every command it was sent in the
 *   client's reply queue until the connection drops. The store answers within its timeout anyway;
 *   to bound that queue, let the client detect the hang and reconnect (node-redis `pingInterval`,
 *   TCP keep-alive) and size `commandTimeoutMs` for your latency budget.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * const client = new Redis({ host: '127.0.0.1', port: 6379 });
 * client.on('error', (err) => logger.warn({ err }, 'redis'));
 * const store = new RedisStore({ client, prefix: 'my-service:', commandTimeoutMs: 500 });
 * await store.setIfAbsent('nonce:abc', '1', 1_860_000);
 *
 * // or node-redis
 * import { createClient } from 'redis';
 * const nodeClient = createClient({ url: 'redis://127.0.0.1:6379' });
 * nodeClient.on('error', (err) => logger.warn({ err }, 'redis'));
 * await nodeClient.connect();
 * const store2 = new RedisStore({ client: nodeClient });
 * ```
 */
export class RedisStore implements Store {
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  private readonly redisConnection: RedisConnection;
  private readonly deadlines: Deadlines;

  constructor(options: RedisStoreOptions) {
    const { client, prefix = 'aom:', commandTimeoutMs = 1000 } = options;
    assertStoreString('prefix', prefix);
    if (typeof commandTimeoutMs !== 'number' || !Number.isFinite(commandTimeoutMs) || commandTimeoutMs <= 0) {
      throw new RangeError(`RedisStore commandTimeoutMs must be a positive number, got ${String(commandTimeoutMs)}`);
    }
    this.prefix = prefix;
    this.commandTimeoutMs = commandTimeoutMs;
    this.redisConnection = redisConnectionFor(client);
    this.deadlines = new Deadlines(commandTimeoutMs);
  }

  /** Which client library was detected. */
  get clientLibrary(): 'ioredis' | 'node-redis' {
    return this.redisConnection.library;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number, options?: SetIfAbsentOptions): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    const fullKey = this.prefix + key;
    const uniqueValue = options?.uniqueValue === true;
    return this.run('setIfAbsent', async (send) => {
      if (isOk(await send('SET', [fullKey, value, 'PX', String(ttlMs), 'NX']))) return true;
      // Refused. With a value unique to this call, an entry holding it was written by this call:
      // the SET ran once already and its reply was lost (ioredis resent it). Only the refused
      // path pays this GET, so a fresh claim stays one SET; no atomic script is needed because
      // nobody else writes this value, so whatever the GET sees of it is ours.
      return uniqueValue && optionalString(await send('GET', [fullKey])) === value;
    });
  }

  async get(key: string): Promise<string | undefined> {
    assertStoreString('key', key);
    return this.run('get', async (send) => optionalString(await send('GET', [this.prefix + key])));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    assertStoreString('key', key);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    await this.run('set', async (send) => {
      if (!isOk(await send('SET', [this.prefix + key, value, 'PX', String(ttlMs)]))) {
        throw new TypeError('Unexpected reply to SET');
      }
    });
  }

  async delete(key: string): Promise<void> {
    assertStoreString('key', key);
    await this.run('delete', (send) => send('DEL', [this.prefix + key]));
  }

  async compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('expected value', expected);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    return this.run('compareAndSet', async (send) =>
      integerReply(await evalScript(send, compareAndSetScript, [this.prefix + key], [expected, value, String(ttlMs)])) === 1,
    );
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('expected value', expected);
    return this.run('compareAndDelete', async (send) =>
      integerReply(await evalScript(send, compareAndDeleteScript, [this.prefix + key], [expected])) === 1,
    );
  }

  /** Runs `body` under `commandTimeoutMs` (see {@link runRedisOperation}). */
  private run<T>(operation: string, body: (send: Send) => Promise<T>): Promise<T> {
    return runRedisOperation(this.redisConnection, operation, this.deadlines, body);
  }

  /**
   * Runs `script` on `keys` (complete keys: the store's prefix is not added) under
   * `commandTimeoutMs`, with the store's failure model. In a Redis Cluster every key must hash to
   * the same slot (share a `{hash tag}`). Used to record a nonce and count the request in one round
   * trip; the reply is returned as Redis gave it.
   *
   * @example
   * const reply = await store.evalScript('claimAndCount', script, [nonceKey, counterKey], args);
   */
  evalScript(operation: string, script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    for (const key of keys) assertStoreString('key', key);
    return this.run(operation, (send) => evalScript(send, script, keys, args));
  }

  /** The connection adapter of the client (shared by every store and counter on the same client). */
  get connection(): RedisConnection {
    return this.redisConnection;
  }
}

/** `OK` → true, nil (NX condition not met) → false. */
function isOk(reply: unknown): boolean {
  const text = optionalString(reply);
  if (text === undefined) return false;
  if (text === 'OK') return true;
  throw new TypeError('Unexpected Redis reply to SET');
}

