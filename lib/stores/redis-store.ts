import type { Store } from './store.js';
import { StoreUnavailableError, isStoreUnavailableError } from './store-unavailable-error.js';
import { assertStoreString, assertTtl } from './validate-arguments.js';
import { redisConnectionFor, type RedisClientLike, type RedisConnection } from './redis-connection.js';
import { compareAndDeleteScript, compareAndSetScript, type LuaScript } from './redis-scripts.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected `ioredis` client (v5+, `Redis` or `Cluster`) or a `redis` (node-redis v4-v6)
   * client on which `connect()` was called. Detected by shape; neither package is imported.
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

type Send = (command: string, args: string[]) => Promise<unknown>;

/**
 * A {@link Store} in Redis, shared by every process and host that uses the same Redis and prefix.
 *
 * - `setIfAbsent` is `SET key value PX ttl NX`; `compareAndSet`/`compareAndDelete` are Lua scripts
 *   (EVALSHA, falling back to EVAL after `NOSCRIPT`, e.g. after a Redis restart).
 * - Every operation is bounded by `commandTimeoutMs`. A slow, paused or unreachable Redis rejects
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
  readonly #connection: RedisConnection;

  constructor(options: RedisStoreOptions) {
    const { client, prefix = 'aom:', commandTimeoutMs = 1000 } = options;
    assertStoreString('prefix', prefix);
    if (typeof commandTimeoutMs !== 'number' || !Number.isFinite(commandTimeoutMs) || commandTimeoutMs <= 0) {
      throw new RangeError(`RedisStore commandTimeoutMs must be a positive number, got ${String(commandTimeoutMs)}`);
    }
    this.prefix = prefix;
    this.commandTimeoutMs = commandTimeoutMs;
    this.#connection = redisConnectionFor(client);
  }

  /** Which client library was detected. */
  get clientLibrary(): 'ioredis' | 'node-redis' {
    return this.#connection.library;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    return this.#run('setIfAbsent', async (send) =>
      isOk(await send('SET', [this.prefix + key, value, 'PX', String(ttlMs), 'NX'])),
    );
  }

  async get(key: string): Promise<string | undefined> {
    assertStoreString('key', key);
    return this.#run('get', async (send) => optionalString(await send('GET', [this.prefix + key])));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    assertStoreString('key', key);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    await this.#run('set', async (send) => {
      if (!isOk(await send('SET', [this.prefix + key, value, 'PX', String(ttlMs)]))) {
        throw new TypeError('Unexpected reply to SET');
      }
    });
  }

  async delete(key: string): Promise<void> {
    assertStoreString('key', key);
    await this.#run('delete', (send) => send('DEL', [this.prefix + key]));
  }

  async compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('expected value', expected);
    assertStoreString('value', value);
    assertTtl(ttlMs);
    return this.#run('compareAndSet', async (send) =>
      integer(await evalScript(send, compareAndSetScript, this.prefix + key, [expected, value, String(ttlMs)])) === 1,
    );
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    assertStoreString('key', key);
    assertStoreString('expected value', expected);
    return this.#run('compareAndDelete', async (send) =>
      integer(await evalScript(send, compareAndDeleteScript, this.prefix + key, [expected])) === 1,
    );
  }

  /**
   * Runs `body` under the operation deadline. `send` refuses to send once the deadline has passed
   * or while the connection is lost, and waits (within the deadline) during a first connection.
   * Every failure becomes a StoreUnavailableError; a late settlement of `body` is ignored.
   */
  #run<T>(operation: string, body: (send: Send) => Promise<T>): Promise<T> {
    const connection = this.#connection;
    const deadline = Date.now() + this.commandTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        reject(new StoreUnavailableError({ operation, reason: 'timeout' }));
      }, this.commandTimeoutMs);

      const send: Send = async (command, args) => {
        const state = connection.state();
        if (state === 'lost') throw new StoreUnavailableError({ operation, reason: 'not-connected' });
        // The wait's own timer may fire a moment before the operation's: check both.
        const ready = state === 'ready' || (await connection.waitForReady(deadline - Date.now()));
        if (!ready || expired) throw new StoreUnavailableError({ operation, reason: 'timeout' });
        return connection.send(command, args);
      };

      body(send).then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (isStoreUnavailableError(error)) reject(error);
          else {
            const reason = connection.state() === 'ready' ? 'command-failed' : 'not-connected';
            reject(new StoreUnavailableError({ operation, reason, cause: error }));
          }
        },
      );
    });
  }
}

/** EVALSHA, then EVAL if the server does not have the script cached (first use, restart, flush). */
async function evalScript(send: Send, script: LuaScript, key: string, args: string[]): Promise<unknown> {
  try {
    return await send('EVALSHA', [script.sha1, '1', key, ...args]);
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return send('EVAL', [script.source, '1', key, ...args]);
  }
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** A reply as a string, accepting Buffers from clients configured to return them. */
function optionalString(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength).toString('utf8');
  throw new TypeError(`Unexpected Redis reply of type ${typeof reply}`);
}

/** `OK` → true, nil (NX condition not met) → false. */
function isOk(reply: unknown): boolean {
  const text = optionalString(reply);
  if (text === undefined) return false;
  if (text === 'OK') return true;
  throw new TypeError('Unexpected Redis reply to SET');
}

function integer(reply: unknown): number {
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return Number(reply);
  const text = optionalString(reply);
  if (text !== undefined && /^-?\d+$/.test(text)) return Number(text);
  throw new TypeError('Unexpected Redis reply, expected an integer');
}
