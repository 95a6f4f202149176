/**
 * Running one hostile case against a live service: setup requests, the request itself (replayed
 * when asked), the verdict, then proof that the service still answers and reported no server bug.
 */
import type { HostileCase, HostileRequest } from './case.js';
import { call, toRawRequest } from './case.js';
import { rawExchange, type RawOutcome, type RawRequest } from './raw-client.js';
import type { HostileService } from './service.js';
import { judge, readEnvelope } from './verdict.js';

/** Bound on one exchange; slow-client cases take about one body timeout. */
const EXCHANGE_TIMEOUT_MS = 5000;

const HEALTH: HostileRequest = { query: call('DescribeRegions'), sign: { version: 'V1' } };

function forgedIds(raw: RawRequest): string[] {
  const ids = raw.headers.filter(([name]) => /request-id|trace-id/i.test(name)).map(([, value]) => value);
  return [...ids, 'FORGED-REQUEST-ID'];
}

async function envelopeProblems(label: string, request: HostileRequest, port: number): Promise<string[]> {
  const raw = toRawRequest(request, port);
  const outcome = await rawExchange(port, raw, EXCHANGE_TIMEOUT_MS);
  if (outcome.kind !== 'response') return [`${label}: no response (${outcome.kind})`];
  try {
    readEnvelope(outcome.response, raw.method);
    return [];
  } catch (err) {
    return [`${label}: not an envelope (${(err as Error).message})`];
  }
}

/**
 * Errors the package reported as server bugs: they carry the RequestId it answered (Koa's own
 * connection errors do not).
 *
 * @example
 * assert.deepEqual(packageReports(service), []);
 */
export function packageReports(service: HostileService): Error[] {
  return service.reported.filter((err) => typeof (err as { requestId?: unknown }).requestId === 'string');
}

/**
 * Every problem seen while running `testCase` (empty: it passed).
 *
 * @example
 * assert.deepEqual(await runCase(testCase, service), []);
 */
export async function runCase(testCase: HostileCase, service: HostileService): Promise<string[]> {
  const { port } = service;
  const problems: string[] = [];
  for (const [index, setup] of (testCase.setup ?? []).entries()) problems.push(...(await envelopeProblems(`setup ${index + 1}`, setup, port)));
  const raw = toRawRequest(testCase.request, port);
  const times = testCase.request.times ?? 1;
  let outcome: RawOutcome | undefined;
  for (let i = 0; i < times; i++) {
    outcome = await rawExchange(port, raw, EXCHANGE_TIMEOUT_MS);
    if (i < times - 1 && outcome.kind !== 'response') problems.push(`send ${i + 1} of ${times}: no response`);
  }
  problems.push(...judge(outcome as RawOutcome, testCase.expect, { method: raw.method, forgedRequestIds: forgedIds(raw) }));
  await service.idle();
  problems.push(...(await envelopeProblems('health request afterwards', HEALTH, port)));
  const bugs = packageReports(service);
  if (bugs.length > 0) problems.push(`reported as server bugs: ${bugs.map((err) => err.stack ?? err.message).join('\n')}`);
  service.reported.length = 0;
  return problems;
}
