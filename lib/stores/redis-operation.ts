/**
 * One bounded Redis operation, shared by the store and the throttling counter: a deadline, no
 * command sent while the connection is lost, a wait (within the deadline) during a first
 * connection, and every failure turned into a {@link StoreUnavailableError}.
 */
import type { Deadlines } from './deadlines.js';
import type { RedisConnection } from './redis-connection.js';
import type { LuaScript } from './redis-scripts.js';
import { StoreUnavailableError, isStoreUnavailableError } from './store-unavailable-error.js';

/** Sends one command of an operation; refuses once the operation's deadline has passed. */
export type Send = (command: string, args: string[]) => Promise<unknown>;

/**
 * Runs `body` under a deadline of `deadlines.timeoutMs`. `send` refuses to send once the deadline
 * has passed or while the connection is lost, and waits (within the deadline) during a first
 * connection. Every failure becomes a StoreUnavailableError; a late settlement of `body` is ignored.
 * The deadline is kept by `deadlines` (one timer for every operation of a store or counter).
 *
 * @example
 * const value = await runRedisOperation(connection, 'get', new Deadlines(500), (send) => send('GET', ['k']));
 */
export function runRedisOperation<T>(connection: RedisConnection, operation: string, deadlines: Deadlines, body: (send: Send) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = deadlines.start(() => reject(new StoreUnavailableError({ operation, reason: 'timeout' })));

    const send: Send = (command, args) => {
      if (deadline.expired) return Promise.reject(new StoreUnavailableError({ operation, reason: 'timeout' }));
      const state = connection.state();
      if (state === 'ready') return connection.send(command, args);
      if (state === 'lost') return Promise.reject(new StoreUnavailableError({ operation, reason: 'not-connected' }));
      return connection.waitForReady(deadline.remainingMs()).then((ready) => {
        // The wait's own timer may fire a moment before the operation's: check both.
        if (!ready || deadline.expired) throw new StoreUnavailableError({ operation, reason: 'timeout' });
        return connection.send(command, args);
      });
    };

    let settled: Promise<T>;
    try {
      settled = body(send);
    } catch (error) {
      settled = Promise.reject(error); // a client that throws instead of rejecting
    }
    settled.then(
      (result) => {
        if (deadline.settle()) resolve(result);
      },
      (error: unknown) => {
        if (!deadline.settle()) return;
        if (isStoreUnavailableError(error)) reject(error);
        else {
          const reason = connection.state() === 'ready' ? 'command-failed' : 'not-connected';
          reject(new StoreUnavailableError({ operation, reason, cause: error }));
        }
      },
    );
  });
}

/**
 * EVALSHA, then EVAL if the server does not have the script cached (first use, restart, flush, or
 * a cluster node that never saw it).
 *
 * @example
 * await evalScript(send, compareAndDeleteScript, ['k'], ['expected']);
 */
export function evalScript(send: Send, script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  const argv = [script.sha1, String(keys.length), ...keys, ...args];
  return send('EVALSHA', argv).then(undefined, (error: unknown) => {
    if (!isNoScriptError(error)) throw error;
    argv[0] = script.source;
    return send('EVAL', argv);
  });
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A reply as a string, accepting Buffers from clients configured to return them.
 *
 * @example
 * optionalString(Buffer.from('OK')); // 'OK'
 */
export function optionalString(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength).toString('utf8');
  throw new TypeError(`Unexpected Redis reply of type ${typeof reply}`);
}

/**
 * A reply as an integer (number, bigint or digits).
 *
 * @example
 * integerReply('42'); // 42
 */
export function integerReply(reply: unknown): number {
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return Number(reply);
  const text = optionalString(reply);
  if (text !== undefined && /^-?\d+$/.test(text)) return Number(text);
  throw new TypeError('Unexpected Redis reply, expected an integer');
}
