/**
 * The Redis fault campaign: the ECS example service (a child process, all state in one real
 * redis-server) under steady load while Redis is killed (SIGKILL) and restarted, restarted
 * gracefully, and paused (SIGSTOP) then resumed.
 *
 * Measured: every response is a well-formed envelope; statuses per phase; recovery time after each
 * fault is lifted (first success, and last ServiceUnavailable); and "nothing accepted twice": half
 * of the load is CreateInstance with ClientTokens that are retried (same parameters; every token
 * answered 503 is retried later, as an SDK retrying a 5xx would), and no token
 * may come back with two different InstanceIds, nor (in the Redis that survives to the end) have
 * created two instances.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { call, toRawRequest, type HostileRequest } from '../../test/hostile/case.js';
import { envelopeProblem } from './envelope-check.js';
import { startService } from './service-handle.js';

/** Options of {@link runFaultCampaign}. */
export interface FaultCampaignOptions {
  readonly seconds: number;
  /** Overall requests per second (autocannon `overallRate`). */
  readonly rate: number;
  readonly connections: number;
  readonly framework: 'koa' | 'express';
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** A fault and when it was lifted, in ms since the start. */
export interface FaultWindow {
  readonly fault: 'kill' | 'graceful restart' | 'pause';
  readonly injectedAt: number;
  readonly liftedAt: number;
  /** First success of a Redis-backed request answered after the lift, in ms after it. */
  readonly firstSuccessAfterMs: number | undefined;
  /** Last ServiceUnavailable answered after the lift, in ms after it (0: none). */
  readonly last503AfterMs: number;
  /** Statuses answered between injection and lift. */
  readonly statusesDuring: Readonly<Record<string, number>>;
}

/** What the campaign measured. */
export interface FaultCampaignResult {
  readonly requests: number;
  readonly notEnvelope: number;
  readonly connectionErrors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly windows: readonly FaultWindow[];
  /** Tokens acknowledged (200) at least once / retried at least once. */
  readonly tokensAccepted: number;
  readonly tokenRetries: number;
  /** Tokens answered with two different InstanceIds (must be 0). */
  readonly tokensWithTwoIds: number;
  /** In the final Redis: instances created, tokens that created more than one, instances never acknowledged. */
  readonly finalInstances: number;
  readonly tokensExecutedTwice: number;
  /** Instances whose every answer was an error (e.g. a create that timed out and was applied later). */
  readonly createdNotAcknowledged: number;
  /** Instances created by requests still unanswered when the load stopped. */
  readonly inFlightAtEnd: number;
  /** For each of those: the token and every answer it got (`<ms> <status> <code>`). */
  readonly unacknowledged: readonly string[];
  readonly serverBugs: number;
  readonly examples: readonly string[];
}

interface Sent {
  readonly kind: 'create' | 'describe';
  readonly token?: string;
}

const REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run the campaign (needs redis-server installed).
 *
 * @example
 * const result = await runFaultCampaign({ seconds: 60, rate: 300, connections: 16, framework: 'koa' });
 */
export async function runFaultCampaign(options: FaultCampaignOptions): Promise<FaultCampaignResult> {
  const log = options.log ?? (() => undefined);
  const redis: RedisServer = await startRedisServer();
  const service = await startService({ FRAMEWORK: options.framework, REDIS_URL: redis.url, ECS_THROTTLE_PER_SECOND: '1000000' });
  const started = Date.now();
  const now = () => Date.now() - started;

  // Tokens: no token may be retried across a Redis that lost its data (the retry would rightly
  // run again there). So before a kill or a restart the load goes quiet for DRAIN_MS (new tokens
  // are single-use, nothing in flight is retried), and a new epoch of tokens starts after it.
  let epoch = 0;
  /** Tokens of the current epoch that may be retried. */
  let recent: string[] = [];
  /** Tokens answered 503: retried later with the same parameters, as an SDK retrying a 5xx would. */
  let refused: string[] = [];
  let quiet = false;
  const newEpoch = () => {
    epoch++;
    recent = [];
    refused = [];
    quiet = false;
  };
  let retries = 0;
  const tokenRegion = new Map<string, string>();
  const idsByToken = new Map<string, Set<string>>();
  /** Every answer per token (`<ms> <status> <code>`), to explain what the final Redis holds. */
  const history = new Map<string, string[]>();
  const events: { at: number; status: number; kind: Sent['kind'] }[] = [];
  const statuses: Record<string, number> = {};
  const examples: string[] = [];
  let notEnvelope = 0;

  function nextToken(): string {
    if (!quiet && refused.length > 0 && Math.random() < 0.5) {
      retries++;
      return refused.shift() as string;
    }
    if (!quiet && recent.length > 0 && Math.random() < 0.5) {
      retries++;
      return recent[Math.floor(Math.random() * recent.length)] as string;
    }
    const token = `e${epoch}-${randomUUID()}`;
    tokenRegion.set(token, REGIONS[Math.floor(Math.random() * REGIONS.length)] as string);
    if (!quiet) recent = [...recent.slice(-49), token];
    return token;
  }

  function build(sent: Sent): HostileRequest {
    if (sent.kind === 'describe') return { query: call('DescribeRegions', ['Format', 'JSON']), sign: { version: 'V1' } };
    const token = sent.token as string;
    return {
      method: 'POST',
      query: call('CreateInstance', ['Format', 'JSON']),
      form: [['RegionId', tokenRegion.get(token) as string], ['InstanceType', 'ecs.g7.large'], ['ClientToken', token], ['Tag.1.Key', 'token'], ['Tag.1.Value', token]],
      sign: { version: 'V1' },
    };
  }

  const load = autocannon({
    url: `http://127.0.0.1:${service.port}`,
    connections: options.connections,
    overallRate: options.rate,
    duration: options.seconds,
    timeout: 20,
    requests: [
      {
        setupRequest: (request: autocannon.Request, context: object) => {
          const sent: Sent = Math.random() < 0.5 ? { kind: 'create', token: nextToken() } : { kind: 'describe' };
          (context as { sent?: Sent }).sent = sent;
          const raw = toRawRequest(build(sent), service.port);
          const headers: Record<string, string> = { host: `127.0.0.1:${service.port}` };
          for (const [name, value] of raw.headers) headers[name] = value;
          return { ...request, method: raw.method, path: raw.target, headers, ...(raw.body === undefined ? {} : { body: raw.body }) } as autocannon.Request;
        },
        onResponse: (status: number, body: string, context: object, headers: object | undefined) => {
          const sent = (context as { sent: Sent }).sent;
          events.push({ at: now(), status, kind: sent.kind });
          const problem = envelopeProblem(status, body, (headers ?? {}) as Record<string, unknown>);
          let code = 'success';
          if (problem !== undefined) {
            notEnvelope++;
            if (examples.length < 5) examples.push(`${problem}: ${body.slice(0, 200)}`);
          } else {
            const parsed = JSON.parse(body) as { Code?: string; InstanceId?: string };
            code = parsed.Code ?? 'success';
            if (sent.kind === 'create' && status === 200 && typeof parsed.InstanceId === 'string') {
              const ids = idsByToken.get(sent.token as string) ?? new Set<string>();
              ids.add(parsed.InstanceId);
              idsByToken.set(sent.token as string, ids);
            }
          }
          if (sent.kind === 'create') history.set(sent.token as string, [...(history.get(sent.token as string) ?? []), `${now()} ${status} ${code}`]);
          if (sent.kind === 'create' && status === 503 && (sent.token as string).startsWith(`e${epoch}-`) && refused.length < 1000) refused.push(sent.token as string);
          const key = `${status} ${code}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
        },
      },
    ],
  });

  const windows: { fault: FaultWindow['fault']; injectedAt: number; liftedAt: number }[] = [];
  const at = (fraction: number, beforeMs = 0) => sleep(Math.max(0, options.seconds * 1000 * fraction - beforeMs - now()));
  /** Longer than the service's Redis command timeout (1 s) plus a slow request's latency. */
  const DRAIN_MS = 2000;
  const schedule = (async () => {
    await at(0.15, DRAIN_MS);
    quiet = true;
    await at(0.15);
    let injectedAt = now();
    log(`${(injectedAt / 1000).toFixed(1)} s: SIGKILL redis-server`);
    await redis.kill('SIGKILL');
    newEpoch(); // the data is gone: tokens from now on are new
    await at(0.3);
    await redis.restart();
    windows.push({ fault: 'kill', injectedAt, liftedAt: now() });
    log(`${(now() / 1000).toFixed(1)} s: redis-server started again (empty)`);
    await at(0.5, DRAIN_MS);
    quiet = true;
    await at(0.5);
    injectedAt = now();
    log(`${(injectedAt / 1000).toFixed(1)} s: graceful restart (SIGTERM, start)`);
    await redis.restart();
    newEpoch();
    windows.push({ fault: 'graceful restart', injectedAt, liftedAt: now() });
    await at(0.7);
    newEpoch();
    injectedAt = now();
    log(`${(injectedAt / 1000).toFixed(1)} s: SIGSTOP redis-server`);
    redis.pause();
    await at(0.8);
    redis.resume();
    windows.push({ fault: 'pause', injectedAt, liftedAt: now() });
    log(`${(now() / 1000).toFixed(1)} s: SIGCONT redis-server`);
  })();

  const result = await load;
  await schedule;
  const final = await finalRedisState(redis.port, idsByToken, history);
  const sample = await service.sample();
  await service.stop();
  await redis.stop();

  const fault: FaultWindow[] = windows.map((w, i) => {
    const nextInjection = windows[i + 1]?.injectedAt ?? Number.POSITIVE_INFINITY;
    const after = events.filter((e) => e.at >= w.liftedAt && e.at < nextInjection);
    const firstSuccess = after.find((e) => e.status === 200);
    const last503 = after.filter((e) => e.status === 503).pop();
    const during: Record<string, number> = {};
    for (const e of events) if (e.at >= w.injectedAt && e.at < w.liftedAt) during[e.status] = (during[e.status] ?? 0) + 1;
    return { ...w, firstSuccessAfterMs: firstSuccess === undefined ? undefined : firstSuccess.at - w.liftedAt, last503AfterMs: last503 === undefined ? 0 : last503.at - w.liftedAt, statusesDuring: during };
  });
  return {
    requests: events.length,
    notEnvelope,
    connectionErrors: result.errors + result.timeouts,
    statuses,
    windows: fault,
    tokensAccepted: idsByToken.size,
    tokenRetries: retries,
    tokensWithTwoIds: [...idsByToken.values()].filter((ids) => ids.size > 1).length,
    ...final,
    serverBugs: sample.reportedBugs,
    examples,
  };
}

/** The instances in the Redis that survived to the end, grouped by the token tag they carry. */
async function finalRedisState(port: number, idsByToken: ReadonlyMap<string, ReadonlySet<string>>, history: ReadonlyMap<string, readonly string[]>) {
  const client = new Redis(port, '127.0.0.1');
  try {
    const byToken = new Map<string, string[]>();
    let cursor = '0';
    let instances = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      const [next, keys] = await client.scan(cursor, 'MATCH', 'ecs:instance:*', 'COUNT', 1000);
      for (const key of keys) {
        const attributes = await client.hget(key, 'attributes');
        if (attributes === null) continue;
        const parsed = JSON.parse(attributes) as { InstanceId: string; Tags: { Key: string; Value: string }[] };
        const token = parsed.Tags.find((tag) => tag.Key === 'token')?.Value ?? '';
        byToken.set(token, [...(byToken.get(token) ?? []), parsed.InstanceId]);
        instances++;
      }
      cursor = next;
      if (cursor === '0') break;
    }
    let createdNotAcknowledged = 0;
    let inFlightAtEnd = 0;
    const unacknowledged: string[] = [];
    for (const [token, ids] of byToken) {
      for (const id of ids) {
        if (idsByToken.get(token)?.has(id)) continue;
        const answers = history.get(token) ?? [];
        // No answer at all: the request was still in flight when the load stopped.
        if (answers.length === 0) inFlightAtEnd++;
        else {
          createdNotAcknowledged++;
          unacknowledged.push(`${token}: ${answers.join(', ')}`);
        }
      }
    }
    return {
      finalInstances: instances,
      tokensExecutedTwice: [...byToken.values()].filter((ids) => ids.length > 1).length,
      createdNotAcknowledged,
      inFlightAtEnd,
      unacknowledged,
    };
  } finally {
    client.disconnect();
  }
}
