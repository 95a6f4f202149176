/**
 * The hostile corpus against the example API on Koa and on Express: for every case a well-formed
 * envelope (or the documented transport-level outcome) with the expected status and code, nothing
 * leaked, nothing reported as a server bug, and the service still answering afterwards.
 */
import assert from 'node:assert/strict';
import { CORPUS } from './corpus.js';
import { runCase } from './run-case.js';
import { FRAMEWORKS, startHostileService, type HostileService } from './service.js';

describe('hostile corpus', () => {
  it('has at least 150 cases with distinct names', () => {
    assert.ok(CORPUS.length >= 150, `${CORPUS.length} cases`);
    const names = CORPUS.map((c) => `${c.group}: ${c.name}`);
    assert.equal(new Set(names).size, names.length, 'case names are unique');
  });

  for (const framework of FRAMEWORKS) {
    describe(`on ${framework}`, () => {
      let service: HostileService;
      const failures: string[] = [];
      /** Cases answered without an envelope (Node's bare status line, or anything else). */
      const bare: string[] = [];
      before(async () => {
        service = await startHostileService(framework);
      });
      after(async () => {
        await service?.close();
        const refused = CORPUS.filter((c) => !Array.isArray(c.expect) && 'code' in c.expect && c.expect.code?.startsWith('InvalidRequest.') === true).length;
        console.log(
          `      hostile corpus on ${framework}: ${CORPUS.length} cases (${refused} refused by Node's HTTP parser, answered as envelopes), ${bare.length} bare responses, ${failures.length} failed`,
        );
      });
      for (const testCase of CORPUS) {
        it(`${testCase.group}: ${testCase.name}`, async () => {
          const problems = await runCase(testCase, service);
          if (problems.length > 0) failures.push(testCase.name);
          if (problems.some((problem) => problem.startsWith('not a well-formed envelope'))) bare.push(testCase.name);
          assert.deepEqual(problems, [], problems.join('\n'));
        });
      }
    });
  }
});
