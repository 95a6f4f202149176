/**
 * RedisStore, throttling (with the nonce in the same script) and ClientToken idempotency on a real
 * Redis Cluster (three masters with a replica each, test/support/redis-cluster.ts) through ioredis
 * `Cluster` and node-redis `createCluster`: the Store contract, keys spread over the masters, the caller's nonce and counters in
 * one slot, exact counts, one run per ClientToken.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import request from 'supertest';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import {
  clientTokenGuard,
  createRpcApi,
  envelope,
  koaRpc,
  p,
  rateLimitThrottler,
  RedisStore,
  signatureAuthenticator,
  type RedisClientLike,
  staticCredentials,
} from '../../lib/index.js';
import { readError } from '../support/http.js';
import { requireRedisCluster, startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { TWO_INSTANCE_KEYS, TWO_INSTANCE_VERSION } from '../support/two-instance-service.js';
import { signedQuery } from '../support/two-instances.js';
import { storeContract } from './store-contract.js';

/** How a test makes, uses and closes cluster clients of one library. */
interface ClusterKit {
  readonly library: string;
  connect(cluster: RedisCluster): Promise<RedisClientLike>;
  close(client: RedisClientLike): Promise<void>;
}

const KITS: readonly ClusterKit[] = [
  {
    library: 'ioredis Cluster',
    async connect(cluster) {
      const client = new Cluster([...cluster.startupNodes]);
      client.on('error', () => undefined);
      await client.call('PING', []);
      return client;
    },
    async close(client) {
      (client as Cluster).disconnect();
    },
  },
  {
    library: 'node-redis createCluster',
    async connect(cluster) {
      const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
      client.on('error', () => undefined);
      await client.connect();
      return client as unknown as RedisClientLike;
    },
    async close(client) {
      await (client as unknown as ReturnType<typeof createCluster>).close();
    },
  },
];

describe('Redis Cluster', function () {
  this.timeout(60_000);
  let cluster: RedisCluster;

  before(async function () {
    this.timeout(120_000);
    requireRedisCluster(this);
    cluster = await startRedisCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  it('keys of different callers spread over the masters; one caller\'s nonces and counters share a slot', async () => {
    const client = new Cluster([...cluster.startupNodes]);
    client.on('error', () => undefined);
    try {
      const slotOf = async (key: string): Promise<number> => Number(await client.call('CLUSTER', ['KEYSLOT', key]));
      const slots = new Set<number>();
      for (let i = 0; i < 30; i++) slots.add(await slotOf(`aom:nonce:{ak:caller-${i}}digest`));
      const ranges = (await client.call('CLUSTER', ['SLOTS'])) as Array<[number, number, ...unknown[]]>;
      const mastersHit = new Set([...slots].map((slot) => ranges.findIndex(([from, to]) => slot >= from && slot <= to)));
      assert.equal(mastersHit.size, 3, 'thirty callers land on every master');
      assert.equal(await slotOf('aom:nonce:{ak:a1}xyz'), await slotOf('aom:throttle:{ak:a1}:RunInstances'));
      assert.equal(await slotOf('aom:throttle:{ak:a1}'), await slotOf('aom:throttle:{ak:a1}:RunInstances'));
    } finally {
      client.disconnect();
    }
  });

  for (const kit of KITS) describe(`with ${kit.library}`, () => clusterCases(kit, () => cluster));
});

function clusterCases(kit: ClusterKit, cluster: () => RedisCluster): void {
  const clients: RedisClientLike[] = [];
  let stores: RedisStore[] = [];
  const connect = async (): Promise<RedisClientLike> => {
    const client = await kit.connect(cluster());
    clients.push(client);
    return client;
  };
  before(async function () {
    if (cluster() === undefined) this.skip(); // the outer before skipped (no redis-server / redis-cli) or failed
    const prefix = `contract-${randomUUID()}:`;
    stores = [new RedisStore({ client: await connect(), prefix }), new RedisStore({ client: await connect(), prefix })];
  });
  after(async () => {
    await Promise.all(clients.map((client) => kit.close(client)));
  });

  describe('RedisStore: the Store contract on two cluster clients', () => {
    storeContract({ stores: () => stores, propertyRuns: 20 });
  });

  it('over HTTP: nonce + per-Action + per-caller counts in one script, exact across two clients; replays refused; one run per ClientToken', async () => {
    const prefix = `http-${randomUUID()}:`;
    let runs = 0;
    const apps = await Promise.all(
      [0, 1].map(async () => {
        const client = await connect();
        const store = new RedisStore({ client, prefix });
        const throttle = rateLimitThrottler({ limit: { points: 5, durationSeconds: 60 }, perCaller: { points: 8, durationSeconds: 60 }, redis: client, keyPrefix: `${prefix}throttle` });
        const api = createRpcApi<Koa.Context>({
          version: TWO_INSTANCE_VERSION,
          authenticate: signatureAuthenticator({ credentials: staticCredentials(TWO_INSTANCE_KEYS), nonceStore: store, combineWithThrottle: throttle }),
          throttle,
          idempotency: clientTokenGuard({ store }),
        });
        api.action('DescribeThings', { handler: () => ({ Ok: true }) });
        api.action('CreateThing', { idempotent: true, params: { Name: p.string() }, handler: async () => ({ Run: ++runs }) });
        const app = new Koa();
        app.silent = true;
        app.use(envelope());
        app.use(koaRpc(api));
        return app.callback();
      }),
    );
    const send = async (i: number, query: string): Promise<string> => {
      const res = await request(apps[i % 2] as ReturnType<Koa['callback']>).get(`/?${query}`);
      return res.status === 200 ? '200' : `${res.status} ${readError(res).Code}`;
    };
    // Per Action: 5 of 7 DescribeThings pass (ak-1), counted on both clients.
    const described = await Promise.all(Array.from({ length: 7 }, (_, i) => send(i, signedQuery('DescribeThings'))));
    assert.deepEqual(described.sort(), ['200', '200', '200', '200', '200', '400 Throttling', '400 Throttling']);
    // A replay on the other client.
    const query = signedQuery('DescribeThings', {}, 'ak-2');
    assert.equal(await send(0, query), '200');
    assert.equal(await send(1, query), '400 SignatureNonceUsed');
    // One ClientToken, five concurrent requests over both clients (within ak-2's limits): one run.
    const token = `tok-${randomUUID()}`;
    const creates = await Promise.all(Array.from({ length: 5 }, (_, i) => send(i, signedQuery('CreateThing', { ClientToken: token, Name: 'x' }, 'ak-2'))));
    assert.equal(runs, 1);
    for (const outcome of creates) assert.ok(['200', '403 LastTokenProcessing'].includes(outcome), outcome);
    // Per caller: ak-1 took 7 points of its 8 (throttled requests count too): one more passes the
    // caller's total but not DescribeThings' 5; the next is over both.
    assert.equal(await send(0, signedQuery('CreateThing', { Name: 'y' })), '200');
    assert.equal(await send(1, signedQuery('CreateThing', { Name: 'z' })), '400 Throttling');
  });
}
