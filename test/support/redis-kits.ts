/**
 * The two Redis client libraries, made and closed the same way, for the throttling and
 * ClientToken tests that run against both (ioredis and node-redis).
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { RedisClientLike } from '../../lib/index.js';

/** How a test makes, queries and closes clients of one library. */
export interface RedisKit {
  readonly library: 'ioredis' | 'node-redis';
  /** A client of redis://127.0.0.1:`port`, connected (ready). */
  connect(port: number): Promise<RedisClientLike>;
  /** A client that has been told to connect, without waiting for it. */
  open(port: number): RedisClientLike;
  /** A raw command, for assertions about what is in Redis. */
  raw(client: RedisClientLike, command: string, args: string[]): Promise<unknown>;
  close(client: RedisClientLike): Promise<void>;
}

export const ioredisKit: RedisKit = {
  library: 'ioredis',
  async connect(port) {
    const client = new Redis(port, '127.0.0.1');
    await client.ping();
    return client;
  },
  open(port) {
    return new Redis(port, '127.0.0.1');
  },
  raw(client, command, args) {
    return (client as Redis).call(command, args);
  },
  async close(client) {
    (client as Redis).disconnect();
  },
};

type NodeRedis = ReturnType<typeof createClient>;

export const nodeRedisKit: RedisKit = {
  library: 'node-redis',
  async connect(port) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on('error', () => undefined);
    await client.connect();
    return client as unknown as RedisClientLike;
  },
  open(port) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
    return client as unknown as RedisClientLike;
  },
  raw(client, command, args) {
    return (client as unknown as NodeRedis).sendCommand([command, ...args]);
  },
  async close(client) {
    const c = client as unknown as NodeRedis;
    if (c.isOpen) c.destroy();
  },
};

export const REDIS_KITS: readonly RedisKit[] = [ioredisKit, nodeRedisKit];

/** Calls `attempt` every 100 ms until it returns true, at most `tries` times (bounded polling). */
export async function eventually(what: string, attempt: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await attempt()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${tries} tries`);
}
