/**
 * A master of a real Redis Cluster (test/support/redis-cluster.ts) crashes (SIGKILL) under load
 * from two instances, each a Koa service on loopback with its own ioredis `Cluster` client; the
 * cluster promotes the replica by itself; the killed node is restarted and rejoins as a replica;
 * then the new master is killed in turn and the restarted node takes over.
 *
 * What is asserted is what docs/scaling.md §Failover promises, no more:
 * - every answer is a well-formed JSON envelope (`ask`) with an expected status and code, nothing
 *   is reported as a bug (500), and both instances serve again after each promotion;
 * - Redis replicates asynchronously, so writes acknowledged by the master just before it dies may
 *   be missing on the replica that replaces it. A probe measures exactly which: it pushes ids one
 *   at a time onto a list on the same master, and after the promotion the ids that survived tell
 *   from which moment on an acknowledged write may have been lost (every write acknowledged before
 *   the last surviving id was sent precedes it in the replication stream). Everything accepted
 *   before that moment is never accepted again: no nonce twice, no ClientToken run twice, no
 *   throttling point forgotten. What was accepted inside the window is counted and allowed, and
 *   the window's size is part of the failure message when anything else fails.
 *
 * The handlers count their runs in this process (not in Redis, which the crash may roll back).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import Koa from 'koa';
import { clientTokenGuard, createRpcApi, envelope, koaRpc, p, rateLimitThrottler, RedisStore, signatureAuthenticator, staticCredentials } from '../../lib/index.js';
import { tokenKey } from '../../lib/idempotency/token-key.js';
import { requireRedisCluster, startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { delay } from '../support/redis-server.js';
import { TWO_INSTANCE_KEYS, TWO_INSTANCE_VERSION } from '../support/two-instance-service.js';
import { ask, signedQuery, summary, type Answer } from '../support/two-instances.js';

const PREFIX = 'kill:';
const CALLER = 'ak-1';
/** Hash tag of the caller's nonces and counters: the slot whose master is killed. */
const TAG = `{ak:${CALLER}}`;
/** Limited: this many per 10 minutes (one window for the whole test). */
const LIMIT = 40;
const WORKERS = 4;
const TOKENS = 2_000;

/** This process's event clock: every handler run, answer and probe write gets the next number. */
let clock = 0;
const tick = (): number => ++clock;

/** What the handlers and guards saw, in this process. */
interface Ledger {
  /** Handler runs (their clock) per SignatureNonce. */
  readonly nonceRuns: Map<string, number[]>;
  /** Handler runs (their clock) per ClientToken. */
  readonly tokenRuns: Map<string, number[]>;
  /** Results that could not be stored (the reservation stays until `leaseMs`: retries get LastTokenProcessing). */
  storeResultProblems: number;
  /** Errors the apps reported as bugs (500). */
  readonly bugs: string[];
}

interface Service {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

function push(map: Map<string, number[]>, key: string, at: number): number {
  const list = map.get(key) ?? [];
  list.push(at);
  map.set(key, list);
  return list.length;
}

/** One instance: nonces, throttling (combined with the nonce) and ClientTokens in the cluster. */
async function startService(name: string, cluster: RedisCluster, ledger: Ledger): Promise<Service> {
  const client = new Cluster([...cluster.startupNodes], { scaleReads: 'master' });
  client.on('error', () => undefined);
  const store = new RedisStore({ client, prefix: PREFIX, commandTimeoutMs: 2_000 });
  const throttle = rateLimitThrottler({
    limit: { points: 1_000_000, durationSeconds: 600 },
    actions: { Limited: { points: LIMIT, durationSeconds: 600 } },
    redis: client,
    keyPrefix: `${PREFIX}throttle`,
    timeoutMs: 2_000,
  });
  const api = createRpcApi<Koa.Context>({
    version: TWO_INSTANCE_VERSION,
    authenticate: signatureAuthenticator({ credentials: staticCredentials(TWO_INSTANCE_KEYS), nonceStore: store, combineWithThrottle: throttle }),
    throttle,
    idempotency: clientTokenGuard({
      store,
      onError: (_error, info) => {
        if (info.phase === 'store-result') ledger.storeResultProblems++;
      },
    }),
  });
  const ran = (ctx: Koa.Context): { all: Record<string, unknown>; at: number } => {
    const all = (ctx.state.openapi?.params.all ?? {}) as Record<string, unknown>;
    const at = tick();
    push(ledger.nonceRuns, String(all.SignatureNonce), at);
    return { all, at };
  };
  for (const action of ['DescribeThings', 'Limited']) {
    api.action(action, {
      handler: (_params, ctx) => {
        ran(ctx);
        return { Instance: name };
      },
    });
  }
  api.action('CreateThing', {
    idempotent: true,
    params: { Name: p.string({ maxLength: 32 }) },
    handler: async (_params, ctx) => {
      const { all, at } = ran(ctx);
      const token = String(all.ClientToken);
      const run = push(ledger.tokenRuns, token, at);
      await delay(50);
      return { ThingId: `thing-${token}-${name}-${run}`, Instance: name, Run: run };
    },
  });
  const app = new Koa();
  app.silent = true;
  app.on('error', (err: Error & { status?: number }) => {
    if (err.status === undefined || err.status >= 500) ledger.bugs.push(`[${name}] ${err.stack ?? String(err)}`);
  });
  app.use(envelope({ hostId: `instance-${name}` }));
  app.use(koaRpc(api));
  const server = createServer(app.callback());
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.disconnect();
    },
  };
}

/**
 * Pushes 1, 2, 3… onto `key` on the node of `port` (the master about to be killed), one at a time
 * on its own connection, until stopped or the node is gone (at most 1,000,000).
 */
class ReplicationProbe {
  /** The clock when id `i` was sent. */
  readonly sentAt: number[] = [];
  acknowledged = 0;
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(
    port: number,
    readonly key: string,
  ) {
    const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null, commandTimeout: 2_000 });
    client.on('error', () => undefined);
    this.#done = (async () => {
      for (let id = 1; id <= 1_000_000 && !this.#stopped; id++) {
        this.sentAt[id] = tick();
        try {
          await client.rpush(key, String(id));
        } catch {
          break;
        }
        this.acknowledged = id;
      }
      client.disconnect();
    })();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    return this.#done;
  }

  /**
   * After the promotion: the ids the new master holds (a prefix 1..last, replication keeps the
   * order), how many acknowledged ids were lost, and the loss window: from the sending of the last
   * surviving id (anything acknowledged before it survived) to `until`.
   */
  async window(cluster: RedisCluster, until: number): Promise<LossWindow> {
    const client = new Cluster([...cluster.startupNodes]);
    client.on('error', () => undefined);
    try {
      const ids = (await client.lrange(this.key, 0, -1)).map(Number);
      const last = ids.length;
      assert.deepEqual(ids, Array.from({ length: last }, (_, i) => i + 1), 'the surviving probe ids are a prefix 1..n');
      return { from: last > 0 ? (this.sentAt[last] as number) : 0, until, acknowledged: this.acknowledged, survived: last, lost: Math.max(0, this.acknowledged - last) };
    } finally {
      client.disconnect();
    }
  }
}

/** Clock interval in which acknowledged writes to the killed master may have been lost. */
interface LossWindow {
  readonly from: number;
  readonly until: number;
  readonly acknowledged: number;
  readonly survived: number;
  readonly lost: number;
}

const started = Date.now();
const debug = (text: string): void => {
  if (process.env.CLUSTER_KILL_FIGURES === '1') console.log(`    [${Date.now() - started} ms] ${text}`);
};

const inWindow = (windows: readonly LossWindow[], at: number): boolean => windows.some((w) => at >= w.from && at <= w.until);

describe('two instances on a Redis Cluster whose master is killed (SIGKILL) under load, then restarted', function () {
  this.timeout(60_000);
  let cluster: RedisCluster;
  let services: Service[] = [];
  const ledger: Ledger = { nonceRuns: new Map(), tokenRuns: new Map(), storeResultProblems: 0, bugs: [] };

  before(async function () {
    this.timeout(60_000);
    requireRedisCluster(this);
    // A master unreachable for 1.5 s is failed over (the default 3 s would only make the test longer).
    cluster = await startRedisCluster({ nodeTimeoutMs: 1_500 });
    services = await Promise.all([startService('a', cluster, ledger), startService('b', cluster, ledger)]);
  });
  after(async () => {
    await Promise.all(services.map((s) => s.close()));
    await cluster?.stop();
  });

  it('only envelopes; nothing acknowledged before the loss window is accepted twice; service recovers after each promotion', async () => {
    const [a, b] = services as [Service, Service];
    const victim = await cluster.masterOf(`x${TAG}`);
    const tokens = await tokensOn(victim, TOKENS);

    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    const queries = new Map<string, string>(); // nonce -> query, to replay at the end
    const thingIds = new Map<string, Set<unknown>>(); // token -> ThingIds answered with 200
    const limitedAnswers: Array<{ at: number; outcome: string }> = [];
    const check = (what: string, answer: Answer, allowed: readonly string[]): string => {
      const outcome = summary(answer);
      outcomes.set(`${what} ${outcome}`, (outcomes.get(`${what} ${outcome}`) ?? 0) + 1);
      if (!allowed.includes(outcome)) unexpected.push(`${what}: ${outcome} ${JSON.stringify(answer.body)}`);
      return outcome;
    };
    const signed = (action: string, business: Record<string, string> = {}): string => {
      const nonce = randomUUID();
      const query = signedQuery(action, business, CALLER, nonce);
      queries.set(nonce, query);
      return query;
    };
    const create = async (service: Service, token: string, what: string): Promise<Answer> => {
      const answer = await ask(service, signed('CreateThing', { ClientToken: token, Name: 'web' }));
      check(what, answer, ['200', '403 LastTokenProcessing', '503 ServiceUnavailable']);
      if (answer.status === 200) thingIds.set(token, (thingIds.get(token) ?? new Set()).add(answer.body.ThingId));
      return answer;
    };

    let stop = false;
    let nextToken = 0;
    const used: string[] = [];
    const worker = async (w: number): Promise<void> => {
      // Bounded: at most 2,000 rounds per worker; the test sets `stop` after the second recovery.
      for (let round = 0; round < 2_000 && !stop; round++) {
        const [first, second] = (round + w) % 2 === 0 ? [a, b] : [b, a];
        // A signed request, then the same bytes on the other instance (a replay).
        const query = signed('DescribeThings');
        check('describe', await ask(first, query), ['200', '503 ServiceUnavailable']);
        check('replay', await ask(second, query), ['200', '400 SignatureNonceUsed', '503 ServiceUnavailable']);
        const limited = await ask(first, signed('Limited'));
        limitedAnswers.push({ at: tick(), outcome: check('limited', limited, ['200', '400 Throttling', '503 ServiceUnavailable']) });
        // One ClientToken (on the killed master's slots), sent to both instances at once.
        const token = tokens[nextToken++];
        if (token === undefined) continue;
        used.push(token);
        await Promise.all([create(first, token, 'create'), create(second, token, 'create')]);
      }
    };

    /** Both instances answer a fresh request with 200 (at most 100 tries, 100 ms apart). */
    const recovered = async (after: string): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const answers = await Promise.all([a, b].map((s) => ask(s, signed('DescribeThings'))));
        if (answers.every((x) => x.status === 200)) return;
        await delay(100);
      }
      assert.fail(`the instances did not serve again ${after}`);
    };

    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    // Bounded: until the Limited count is used up (at most 20 s), so that a lost count would show.
    for (let i = 0; i < 400 && limitedAnswers.filter((x) => x.outcome === '200').length < LIMIT; i++) await delay(50);

    // Exact while nothing fails: two instances, one count.
    const passedBeforeCrash = limitedAnswers.filter((x) => x.outcome === '200').length;
    assert.equal(passedBeforeCrash, LIMIT, 'Limited passed exactly its limit before the crash');

    const windows: LossWindow[] = [];
    const crash = async (port: number, n: number): Promise<number> => {
      const probe = new ReplicationProbe(port, `${PREFIX}probe:${TAG}:${n}`);
      // 50 concurrent requests with one ClientToken over both instances, straddling the crash.
      const token = tokens[nextToken++] as string;
      used.push(token);
      const burst = Promise.all(Array.from({ length: 50 }, (_, i) => create(i % 2 === 0 ? a : b, token, 'burst')));
      await delay(150);
      debug(`kill ${port}`);
      await cluster.kill(port);
      await probe.stop();
      await burst;
      debug(`killed; probe acknowledged ${probe.acknowledged}`);
      const promoted = await cluster.promoted(port);
      debug(`promoted ${promoted}`);
      windows.push(await probe.window(cluster, tick()));
      debug(`window ${JSON.stringify(windows.at(-1))}`);
      await recovered(`after the promotion of ${promoted}`);
      debug('recovered');
      return promoted;
    };

    debug(`limit used up: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    const master = await crash(victim, 1);
    await cluster.restart(victim); // rejoins as the replica of `master`, and copies its data
    debug('restarted');
    await delay(300);
    // The new master dies too: the restarted node takes over with the data it copied.
    assert.equal(await crash(master, 2), victim);
    await delay(300);
    stop = true;
    await load;
    debug('load done');

    // Every nonce that was accepted is refused now, on both instances (after two failovers and a resync).
    const ran = [...ledger.nonceRuns.keys()].filter((nonce) => queries.has(nonce));
    await inBatches(ran, 8, async (nonce, i) => {
      check('final replay', await ask(i % 2 === 0 ? a : b, queries.get(nonce) as string), ['400 SignatureNonceUsed', ...(inWindow(windows, ledger.nonceRuns.get(nonce)?.[0] ?? 0) ? ['200'] : [])]);
    });
    // Every token answers its one result (or LastTokenProcessing while a result that could not be stored holds it).
    await inBatches(used, 8, async (token, i) => {
      await create(i % 2 === 0 ? a : b, token, 'final create');
    });

    const figures = JSON.stringify({ windows, storeResultProblems: ledger.storeResultProblems, outcomes: Object.fromEntries([...outcomes].sort()) });
    assert.deepEqual(unexpected.slice(0, 5), [], figures);
    assert.deepEqual(ledger.bugs.slice(0, 3), [], figures);
    // Accepted twice: only what was first accepted inside a loss window.
    const twice = (runs: Map<string, number[]>): string[] => [...runs].filter(([, at]) => at.length > 1 && !inWindow(windows, at[0] as number)).map(([key]) => key);
    assert.deepEqual(twice(ledger.nonceRuns).map((nonce) => `${new URLSearchParams(queries.get(nonce)).get('Action')} ${new URLSearchParams(queries.get(nonce)).get('ClientToken')} runs at ${ledger.nonceRuns.get(nonce)?.join(',')}`), [], `nonces accepted twice: ${figures}`);
    assert.deepEqual(twice(ledger.tokenRuns), [], `ClientTokens run twice: ${figures}`);
    for (const [token, ids] of thingIds) assert.ok(ids.size === 1 || inWindow(windows, ledger.tokenRuns.get(token)?.[0] ?? 0), `${token}: ${[...ids].join(', ')}`);
    // Throttling: at most LIMIT passed, plus one per point counted inside a loss window.
    const passed = limitedAnswers.filter((x) => x.outcome === '200').length;
    const counted = limitedAnswers.filter((x) => x.outcome !== '503 ServiceUnavailable' && inWindow(windows, x.at)).length;
    assert.ok(passed >= LIMIT, `the Limited count was used up before the crash: ${passed}`);
    assert.ok(passed <= LIMIT + counted, `Limited passed ${passed} times (limit ${LIMIT}, ${counted} counted in a loss window): ${figures}`);
    if (process.env.CLUSTER_KILL_FIGURES === '1') console.log(`    figures: ${figures}`);
  });
});

/** `count` ClientTokens whose ClientToken key lives on the master of `port` (by CLUSTER KEYSLOT, one pipeline per batch). */
async function tokensOn(port: number, count: number): Promise<string[]> {
  const client = new Redis(port, '127.0.0.1');
  client.on('error', () => undefined);
  try {
    const ranges = (await client.call('CLUSTER', ['SLOTS'])) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
    const mine = ranges.filter((range) => Number(range[2][1]) === port);
    const tokens: string[] = [];
    // Bounded: about a third of the candidates qualify; at most 20 batches.
    for (let batch = 0; batch < 20 && tokens.length < count; batch++) {
      const candidates = Array.from({ length: count }, () => `k-${randomUUID()}`);
      const pipeline = client.pipeline();
      for (const token of candidates) pipeline.call('CLUSTER', 'KEYSLOT', tokenKey(`${PREFIX}ct:`, { accessKeyId: CALLER, signatureVersion: 'V1' }, 'CreateThing', token));
      const slots = ((await pipeline.exec()) ?? []).map(([, slot]) => Number(slot));
      candidates.forEach((token, i) => {
        const slot = slots[i] as number;
        if (tokens.length < count && mine.some(([from, to]) => slot >= from && slot <= to)) tokens.push(token);
      });
    }
    assert.equal(tokens.length, count);
    return tokens;
  } finally {
    client.disconnect();
  }
}

/** Runs `each` over `items`, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map((item, i) => each(item, start + i)));
  }
}
