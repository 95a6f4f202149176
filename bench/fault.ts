/**
 * `npm run faulttest`: the Redis fault campaign (bench/campaign/fault-run.ts) with a report.
 *
 *   npx tsx bench/fault.ts                         # 60 s, 300 req/s, Koa
 *   FAULT_SECONDS=30 FAULT_FRAMEWORK=express npx tsx bench/fault.ts
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `FAULT_SECONDS` | 60 | length of the run; faults at 15 % (kill), 30 % (restart), 50 % (graceful restart), 70-80 % (pause) |
 * | `FAULT_RATE` | 300 | overall requests per second |
 * | `FAULT_CONNECTIONS` | 16 | autocannon connections |
 * | `FAULT_FRAMEWORK` | `koa` | `koa` or `express` (comma-separated: one run each) |
 *
 * Exit status 1 when a response was not a well-formed envelope, a ClientToken was accepted twice,
 * a server bug was reported, or the service did not recover after a fault.
 */
import { runFaultCampaign, type FaultCampaignResult } from './campaign/fault-run.js';

const SECONDS = Number(process.env.FAULT_SECONDS ?? 60);
const RATE = Number(process.env.FAULT_RATE ?? 300);
const CONNECTIONS = Number(process.env.FAULT_CONNECTIONS ?? 16);
const FRAMEWORKS = (process.env.FAULT_FRAMEWORK ?? 'koa').split(',').map((f) => f.trim()) as ('koa' | 'express')[];

function print(framework: string, r: FaultCampaignResult): boolean {
  console.log(`\n${framework}: ${r.requests} responses; not well-formed envelopes: ${r.notEnvelope}; connection errors/timeouts: ${r.connectionErrors}; server bugs reported: ${r.serverBugs}`);
  console.log(`  statuses: ${Object.entries(r.statuses).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  for (const w of r.windows) {
    const during = Object.entries(w.statusesDuring).map(([k, n]) => `${k}×${n}`).join(' ');
    const recovered = w.firstSuccessAfterMs === undefined ? 'NOT RECOVERED' : `first success ${w.firstSuccessAfterMs} ms after, last 503 ${w.last503AfterMs} ms after`;
    console.log(`  ${w.fault.padEnd(16)} ${((w.liftedAt - w.injectedAt) / 1000).toFixed(1)} s down [${during}]; lifted → ${recovered}`);
  }
  console.log(`  ClientTokens: ${r.tokensAccepted} accepted, ${r.tokenRetries} retries sent; answered with two different InstanceIds: ${r.tokensWithTwoIds}`);
  console.log(
    `  final Redis: ${r.finalInstances} instances; tokens that created two: ${r.tokensExecutedTwice}; created for a request answered only with errors: ${r.createdNotAcknowledged}; ` +
      `created by requests still in flight when the load stopped: ${r.inFlightAtEnd}`,
  );
  for (const line of r.unacknowledged) console.log(`    unacknowledged: ${line}`);
  for (const example of r.examples) console.log(`  ! ${example}`);
  const recovered = r.windows.every((w) => w.firstSuccessAfterMs !== undefined);
  return r.notEnvelope === 0 && r.tokensWithTwoIds === 0 && r.tokensExecutedTwice === 0 && r.serverBugs === 0 && recovered;
}

async function main(): Promise<void> {
  let ok = true;
  for (const framework of FRAMEWORKS) {
    console.log(`Fault run on ${framework}: ${SECONDS} s at ${RATE} req/s, ${CONNECTIONS} connections`);
    const result = await runFaultCampaign({ seconds: SECONDS, rate: RATE, connections: CONNECTIONS, framework, log: (line) => console.log(`  ${line}`) });
    ok = print(framework, result) && ok;
  }
  console.log(ok ? '\nfaulttest: PASS' : '\nfaulttest: FAIL');
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
