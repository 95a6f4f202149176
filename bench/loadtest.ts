/**
 * Load and soak runs against the ECS example service (a child process built exactly as `npm start`
 * builds it), with autocannon and the request mix of bench/campaign/mix.ts: formats, actions, valid
 * and invalid signatures, each request signed afresh. Every response body is parsed (JSON.parse or a
 * conformant XML parser) and checked against its kind's statuses.
 *
 *   npx tsx bench/loadtest.ts                      # 60 s on Koa
 *   LOADTEST_SECONDS=20 LOADTEST_FRAMEWORK=koa,express npx tsx bench/loadtest.ts
 *   LOADTEST_SOAK=1 npx tsx bench/loadtest.ts      # soak: ≥ 10 min and ≥ 1,000,000 distinct nonces (≤ 30 min)
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `LOADTEST_SECONDS` | 60 (soak: 600) | length of the run (soak: the least length) |
 * | `LOADTEST_FRAMEWORK` | `koa` | `koa`, `express`, or both comma-separated (one run each) |
 * | `LOADTEST_CONNECTIONS` | 16 | autocannon connections |
 * | `LOADTEST_SOAK` | unset | `1`: soak mode, memory sampled every chunk |
 * | `LOADTEST_NONCES` | 1000000 | soak: distinct valid nonces to send at least (bounded by `LOADTEST_MAX_SECONDS`) |
 * | `LOADTEST_MAX_SECONDS` | 3 × `LOADTEST_SECONDS` | soak: the longest run, nonce target reached or not |
 * | `LOADTEST_CHUNK_SECONDS` | 30 | soak: autocannon run length between memory samples |
 *
 * Exit status 1 when any response was not a well-formed envelope, had a status its kind does not
 * allow, errored or timed out, or when the service reported a server bug.
 */
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { cannonRequest, drawKind, MIX, type RequestKind } from './campaign/mix.js';
import { envelopeProblem } from './campaign/envelope-check.js';
import { startService, type ServiceHandle } from './campaign/service-handle.js';
import type { ServiceSample } from './campaign/ipc.js';

const SOAK = process.env.LOADTEST_SOAK === '1';
const SECONDS = Number(process.env.LOADTEST_SECONDS ?? (SOAK ? 600 : 60));
const FRAMEWORKS = (process.env.LOADTEST_FRAMEWORK ?? 'koa').split(',').map((f) => f.trim());
const CONNECTIONS = Number(process.env.LOADTEST_CONNECTIONS ?? 16);
const NONCE_TARGET = Number(process.env.LOADTEST_NONCES ?? 1_000_000);
const CHUNK_SECONDS = Number(process.env.LOADTEST_CHUNK_SECONDS ?? 30);
const MAX_SECONDS = Number(process.env.LOADTEST_MAX_SECONDS ?? 3 * SECONDS);

/** What the checks counted. */
interface Tally {
  responses: number;
  notEnvelope: number;
  unexpectedStatus: number;
  validNonces: number;
  readonly byKind: Map<string, Map<number, number>>;
  readonly examples: string[];
}

interface Chunk {
  readonly seconds: number;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly timeouts: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function newTally(): Tally {
  return { responses: 0, notEnvelope: 0, unexpectedStatus: 0, validNonces: 0, byKind: new Map(), examples: [] };
}

function record(tally: Tally, kind: RequestKind, status: number, body: string, headers: Record<string, unknown>): void {
  tally.responses++;
  const statuses = tally.byKind.get(kind.name) ?? new Map<number, number>();
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  tally.byKind.set(kind.name, statuses);
  const problem = envelopeProblem(status, body, headers);
  if (problem !== undefined) {
    tally.notEnvelope++;
    if (tally.examples.length < 5) tally.examples.push(`${kind.name}: ${problem}: ${body.slice(0, 200)}`);
  }
  if (!kind.statuses.includes(status)) {
    tally.unexpectedStatus++;
    if (tally.examples.length < 5) tally.examples.push(`${kind.name}: status ${status}: ${body.slice(0, 200)}`);
  }
}

async function runChunk(port: number, seconds: number, tally: Tally): Promise<Chunk> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request: autocannon.Request, context: object) => {
          const kind = drawKind();
          (context as { kind?: RequestKind }).kind = kind;
          if (kind.signed) tally.validNonces++;
          return { ...request, ...cannonRequest(kind, port) } as autocannon.Request;
        },
        onResponse: (status: number, body: string, context: object, headers: object | undefined) => {
          record(tally, (context as { kind: RequestKind }).kind, status, body, (headers ?? {}) as Record<string, unknown>);
        },
      },
    ],
  });
  return {
    seconds,
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function printSample(label: string, sample: ServiceSample, nonces: number): void {
  const store = sample.nonceEntries >= 0 ? `, nonce store ${sample.nonceEntries} entries (${sample.earlyEvictions} live nonces evicted)` : '';
  console.log(`  ${label.padEnd(12)} RSS ${mb(sample.rss).padStart(9)}  heap ${mb(sample.heapUsed).padStart(9)}  nonces sent ${String(nonces).padStart(9)}${store}`);
}

async function runFramework(framework: string): Promise<boolean> {
  const service: ServiceHandle = await startService({ FRAMEWORK: framework, ECS_THROTTLE_PER_SECOND: '1000000' });
  const tally = newTally();
  const chunks: Chunk[] = [];
  const samples: ServiceSample[] = [];
  try {
    console.log(`\n${SOAK ? 'Soak' : 'Load'} run on ${framework} (pid ${service.pid}, port ${service.port}), ${CONNECTIONS} connections`);
    const start = await service.sample();
    samples.push(start);
    printSample('start', start, 0);
    const started = Date.now();
    const generatorCpu = process.cpuUsage();
    const elapsed = () => (Date.now() - started) / 1000;
    if (!SOAK) {
      chunks.push(await runChunk(service.port, SECONDS, tally));
    } else {
      // Chunks until both the least length and the nonce target are reached, bounded by MAX_SECONDS.
      while (elapsed() + CHUNK_SECONDS <= MAX_SECONDS && (elapsed() < SECONDS || tally.validNonces < NONCE_TARGET)) {
        chunks.push(await runChunk(service.port, CHUNK_SECONDS, tally));
        const sample = await service.sample();
        samples.push(sample);
        printSample(`${Math.round(elapsed())} s`, sample, tally.validNonces);
      }
    }
    const end = await service.sample();
    samples.push(end);
    printSample('end', end, tally.validNonces);
    const generator = process.cpuUsage(generatorCpu);
    return report(framework, tally, chunks, samples, (generator.user + generator.system) / 1e6 / elapsed());
  } finally {
    await service.stop();
  }
}

function report(framework: string, tally: Tally, chunks: readonly Chunk[], samples: readonly ServiceSample[], generatorCores: number): boolean {
  const requests = chunks.reduce((sum, c) => sum + c.requests, 0);
  const seconds = chunks.reduce((sum, c) => sum + c.seconds, 0);
  const errors = chunks.reduce((sum, c) => sum + c.errors + c.timeouts, 0);
  const p50s = chunks.map((c) => c.p50).sort((a, b) => a - b);
  const p99 = Math.max(...chunks.map((c) => c.p99));
  const start = samples[0] as ServiceSample;
  const end = samples[samples.length - 1] as ServiceSample;
  console.log(`\n  ${framework}: ${requests} requests in ${seconds} s = ${(requests / seconds).toFixed(0)} req/s; latency p50 ${p50s[Math.floor(p50s.length / 2)]} ms, p99 ${p99} ms${chunks.length > 1 ? ' (worst chunk)' : ''}`);
  console.log(`  responses checked: ${tally.responses}; not well-formed envelopes: ${tally.notEnvelope}; unexpected statuses: ${tally.unexpectedStatus}; connection errors/timeouts: ${errors}; server bugs reported: ${end.reportedBugs}`);
  console.log(`  distinct valid nonces sent: ${tally.validNonces}; RSS ${mb(start.rss)} → ${mb(end.rss)}; heap ${mb(start.heapUsed)} → ${mb(end.heapUsed)}`);
  // Whether the service or the load generator was the bottleneck: the service's share of one core.
  const serviceShare = (((end.cpuMicros - start.cpuMicros) / 1e6 / seconds) * 100).toFixed(0);
  console.log(`  CPU: service ${serviceShare}% of one core, load generator ${(generatorCores * 100).toFixed(0)}% (it signs every request and parses every response); ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (samples.length > 3) {
    // "Flat after warm-up": from the first sample after warm-up (a third of the way in) to the end.
    const warm = samples[Math.floor(samples.length / 3)] as ServiceSample;
    console.log(`  after warm-up: heap ${mb(warm.heapUsed)} → ${mb(end.heapUsed)} (${(((end.heapUsed - warm.heapUsed) / warm.heapUsed) * 100).toFixed(1)}%), RSS ${mb(warm.rss)} → ${mb(end.rss)}`);
  }
  for (const kind of MIX) {
    const statuses = [...(tally.byKind.get(kind.name) ?? new Map<number, number>())].map(([status, n]) => `${status}×${n}`).join(' ');
    console.log(`    ${kind.name.padEnd(38)} ${statuses}`);
  }
  for (const example of tally.examples) console.log(`  ! ${example}`);
  return tally.notEnvelope === 0 && tally.unexpectedStatus === 0 && errors === 0 && end.reportedBugs === 0;
}

async function main(): Promise<void> {
  let ok = true;
  for (const framework of FRAMEWORKS) ok = (await runFramework(framework)) && ok;
  console.log(ok ? '\nloadtest: PASS' : '\nloadtest: FAIL');
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
