/**
 * RedisStore behaviour that holds for both client libraries: the shared store contract, the Redis
 * layout (prefix, TTL, scripts), and faults against a real redis-server (paused, killed, restarted).
 * test/stores/redis-store.ioredis.test.ts and redis-store.node-redis.test.ts run it with their client.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import {
  RedisStore,
  StoreUnavailableError,
  isStoreUnavailableError,
  type RedisClientLike,
  type Store,
  type StoreUnavailableReason,
} from '../../lib/stores/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { storeContract } from './store-contract.js';

/** How a test file makes, drives and closes clients of its library. */
export interface RedisClientKit<C extends RedisClientLike> {
  library: 'ioredis' | 'node-redis';
  /** A client of `server`, ready to use. No 'error' listener: the store must cope on its own. */
  connect(server: RedisServer): Promise<C>;
  /** A client of 127.0.0.1:`port` that has been told to connect; does not wait for it. */
  open(port: number): C;
  close(client: C): Promise<void>;
  /** Sends a raw command, for assertions about what is in Redis. */
  raw(client: C, command: string, args: string[]): Promise<unknown>;
}

const LONG = 60_000;
/** Generous upper bound for "rejects promptly": a hanging store would blow through it. */
const PROMPT_MS = 5_000;

/**
 * Runs `operation`, which must reject with a StoreUnavailableError; returns it and how long it took.
 * Fails if it resolves, or if it is still pending after `boundMs` (i.e. the store hangs).
 */
async function expectUnavailable(
  operation: () => Promise<unknown>,
  boundMs = PROMPT_MS,
): Promise<StoreUnavailableError> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), boundMs);
  });
  const outcome = await Promise.race([
    operation().then(
      (value) => ({ resolved: value }),
      (error: unknown) => ({ rejected: error }),
    ),
    hang,
  ]);
  clearTimeout(timer);
  assert.notEqual(outcome, 'hung', `still pending after ${boundMs} ms`);
  assert.ok(typeof outcome === 'object' && 'rejected' in outcome, `resolved: ${JSON.stringify(outcome)}`);
  const error = outcome.rejected;
  assert.ok(isStoreUnavailableError(error), `not a StoreUnavailableError: ${String(error)}`);
  assert.ok(error instanceof StoreUnavailableError);
  return error;
}

/** Retries `attempt` every 100 ms until it resolves, at most `tries` times; returns its value. */
async function eventually<T>(attempt: () => Promise<T>, tries = 150): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < tries; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`did not recover after ${tries} tries: ${String(lastError)}`);
}

/** Every Store operation once, on fresh keys. */
function everyOperation(store: Store): Array<[string, () => Promise<unknown>]> {
  const k = `op:${randomUUID()}`;
  return [
    ['setIfAbsent', () => store.setIfAbsent(k, 'v', LONG)],
    ['get', () => store.get(k)],
    ['set', () => store.set(k, 'v', LONG)],
    ['delete', () => store.delete(k)],
    ['compareAndSet', () => store.compareAndSet(k, 'v', 'w', LONG)],
    ['compareAndDelete', () => store.compareAndDelete(k, 'w')],
  ];
}

/** Collects unhandled rejections while a suite runs, so a test can assert there were none. */
function watchUnhandledRejections(): { readonly seen: unknown[] } {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  before(() => process.on('unhandledRejection', listener));
  after(() => process.off('unhandledRejection', listener));
  return { seen };
}

export function redisStoreSuite<C extends RedisClientLike>(kit: RedisClientKit<C>): void {
  describe('store contract (4 stores on 4 connections to one Redis)', () => {
    let server: RedisServer | undefined;
    const clients: C[] = [];
    let stores: RedisStore[] = [];

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
      for (let i = 0; i < 4; i += 1) clients.push(await kit.connect(server));
      const prefix = `contract-${randomUUID()}:`;
      stores = clients.map((client) => new RedisStore({ client, prefix, commandTimeoutMs: 5_000 }));
    });
    after(async () => {
      await Promise.all(clients.map((client) => kit.close(client)));
      await server?.stop();
    });

    storeContract({ stores: () => stores, propertyRuns: 30 });
  });

  describe('Redis layout', () => {
    let server: RedisServer | undefined;
    let client: C;

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
      client = await kit.connect(server);
    });
    after(async () => {
      if (client !== undefined) await kit.close(client);
      await server?.stop();
    });

    it(`detects the client as ${kit.library}`, () => {
      assert.equal(new RedisStore({ client }).clientLibrary, kit.library);
    });

    it('writes prefix + key, with the TTL as a PX expiry, and nothing else', async () => {
      const store = new RedisStore({ client, prefix: 'svc-a:' });
      assert.equal(await store.setIfAbsent('nonce:1', 'v', 30_000), true);
      assert.equal(await kit.raw(client, 'GET', ['svc-a:nonce:1']), 'v');
      assert.equal(await kit.raw(client, 'GET', ['nonce:1']), null);
      const pttl = Number(await kit.raw(client, 'PTTL', ['svc-a:nonce:1']));
      assert.ok(pttl > 0 && pttl <= 30_000, `PTTL ${pttl}`);
      assert.deepEqual(await kit.raw(client, 'KEYS', ['*nonce:1']), ['svc-a:nonce:1']);
    });

    it("uses 'aom:' as the default prefix", async () => {
      const store = new RedisStore({ client });
      await store.set('default-prefix', 'v', LONG);
      assert.equal(await kit.raw(client, 'GET', ['aom:default-prefix']), 'v');
    });

    it('stores with different prefixes do not see each other', async () => {
      const a = new RedisStore({ client, prefix: 'a:' });
      const b = new RedisStore({ client, prefix: 'b:' });
      assert.equal(await a.setIfAbsent('shared', 'from-a', LONG), true);
      assert.equal(await b.setIfAbsent('shared', 'from-b', LONG), true);
      assert.equal(await a.get('shared'), 'from-a');
      assert.equal(await b.compareAndDelete('shared', 'from-a'), false);
    });

    it('compare-and-* still work after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
      const store = new RedisStore({ client, prefix: `flush-${randomUUID()}:` });
      await store.set('k', 'a', LONG);
      assert.equal(await store.compareAndSet('k', 'a', 'b', LONG), true);
      await kit.raw(client, 'SCRIPT', ['FLUSH']);
      assert.equal(await store.compareAndSet('k', 'b', 'c', LONG), true);
      await kit.raw(client, 'SCRIPT', ['FLUSH']);
      assert.equal(await store.compareAndDelete('k', 'c'), true);
      assert.equal(await store.get('k'), undefined);
    });

    it('a Redis error reply rejects with StoreUnavailableError(command-failed) naming no key', async () => {
      const store = new RedisStore({ client, prefix: 'typed:' });
      const secretish = `token-${randomUUID()}`;
      await kit.raw(client, 'HSET', [`typed:${secretish}`, 'field', 'value']); // wrong type for GET
      for (const [name, run] of [
        ['get', () => store.get(secretish)],
        ['compareAndSet', () => store.compareAndSet(secretish, 'a', 'b', LONG)],
        ['compareAndDelete', () => store.compareAndDelete(secretish, 'a')],
      ] as const) {
        const error = await expectUnavailable(run);
        assert.equal(error.reason, 'command-failed', name);
        assert.equal(error.operation, name);
        assert.equal(error.code, 'STORE_UNAVAILABLE');
        assert.ok(error.cause instanceof Error && /WRONGTYPE/.test(error.cause.message), String(error.cause));
        assert.ok(!error.message.includes(secretish), error.message);
      }
    });

    it('rejects anything that is not a supported client, and a bad timeout', () => {
      for (const notAClient of [{}, null, { call: () => undefined }, { sendCommand: () => undefined }]) {
        assert.throws(() => new RedisStore({ client: notAClient as unknown as RedisClientLike }), TypeError);
      }
      for (const commandTimeoutMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => new RedisStore({ client, commandTimeoutMs }), RangeError);
      }
      assert.throws(() => new RedisStore({ client, prefix: 'bad\uD800' }), TypeError);
    });
  });

  describe('faults', () => {
    const unhandled = watchUnhandledRejections();
    let server: RedisServer | undefined;
    let client: C;
    let store: RedisStore;

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
      client = await kit.connect(server);
      store = new RedisStore({ client, prefix: 'faults:', commandTimeoutMs: 300 });
    });
    after(async () => {
      if (client !== undefined) await kit.close(client);
      await server?.stop();
    });

    it('a paused (SIGSTOP) Redis: every operation rejects with reason timeout instead of hanging', async () => {
      await store.set('before-pause', 'kept', LONG);
      server!.pause();
      try {
        for (const [name, run] of everyOperation(store)) {
          const error = await expectUnavailable(run);
          assert.equal(error.reason, 'timeout', name);
          assert.equal(error.operation, name);
        }
        // Many at once: all reject, none is left hanging or unhandled.
        const results = await Promise.allSettled(
          Array.from({ length: 100 }, (_, i) => store.setIfAbsent(`paused-${i}`, 'v', LONG)),
        );
        assert.ok(results.every((r) => r.status === 'rejected' && isStoreUnavailableError(r.reason)));
      } finally {
        server!.resume();
      }
    });

    it('after SIGCONT the same store works again, and late replies do not get mixed up', async () => {
      await eventually(() => store.get('before-pause'));
      assert.equal(await store.get('before-pause'), 'kept');
      const keys = Array.from({ length: 50 }, (_, i) => `after-resume-${randomUUID()}-${i}`);
      await Promise.all(keys.map((k, i) => store.set(k, `value-${i}`, LONG)));
      assert.deepEqual(
        await Promise.all(keys.map((k) => store.get(k))),
        keys.map((_, i) => `value-${i}`),
      );
      for (const [name, run] of everyOperation(store)) await assert.doesNotReject(run(), name);
    });

    it('a killed Redis: operations reject with StoreUnavailableError and soon fail fast (not-connected)', async () => {
      await server!.kill('SIGKILL');
      for (const [name, run] of everyOperation(store)) {
        const error = await expectUnavailable(run);
        assert.ok((['timeout', 'not-connected', 'command-failed'] as StoreUnavailableReason[]).includes(error.reason), name);
      }
      // Once the client has noticed the loss, nothing is queued: the store answers not-connected.
      const reason = await eventually(async () => {
        const error = await expectUnavailable(() => store.get('k'));
        if (error.reason !== 'not-connected') throw new Error(`reason ${error.reason}`);
        return error.reason;
      }, 50);
      assert.equal(reason, 'not-connected');
    });

    it('Redis restarted on the same port: the store recovers by itself within seconds', async () => {
      await server!.restart();
      // Bounded poll (150 × 100 ms plus timeouts): the client reconnects with its own backoff.
      await eventually(() => store.setIfAbsent('after-restart', 'v', LONG));
      assert.equal(await store.get('before-pause'), undefined, 'a fresh server has no data');
      assert.equal(await store.get('after-restart'), 'v');
      // The new server has no cached scripts: EVALSHA must fall back to EVAL.
      assert.equal(await store.compareAndSet('after-restart', 'v', 'w', LONG), true);
      assert.equal(await store.compareAndDelete('after-restart', 'w'), true);
      assert.equal(await store.setIfAbsent('after-restart', 'again', LONG), true);
    });

    it('no unhandled rejection happened during the faults', () => {
      assert.deepEqual(unhandled.seen, []);
    });
  });

  describe('a server that accepts connections but never answers (stuck handshake)', () => {
    const unhandled = watchUnhandledRejections();
    let silent: Server;
    const sockets = new Set<Socket>();
    let client: C | undefined;

    before(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      if (client !== undefined) await kit.close(client);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('operations wait for the first connection only until the timeout', async () => {
      const address = silent.address();
      assert.ok(address !== null && typeof address === 'object');
      client = kit.open(address.port);
      const store = new RedisStore({ client, prefix: 'silent:', commandTimeoutMs: 200 });
      for (const [name, run] of everyOperation(store)) {
        const error = await expectUnavailable(run);
        assert.equal(error.reason, 'timeout', name);
      }
      const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => store.get(`k${i}`)));
      assert.ok(results.every((r) => r.status === 'rejected' && isStoreUnavailableError(r.reason)));
      assert.deepEqual(unhandled.seen, []);
    });
  });

  describe('Redis shut down (SIGTERM) and started again', () => {
    let server: RedisServer | undefined;
    let client: C | undefined;

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
    });
    after(async () => {
      if (client !== undefined) await kit.close(client);
      await server?.stop();
    });

    it('operations reject with StoreUnavailableError rather than hang, then work once it is back', async () => {
      client = await kit.connect(server!);
      const store = new RedisStore({ client, prefix: 'down:', commandTimeoutMs: 300 });
      await server!.stop();
      for (const [name, run] of everyOperation(store)) {
        await expectUnavailable(run).then(
          (error) => assert.equal(error.operation, name),
          (error: unknown) => assert.fail(`${name}: ${String(error)}`),
        );
      }
      await server!.restart();
      await eventually(() => store.set('up', 'yes', LONG));
      assert.equal(await store.get('up'), 'yes');
    });
  });
}
