/**
 * A reply lost on the way back: Redis ran the command, then the connection dropped before the
 * reply reached the client (a master killed just after a write, a network blip). ioredis resends
 * the commands a dropped connection left unanswered once it has reconnected
 * (`autoResendUnfulfilledCommands`, on by default; a `Cluster` retries them after a failover), so the
 * command runs a second time. A loopback TCP proxy in front of a real redis-server drops exactly
 * one reply, deterministically.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import Koa from 'koa';
import request from 'supertest';
import { clientTokenGuard, createRpcApi, envelope, koaRpc, rateLimitThrottler, RedisStore, signatureAuthenticator, staticCredentials } from '../../lib/index.js';
import { readError } from '../support/http.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { TWO_INSTANCE_KEYS, TWO_INSTANCE_VERSION } from '../support/two-instance-service.js';
import { signedQuery } from '../support/two-instances.js';

/** A TCP proxy to `port` that can drop the next reply: it closes both sides instead of forwarding it. */
interface LossyProxy {
  readonly port: number;
  /**
   * The `nth` next reply from Redis (default: the next; one chunk per reply while one command is in
   * flight at a time) is not forwarded: both connections are closed instead.
   */
  dropNextReply(nth?: number): void;
  close(): Promise<void>;
}

async function lossyProxy(port: number): Promise<LossyProxy> {
  let drop = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (drop > 0 && --drop === 0) {
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    dropNextReply(nth = 1) {
      drop = nth;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a Redis reply lost after the command ran (ioredis resends it)', function () {
  let server: RedisServer;
  let proxy: LossyProxy;
  let client: Redis;

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
    proxy = await lossyProxy(server.port);
    client = new Redis(proxy.port, '127.0.0.1');
    client.on('error', () => undefined);
    await client.ping();
  });
  after(async () => {
    client?.disconnect();
    await proxy?.close();
    await server?.stop();
  });

  /** A signed service on `client`: nonces in a RedisStore, recorded with the throttling count when `combine`. */
  const service = (combine: boolean, prefix = `lost-${randomUUID()}:`): { callback: ReturnType<Koa['callback']>; runs: () => number } => {
    const store = new RedisStore({ client, prefix, commandTimeoutMs: 2_000 });
    const throttle = rateLimitThrottler({ limit: { points: 1_000, durationSeconds: 60 }, redis: client, keyPrefix: `lost-${randomUUID()}:throttle`, timeoutMs: 2_000 });
    const api = createRpcApi<Koa.Context>({
      version: TWO_INSTANCE_VERSION,
      authenticate: signatureAuthenticator({ credentials: staticCredentials(TWO_INSTANCE_KEYS), nonceStore: store, ...(combine ? { combineWithThrottle: throttle } : {}) }),
      throttle,
      idempotency: clientTokenGuard({ store }),
    });
    let runs = 0;
    api.action('DescribeThings', { handler: () => ({ Run: ++runs }) });
    api.action('CreateThing', { idempotent: true, handler: () => ({ Run: ++runs }) });
    const app = new Koa();
    app.silent = true;
    app.use(envelope());
    app.use(koaRpc(api));
    return { callback: app.callback(), runs: () => runs };
  };

  /** Sends `warm` normally (scripts cached, connection idle), then `lost` with its `nth` reply from Redis dropped. */
  const withLostReply = async (callback: ReturnType<Koa['callback']>, warm: string, lost: string, nth = 1): Promise<string> => {
    assert.equal((await request(callback).get(`/?${warm}`)).status, 200);
    proxy.dropNextReply(nth);
    const res = await request(callback).get(`/?${lost}`);
    return res.status === 200 ? '200' : `${res.status} ${readError(res).Code}`;
  };

  // Fixed in lib/throttle/redis-count-script.ts (countScript): a nonce already holding this claim's
  // own value is the script's own earlier run, not a replay.
  it('combined with the throttling count: a fresh signed request whose script reply was lost is served (200) or refused as retryable (503), never as a replay', async () => {
    const { callback, runs } = service(true);
    const outcome = await withLostReply(callback, signedQuery('DescribeThings'), signedQuery('DescribeThings'));
    assert.ok(['200', '503 ServiceUnavailable'].includes(outcome), `a fresh request answered ${outcome}`);
    assert.equal(runs(), outcome === '200' ? 2 : 1);
  });

  // The check above relies on claim values unique to the claim: two guards of one process (two APIs,
  // or two instances in one process) number their claims from one counter (lib/auth/nonce-guard.ts).
  it('two guards in one process on one store: a nonce served by one is a replay for the other (their claims never share a value)', async () => {
    const prefix = `shared-${randomUUID()}:`;
    const [first, second] = [service(true, prefix), service(true, prefix)];
    for (let i = 0; i < 3; i++) {
      const query = signedQuery('DescribeThings');
      assert.equal((await request(first.callback).get(`/?${query}`)).status, 200);
      const replay = await request(second.callback).get(`/?${query}`);
      assert.equal(replay.status === 200 ? '200 (accepted twice)' : `${replay.status} ${readError(replay).Code}`, '400 SignatureNonceUsed');
    }
    assert.deepEqual([first.runs(), second.runs()], [3, 0]);
  });

  // The `SET NX PX` resent by ioredis finds the token its first run wrote: NonceGuard passes
  // `{ uniqueValue: true }` (its tokens are unique), so RedisStore.setIfAbsent reads the entry back
  // and takes its own token for its own write, instead of SignatureNonceUsed (400, not retried by SDKs).
  it('nonce recorded alone (setIfAbsent): a fresh signed request whose SET reply was lost is served (200) or refused as retryable (503), never as a replay', async () => {
    const { callback, runs } = service(false);
    const outcome = await withLostReply(callback, signedQuery('DescribeThings'), signedQuery('DescribeThings'));
    assert.ok(['200', '503 ServiceUnavailable'].includes(outcome), `a fresh request answered ${outcome}`);
    assert.equal(runs(), outcome === '200' ? 2 : 1);
  });

  // Same cause: the resent reservation finds its own pending entry. Its owner is unique to the call
  // and passed with `{ uniqueValue: true }`, so the call holds the reservation instead of answering
  // LastTokenProcessing (403) to itself and blocking the token until leaseMs (30 s).
  it('a fresh ClientToken whose reservation reply was lost runs (200) or is refused as retryable (503), not LastTokenProcessing', async () => {
    const { callback, runs } = service(true);
    const warm = signedQuery('CreateThing', { ClientToken: randomUUID() });
    // Reply 1: the nonce and count script; reply 2: the reservation (SET NX).
    const outcome = await withLostReply(callback, warm, signedQuery('CreateThing', { ClientToken: randomUUID() }), 2);
    assert.ok(['200', '503 ServiceUnavailable'].includes(outcome), `a fresh ClientToken answered ${outcome}`);
    assert.equal(runs(), outcome === '200' ? 2 : 1);
  });
});
