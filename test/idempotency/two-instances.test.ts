/**
 * Two instances of a protected service in separate processes (one on ioredis, one on node-redis)
 * sharing one real redis-server, as behind a load balancer: nonces, ClientTokens and throttling
 * counts hold across them (the cases are shared with the Redis Cluster run,
 * test/idempotency/two-instances-cluster.test.ts).
 */
import { Redis } from 'ioredis';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { twoInstanceCases } from '../support/two-instance-cases.js';
import { startInstance, stopInstance, type Instance } from '../support/two-instances.js';

describe('two instances in separate processes sharing one Redis', function () {
  this.timeout(60_000);
  let server: RedisServer;
  let instances: Instance[] = [];
  let redis: Redis;

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
    instances = await Promise.all([startInstance('a', server.url, 'ioredis'), startInstance('b', server.url, 'node-redis')]);
    redis = new Redis(server.port, '127.0.0.1');
  });
  after(async () => {
    redis?.disconnect();
    await Promise.all(instances.map(stopInstance));
    await server?.stop();
  });

  twoInstanceCases({ instances: () => instances, read: (key) => redis.get(key) });
});
