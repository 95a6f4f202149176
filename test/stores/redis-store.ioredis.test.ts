import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisStore, isStoreUnavailableError } from '../../lib/stores/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { redisStoreSuite, type RedisClientKit } from './redis-store-suite.js';

const ioredis: RedisClientKit<Redis> = {
  library: 'ioredis',
  async connect(server) {
    const client = new Redis(server.port, '127.0.0.1');
    await client.ping();
    return client;
  },
  open(port) {
    return new Redis(port, '127.0.0.1');
  },
  async close(client) {
    client.disconnect();
  },
  raw(client, command, args) {
    return client.call(command, args);
  },
};

describe('RedisStore with ioredis', () => {
  redisStoreSuite(ioredis);

  describe('connection states', () => {
    let server: RedisServer | undefined;
    const clients: Redis[] = [];

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
    });
    after(async () => {
      for (const client of clients) client.disconnect();
      await server?.stop();
    });

    it('a lazyConnect client connects on the first operation', async () => {
      const client = new Redis({ port: server!.port, host: '127.0.0.1', lazyConnect: true });
      clients.push(client);
      assert.equal(client.status, 'wait');
      const store = new RedisStore({ client, prefix: 'lazy:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
      assert.equal(await store.get('k'), 'v');
    });

    it('an operation issued while the client is still connecting waits for it', async () => {
      const client = new Redis(server!.port, '127.0.0.1');
      clients.push(client);
      assert.equal(client.status, 'connecting');
      const store = new RedisStore({ client, prefix: 'connecting:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
    });

    it('a lazyConnect client with the offline queue disabled connects on the first operation', async () => {
      const client = new Redis({ port: server!.port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false });
      clients.push(client);
      const store = new RedisStore({ client, prefix: 'lazy-no-queue:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
    });

    it('a client with the offline queue disabled works too', async () => {
      const client = new Redis({ port: server!.port, host: '127.0.0.1', enableOfflineQueue: false });
      clients.push(client);
      const store = new RedisStore({ client, prefix: 'no-queue:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
    });

    it('a client that was disconnected for good rejects with not-connected', async () => {
      const client = new Redis(server!.port, '127.0.0.1');
      await client.ping();
      client.disconnect();
      const store = new RedisStore({ client, prefix: 'ended:' });
      const error = await store.get('k').then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
      assert.ok(isStoreUnavailableError(error));
      assert.equal(error.reason, 'not-connected');
    });
  });
});
