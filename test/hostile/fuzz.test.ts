/**
 * Fuzzing the running ECS example API (Koa and Express) with requests from the grammar in
 * grammar.ts: whatever is sent, the answer is a well-formed envelope, never a 5xx, never a leak,
 * never a reported server bug. A failure prints fast-check's seed and path; rerun one with
 * `FUZZ_SEED=<seed> npm run -s test:one -- test/hostile/fuzz.test.ts`. `FUZZ_RUNS` (default 300
 * per framework) raises the bound for a longer campaign.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toRawRequest } from './case.js';
import { fuzzRequest, toHostileRequest } from './grammar.js';
import { rawExchange } from './raw-client.js';
import { packageReports } from './run-case.js';
import { FRAMEWORKS, startHostileService, type HostileService } from './service.js';
import { judgeAnyAnswer, readEnvelope } from './verdict.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe('hostile fuzzing (fast-check)', function () {
  this.timeout(120_000);

  for (const framework of FRAMEWORKS) {
    describe(`on ${framework}`, () => {
      let service: HostileService;
      /** What the generated requests reached: `<status> <code>` → count (printed, to show depth). */
      const seen = new Map<string, number>();
      before(async () => {
        service = await startHostileService(framework);
      });
      after(async () => {
        await service?.close();
        const top = [...seen].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`);
        console.log(`      fuzz on ${framework}, answers by status and code: ${top.join(', ')}`);
      });

      it(`${RUNS} generated requests: every answer a well-formed envelope, no 5xx, no leak, nothing reported`, async () => {
        let answered = 0;
        await fc.assert(
          fc.asyncProperty(fuzzRequest, async (fuzz) => {
            const raw = toRawRequest(toHostileRequest(fuzz), service.port);
            const outcome = await rawExchange(service.port, raw);
            const problems = judgeAnyAnswer(outcome, { method: raw.method, forgedRequestIds: [] });
            if (problems.length === 0 && outcome.kind === 'response') {
              const key = raw.method === 'HEAD' ? 'HEAD' : `${outcome.response.status} ${readEnvelope(outcome.response, raw.method).code ?? 'success'}`;
              seen.set(key, (seen.get(key) ?? 0) + 1);
            }
            await service.idle();
            const bugs = packageReports(service).map((err) => err.stack ?? err.message);
            service.reported.length = 0;
            assert.deepEqual([...problems, ...bugs], [], `${raw.method} ${raw.target.slice(0, 300)}`);
            answered++;
          }),
          { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: false },
        );
        assert.equal(answered >= RUNS, true);
      });
    });
  }
});
