/**
 * RedisStore's connection-state handling and reply decoding, driven by scripted stand-ins for the
 * two client libraries, for the states a real server cannot be put in on demand. The real-server
 * behaviour is in redis-store.ioredis.test.ts and redis-store.node-redis.test.ts.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { RedisStore, isStoreUnavailableError, type StoreUnavailableError } from '../../lib/stores/index.js';

type Reply = unknown | Promise<unknown>;

/** Looks like a node-redis client: isOpen, isReady, sendCommand(args). */
class FakeNodeRedis extends EventEmitter {
  isOpen = true;
  isReady = false;
  readonly sent: string[][] = [];
  readonly sentOptions: unknown[] = [];
  reply: (args: string[]) => Reply = () => 'OK';

  sendCommand(args: string[], options?: unknown): Promise<unknown> {
    this.sent.push(args);
    this.sentOptions.push(options);
    return Promise.resolve(this.reply(args));
  }

  becomeReady(): void {
    this.isReady = true;
    this.emit('ready');
  }
}

/** Looks like an ioredis client: status, call(command, args), connect(). */
class FakeIoRedis extends EventEmitter {
  status = 'ready';
  connects = 0;
  readonly sent: string[][] = [];

  call(command: string, args: string[]): Promise<unknown> {
    this.sent.push([command, ...args]);
    return Promise.resolve(command === 'GET' ? 'value' : 'OK');
  }

  connect(): Promise<void> {
    this.connects += 1;
    this.status = 'connecting';
    return new Promise(() => undefined);
  }
}

async function rejection(promise: Promise<unknown>): Promise<StoreUnavailableError> {
  const error = await promise.then(
    (value) => assert.fail(`resolved with ${String(value)}`),
    (e: unknown) => e,
  );
  assert.ok(isStoreUnavailableError(error), String(error));
  return error;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisStore with scripted clients', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));
  afterEach(() => assert.deepEqual(unhandled.splice(0), []));

  describe('first connection', () => {
    it('an operation issued before ready waits, then sends once the client is ready', async () => {
      const client = new FakeNodeRedis();
      const store = new RedisStore({ client, commandTimeoutMs: 2_000 });
      const pending = store.setIfAbsent('k', 'v', 1_000);
      await sleep(10);
      assert.deepEqual(client.sent, []);
      client.becomeReady();
      assert.equal(await pending, true);
      assert.deepEqual(client.sent, [['SET', 'aom:k', 'v', 'PX', '1000', 'NX']]);
    });

    it('an operation that timed out waiting never sends its command later', async () => {
      const client = new FakeNodeRedis();
      const store = new RedisStore({ client, commandTimeoutMs: 30 });
      const errors = await Promise.all(Array.from({ length: 20 }, (_, i) => rejection(store.set(`k${i}`, 'v', 1_000))));
      assert.ok(errors.every((e) => e.reason === 'timeout'));
      client.becomeReady();
      await sleep(20);
      assert.deepEqual(client.sent, []);
      assert.equal(await store.get('after'), 'OK'); // the fake answers 'OK' to everything
    });

    it('once the client reported an error before ever being ready, operations fail fast', async () => {
      const client = new FakeNodeRedis();
      const store = new RedisStore({ client, commandTimeoutMs: 60_000 });
      client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:1'));
      const error = await rejection(store.get('k'));
      assert.equal(error.reason, 'not-connected');
      assert.deepEqual(client.sent, []);
      client.becomeReady();
      assert.equal(await store.get('k'), 'OK');
    });

    it('a lazyConnect ioredis client is connected explicitly, not through its offline queue', async () => {
      const client = new FakeIoRedis();
      client.status = 'wait';
      const store = new RedisStore({ client, commandTimeoutMs: 30 });
      assert.equal((await rejection(store.get('k'))).reason, 'timeout');
      assert.equal(client.connects, 1);
      assert.deepEqual(client.sent, []);
    });
  });

  describe('lost connection', () => {
    for (const status of ['reconnecting', 'close', 'end']) {
      it(`ioredis status "${status}": fails fast with not-connected, sends nothing`, async () => {
        const client = new FakeIoRedis();
        client.status = status;
        const store = new RedisStore({ client, commandTimeoutMs: 60_000 });
        assert.equal((await rejection(store.setIfAbsent('k', 'v', 1_000))).reason, 'not-connected');
        assert.deepEqual(client.sent, []);
        client.status = 'ready';
        assert.equal(await store.get('k'), 'value');
      });
    }

    it('node-redis: reconnecting fails fast; ready again works', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      const store = new RedisStore({ client, commandTimeoutMs: 60_000 });
      client.isReady = false;
      client.emit('error', new Error('Socket closed unexpectedly'));
      client.emit('reconnecting');
      assert.equal((await rejection(store.delete('k'))).reason, 'not-connected');
      client.becomeReady();
      await store.delete('k');
      assert.deepEqual(client.sent, [['DEL', 'aom:k']]);
    });

    it('node-redis: a closed client (isOpen false) fails fast', async () => {
      const client = new FakeNodeRedis();
      client.isOpen = false;
      const store = new RedisStore({ client, commandTimeoutMs: 60_000 });
      assert.equal((await rejection(store.get('k'))).reason, 'not-connected');
    });
  });

  describe('commands that never settle, or settle late', () => {
    it('time out, and a late reply or late failure is ignored without an unhandled rejection', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      const settlers: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
      client.reply = () => new Promise((resolve, reject) => settlers.push({ resolve, reject }));
      const store = new RedisStore({ client, commandTimeoutMs: 20 });
      const a = await rejection(store.get('a'));
      const b = await rejection(store.compareAndDelete('b', 'x'));
      assert.deepEqual([a.reason, b.reason], ['timeout', 'timeout']);
      settlers[0]!.resolve('late');
      settlers[1]!.reject(new Error('NOSCRIPT No matching script'));
      await sleep(20);
      // The NOSCRIPT fallback must not fire after the operation gave up.
      assert.deepEqual(
        client.sent.map((args) => args[0]),
        ['GET', 'EVALSHA'],
      );
    });

    it('a client that throws synchronously still gives a rejection (command-failed)', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      client.reply = () => {
        throw new Error('boom');
      };
      const store = new RedisStore({ client });
      let pending: Promise<unknown> | undefined;
      assert.doesNotThrow(() => {
        pending = store.get('k');
      });
      const error = await rejection(pending!);
      assert.equal(error.reason, 'command-failed');
      assert.equal((error.cause as Error).message, 'boom');
    });
  });

  describe('node-redis per-command timeout', () => {
    it("every command is sent with node-redis's own timeout off: the operation's deadline bounds it", async () => {
      // node-redis v5+ arms an AbortSignal.timeout per command (commandOptions.timeout, 5 s by
      // default): costly, and redundant with the store's deadline (docs/operations.md#redis-client-settings).
      const client = new FakeNodeRedis();
      client.becomeReady();
      client.reply = (args) => (args[0] === 'EVALSHA' ? 1 : 'OK');
      const store = new RedisStore({ client, prefix: 'p:' });
      assert.equal(await store.setIfAbsent('k', 'v', 1000), true);
      assert.equal(await store.compareAndDelete('k', 'v'), true);
      assert.deepEqual(
        client.sent.map((args) => args[0]),
        ['SET', 'EVALSHA'],
      );
      assert.deepEqual(client.sentOptions, [{ timeout: 0 }, { timeout: 0 }]);
    });

    it('a command that never settles still ends with the operation deadline (timeout)', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      client.reply = () => new Promise(() => undefined);
      const store = new RedisStore({ client, commandTimeoutMs: 30 });
      const error = await rejection(store.get('k'));
      assert.equal(error.reason, 'timeout');
    });
  });

  describe('replies', () => {
    it('decodes Buffer replies (clients configured to return Buffers)', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      client.reply = (args) =>
        args[0] === 'GET' ? Buffer.from('ключ 🔑', 'utf8') : args[0] === 'SET' ? Buffer.from('OK') : 1;
      const store = new RedisStore({ client });
      assert.equal(await store.get('k'), 'ключ 🔑');
      assert.equal(await store.setIfAbsent('k', 'v', 1_000), true);
      assert.equal(await store.compareAndDelete('k', 'v'), true);
    });

    it('an unexpected reply is a command-failed StoreUnavailableError, not a wrong answer', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      client.reply = (args) => (args[0] === 'GET' ? 42 : args[0] === 'SET' ? 'QUEUED' : 'one');
      const store = new RedisStore({ client });
      for (const run of [
        () => store.get('k'),
        () => store.setIfAbsent('k', 'v', 1_000),
        () => store.set('k', 'v', 1_000),
        () => store.compareAndSet('k', 'v', 'w', 1_000),
      ]) {
        const error = await rejection(run());
        assert.equal(error.reason, 'command-failed');
        assert.ok(error.cause instanceof TypeError);
      }
    });

    it('falls back from EVALSHA to EVAL on NOSCRIPT and sends the script itself', async () => {
      const client = new FakeNodeRedis();
      client.becomeReady();
      client.reply = (args) =>
        args[0] === 'EVALSHA' ? Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.')) : 1;
      const store = new RedisStore({ client, prefix: 'p:' });
      assert.equal(await store.compareAndSet('k', 'old', 'new', 5_000), true);
      const [evalsha, evalCall] = client.sent;
      assert.equal(evalsha![0], 'EVALSHA');
      assert.match(evalsha![1]!, /^[0-9a-f]{40}$/);
      assert.deepEqual(evalsha!.slice(2), ['1', 'p:k', 'old', 'new', '5000']);
      assert.equal(evalCall![0], 'EVAL');
      assert.match(evalCall![1]!, /redis\.call\('GET', KEYS\[1\]\) == ARGV\[1\]/);
      assert.deepEqual(evalCall!.slice(2), ['1', 'p:k', 'old', 'new', '5000']);
    });
  });
});
