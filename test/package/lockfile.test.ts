/**
 * The committed package-lock.json is what `npm install` writes: its root entry mirrors
 * package.json field for field. (It once lacked the optional `express` peer, so `npm install` on a
 * fresh clone rewrote the lock.) Offline: npm itself is not run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(root, name), 'utf8')) as Record<string, unknown>;

describe('package-lock.json', () => {
  const manifest = read('package.json');
  const lock = read('package-lock.json') as { name: string; version: string; lockfileVersion: number; packages: Record<string, Record<string, unknown>> };
  const entry = lock.packages[''] ?? {};

  it('names the package and version of package.json, lockfile version 3', () => {
    assert.equal(lock.name, manifest.name);
    assert.equal(lock.version, manifest.version);
    assert.equal(lock.lockfileVersion, 3);
  });

  for (const field of ['name', 'version', 'license', 'dependencies', 'devDependencies', 'peerDependencies', 'peerDependenciesMeta', 'engines']) {
    it(`root entry: ${field} as in package.json`, () => {
      assert.deepEqual(entry[field], manifest[field]);
    });
  }

  it('locks every dependency and devDependency', () => {
    const all = { ...(manifest.dependencies as object), ...(manifest.devDependencies as object) };
    for (const name of Object.keys(all)) assert.ok(lock.packages[`node_modules/${name}`] !== undefined, `${name} is locked`);
  });
});
