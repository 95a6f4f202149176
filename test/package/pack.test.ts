/**
 * `npm pack` (and so `npm publish`, and installing from git, which runs `prepare`) builds dist/
 * first and ships it: a package without dist/ would install but not load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('npm pack', function () {
  this.timeout(240_000);

  it('runs the build (prepare) and lists the entry points and declarations of dist/', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.equal(scripts.prepare, 'tsup');
    const result = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Build success/, 'prepare ran the build');
    // The JSON report follows the build's output.
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('[\n'))) as Array<{ files: Array<{ path: string }> }>;
    const files = new Set(report[0]?.files.map((file) => file.path));
    for (const name of ['dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts', 'dist/express.js', 'dist/express.mjs', 'dist/express.d.ts', 'dist/express.d.mts', 'package.json', 'README.md', 'LICENSE']) {
      assert.ok(files.has(name), `${name} is packed`);
    }
    assert.ok(![...files].some((name) => name.startsWith('lib/') || name.startsWith('test/')), 'sources and tests are not packed');
  });
});
