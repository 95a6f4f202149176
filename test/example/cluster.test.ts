/**
 * `npm run start:cluster` for real: examples/ecs/cluster.ts as a child process with 2 workers on one
 * free port sharing a redis-server. Driven with pop-core over a new connection per request (so
 * node:cluster spreads them), using the `x-ecs-worker` header to pick requests answered by each
 * worker: what one worker did, the other sees. Without REDIS_URL it refuses to start.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signedUrl } from '../../examples/ecs/sign-url.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { DEMO, bodyOf, failureOf, httpGet, instancesOf, popCore, runScript, type FlatParams, type Outcome, type ScriptProcess, type SdkClient } from './support.js';

/** Attempts to reach a particular worker (round-robin makes it the next connection or the one after). */
const ATTEMPTS = 20;

function workerOf(outcome: Outcome): string {
  const worker = outcome.headers['x-ecs-worker'];
  assert.ok(typeof worker === 'string' && /^\d+$/.test(worker), `x-ecs-worker header: ${String(worker)}`);
  return worker;
}

describe('example/cluster: two workers sharing Redis behave as one service', () => {
  let redis: RedisServer;
  let cluster: ScriptProcess;
  let endpoint: string;
  let workers: string[];
  let client: SdkClient;

  /** Repeats a call (at most ATTEMPTS times) until a worker other than `not` answers it. */
  async function onAnotherWorker(not: string, action: string, params: FlatParams): Promise<Outcome> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const outcome = await client.call(action, params);
      if (workerOf(outcome) !== not) return outcome;
      // Answered by the same worker: only harmless (idempotent) calls are repeated here.
    }
    throw new Error(`no other worker than ${not} answered ${action} in ${ATTEMPTS} attempts`);
  }

  before(async function () {
    requireRedisServer(this);
    this.timeout(60_000);
    redis = await startRedisServer();
    cluster = runScript('cluster.ts', { REDIS_URL: redis.url, PORT: '0', WORKERS: '2' });
    const [, url] = await cluster.waitFor(/2 workers on (http:\/\/127\.0\.0\.1:\d+)\//, 45_000);
    endpoint = String(url);
    const [, first, second] = await cluster.waitFor(/Workers: (\d+), (\d+) /);
    workers = [String(first), String(second)];
    client = popCore('POST').client(endpoint, DEMO, { fresh: true });
  });
  after(async function () {
    this.timeout(30_000);
    if (cluster !== undefined) {
      const code = await cluster.stop();
      assert.equal(code, 0, `the cluster stops cleanly on SIGTERM\n${cluster.stderr()}`);
    }
    await redis?.stop();
  });

  it('prints the endpoint, the demo credentials and the two worker processes', () => {
    const out = cluster.stdout();
    assert.match(out, /state in Redis \(redis:\/\/127\.0\.0\.1:\d+\)/);
    assert.match(out, /AccessKeyId testid +AccessKeySecret testsecret +\(active\)/);
    assert.match(out, /AccessKeyId disabledid +AccessKeySecret disabledsecret +\(disabled\)/);
    assert.equal(new Set(workers).size, 2);
  });

  it('spreads new connections over both workers', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < ATTEMPTS && seen.size < 2; i++) seen.add(workerOf(await client.call('DescribeRegions')));
    assert.deepEqual([...seen].sort(), [...workers].sort());
  });

  it('an instance created on one worker is described, started, refused and deleted on the other', async () => {
    const created = await client.call('CreateInstance', { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', InstanceName: 'cluster 😀' });
    const creator = workerOf(created);
    const id = String(bodyOf(created, 'create').InstanceId);

    const described = await onAnotherWorker(creator, 'DescribeInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': id });
    assert.deepEqual(instancesOf(bodyOf(described, 'describe')).map((i) => [i.InstanceId, i.InstanceName, i.Status]), [[id, 'cluster 😀', 'Stopped']]);

    const started = await client.call('StartInstance', { InstanceId: id });
    bodyOf(started, 'start');
    const again = await onAnotherWorker(workerOf(started), 'StartInstance', { InstanceId: id });
    assert.equal(failureOf(again, 'start on the other worker').code, 'IncorrectInstanceStatus');
    assert.equal(failureOf(again, '').status, 403);

    bodyOf(await client.call('StopInstance', { InstanceId: id }), 'stop');
    const deleted = await client.call('DeleteInstance', { InstanceId: id });
    bodyOf(deleted, 'delete');
    const gone = await onAnotherWorker(workerOf(deleted), 'DeleteInstance', { InstanceId: id });
    assert.equal(failureOf(gone, 'delete on the other worker').code, 'InvalidInstanceId.NotFound');
  });

  it('a ClientToken retry answered by the other worker returns the same InstanceId', async () => {
    const params = { RegionId: 'cn-shanghai', InstanceType: 'ecs.g7.large', ClientToken: randomUUID() };
    const first = await client.call('CreateInstance', params);
    const retry = await onAnotherWorker(workerOf(first), 'CreateInstance', params);
    assert.equal(bodyOf(retry, 'retry').InstanceId, bodyOf(first, 'first').InstanceId);
  });

  it('a signed URL used on one worker is refused (SignatureNonceUsed) by whichever answers next', async () => {
    const url = signedUrl({ Action: 'DescribeRegions', Format: 'JSON' }, { endpoint, ...DEMO });
    const first = await httpGet(url);
    assert.equal(first.status, 200, first.text);
    const seen = new Set<string>([String(first.headers['x-ecs-worker'])]);
    for (let i = 0; i < ATTEMPTS && seen.size < 2; i++) {
      const replay = await httpGet(url);
      assert.equal(replay.status, 400);
      assert.equal((JSON.parse(replay.text) as { Code: string }).Code, 'SignatureNonceUsed');
      seen.add(String(replay.headers['x-ecs-worker']));
    }
    assert.equal(seen.size, 2, 'replays reached both workers');
  });

  it('replaces a worker that dies, and keeps serving', async function () {
    this.timeout(90_000); // a replacement worker compiles the example with tsx before it listens
    const victim = String(workers[0]);
    process.kill(Number(victim), 'SIGKILL');
    const seen = new Set<string>();
    for (let i = 0; i < 600 && seen.size < 2; i++) {
      try {
        seen.add(workerOf(await client.call('DescribeRegions')));
      } catch {
        // the connection may have gone to the dying worker
      }
      if (seen.size < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(seen.size, 2, 'two workers answer again');
    assert.ok(!seen.has(victim), 'the killed worker is not among them');
    assert.match(cluster.stderr(), new RegExp(`worker ${victim} exited \\(SIGKILL\\); starting a replacement`));
  });
});

describe('example/cluster: without REDIS_URL', () => {
  it('refuses to start and says why', async function () {
    this.timeout(30_000);
    const script = runScript('cluster.ts', { PORT: '0' });
    assert.equal(await script.exited(), 1);
    assert.match(script.stderr(), /REDIS_URL is not set/);
    assert.match(script.stderr(), /behave as one service/);
    assert.equal(script.stdout(), '');
  });
});
