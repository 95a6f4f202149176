/**
 * The built package loads from a plain Node project with `require` and with `import`, and ships
 * type declarations for both.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('package exports', function () {
  this.timeout(120_000);
  let project: string;

  before(function () {
    if (!existsSync(path.join(root, 'dist/index.js'))) {
      // `npm test` on a fresh clone: build first (CI builds before testing).
      execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    }
    project = mkdtempSync(path.join(tmpdir(), 'aom-consumer-'));
    mkdirSync(path.join(project, 'node_modules'));
    symlinkSync(root, path.join(project, 'node_modules', 'aliyun-openapi-middleware'), 'dir');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  function run(args: string[]): string {
    return execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' }).trim();
  }

  it('works with require()', () => {
    const out = run(['-e', "const m = require('aliyun-openapi-middleware'); console.log(typeof m.envelope, new m.errors.MissingParameter('Action').status)"]);
    assert.equal(out, 'function 400');
  });

  it('works with import', () => {
    const out = run(['--input-type=module', '-e', "import { envelope, errors, isApiError } from 'aliyun-openapi-middleware'; console.log(typeof envelope, isApiError(new errors.InvalidAction()))"]);
    assert.equal(out, 'function true');
  });

  it('ships type declarations for both', () => {
    assert.ok(existsSync(path.join(root, 'dist/index.d.ts')));
    assert.ok(existsSync(path.join(root, 'dist/index.d.mts')));
  });
});
