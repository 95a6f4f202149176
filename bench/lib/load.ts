/**
 * Driving a contestant with autocannon on loopback, and probing it once before measuring.
 */
import { request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import type { BenchRequest, Contestant } from './scenario.js';

/** Load settings of one run. */
export interface LoadSettings {
  readonly seconds: number;
  readonly connections: number;
  /** Fixed overall request rate (req/s) instead of as fast as possible; undefined = unlimited. */
  readonly rate?: number | undefined;
}

/** What one autocannon run measured. */
export interface LoadResult {
  /** Completed requests divided by the run's wall time. */
  readonly reqPerSec: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly wallSeconds: number;
}

function toAutocannonRequest(req: BenchRequest): autocannon.Request {
  const out: autocannon.Request = { method: req.method ?? 'GET', path: req.path };
  if (req.headers !== undefined) out.headers = { ...req.headers };
  if (req.body !== undefined) out.body = req.body;
  return out;
}

/**
 * Load `contestant` on 127.0.0.1:`port` for `settings.seconds` with `settings.connections` connections.
 *
 * @example
 * const result = await runLoad(contestant, 43210, { seconds: 5, connections: 10 });
 */
export async function runLoad(contestant: Contestant, port: number, settings: LoadSettings): Promise<LoadResult> {
  const base = toAutocannonRequest(contestant.request);
  const next = contestant.nextRequest;
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${port}`,
    connections: settings.connections,
    duration: settings.seconds,
    pipelining: 1,
    ...(settings.rate === undefined ? {} : { overallRate: settings.rate }),
    requests: [next === undefined ? base : { ...base, setupRequest: () => toAutocannonRequest(next()) }],
  };
  const started = process.hrtime.bigint();
  const result = await autocannon(options);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const measured = (result.finish.getTime() - result.start.getTime()) / 1000 || wallSeconds;
  return {
    reqPerSec: result.requests.total / measured,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    wallSeconds: measured,
  };
}

/** One response read in full. */
export interface ProbeResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/**
 * Send the contestant's request once and read the whole response.
 *
 * @example
 * const { status, body } = await probe(contestant.request, port);
 */
export function probe(req: BenchRequest, port: number): Promise<ProbeResponse> {
  return new Promise<ProbeResponse>((resolve, reject) => {
    const r = httpRequest(
      { host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.path, headers: req.headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error('probe timed out')));
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * Why a probe response is not what the contestant expects, or undefined when it is.
 *
 * @example
 * const problem = checkProbe(contestant, await probe(contestant.request, port));
 */
export function checkProbe(contestant: Contestant, res: ProbeResponse): string | undefined {
  const expect = contestant.expect ?? {};
  const status = expect.status ?? 200;
  if (res.status !== status) return `status ${res.status}, expected ${status}: ${res.body.subarray(0, 200).toString('utf8')}`;
  if (expect.contentType !== undefined && res.contentType !== expect.contentType) {
    return `content-type ${String(res.contentType)}, expected ${expect.contentType}`;
  }
  return expect.check?.(res.body);
}
