/**
 * Lists every broken reference in the repository's comments and documents: a path that does not
 * exist, a `docs/<file>.md §<section>` citation whose heading is missing, a link to a missing
 * anchor. The rules are in scripts/references/check.ts; test/repo/references.test.ts runs this
 * check inside `npm test`.
 *
 *   npx tsx scripts/check-references.ts     print `file:line: problem` lines; exit 1 if any
 */
import path from 'node:path';
import { checkReferences, formatProblem } from './references/check.js';
import { loadRepo } from './references/repo.js';

if (require.main === module) {
  const problems = checkReferences(loadRepo(path.resolve(__dirname, '..')));
  for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
  process.stdout.write(`${problems.length} broken reference${problems.length === 1 ? '' : 's'}\n`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
