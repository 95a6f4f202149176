import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { RedisStore, isStoreUnavailableError, type NodeRedisLikeClient } from '../../lib/stores/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { redisStoreSuite, type RedisClientKit } from './redis-store-suite.js';

/** Any node-redis client, whatever its RESP version and modules. */
type NodeRedisClient = NodeRedisLikeClient & { destroy(): void };

async function closeClient(client: NodeRedisClient): Promise<void> {
  if (client.isOpen) client.destroy();
}

const nodeRedis: RedisClientKit<NodeRedisClient> = {
  library: 'node-redis',
  async connect(server) {
    const client = createClient({ url: server.url });
    await client.connect();
    return client;
  },
  open(port) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.connect().catch(() => undefined); // settles (rejects) when the test closes the client
    return client;
  },
  close: closeClient,
  raw(client, command, args) {
    return Promise.resolve(client.sendCommand([command, ...args]));
  },
};

describe('RedisStore with node-redis', () => {
  redisStoreSuite(nodeRedis);

  describe('connection states', () => {
    let server: RedisServer | undefined;
    const clients: NodeRedisClient[] = [];

    before(async function () {
      requireRedisServer(this);
      server = await startRedisServer();
    });
    after(async () => {
      await Promise.all(clients.map(closeClient));
      await server?.stop();
    });

    it('a client on which connect() was never called rejects with not-connected at once', async () => {
      const client = createClient({ url: server!.url });
      clients.push(client);
      const store = new RedisStore({ client, prefix: 'never:' });
      const error = await store.get('k').then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
      assert.ok(isStoreUnavailableError(error));
      assert.equal(error.reason, 'not-connected');
    });

    it('an operation issued while connect() is still under way waits for it', async () => {
      const client = createClient({ url: server!.url });
      clients.push(client);
      const connecting = client.connect();
      assert.equal(client.isReady, false);
      const store = new RedisStore({ client, prefix: 'connecting:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
      await connecting;
    });

    it('a client with the offline queue disabled works too', async () => {
      const client = createClient({ url: server!.url, disableOfflineQueue: true });
      clients.push(client);
      await client.connect();
      const store = new RedisStore({ client, prefix: 'no-queue:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
    });

    it('a RESP2 client works too', async () => {
      const client = createClient({ url: server!.url, RESP: 2 });
      clients.push(client);
      await client.connect();
      const store = new RedisStore({ client, prefix: 'resp2:' });
      assert.equal(await store.setIfAbsent('k', 'v', 60_000), true);
      assert.equal(await store.compareAndSet('k', 'v', 'w', 60_000), true);
      assert.equal(await store.get('k'), 'w');
    });
  });
});
