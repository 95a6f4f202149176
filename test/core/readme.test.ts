import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readmeWithTable } from '../../scripts/catalogue-table.js';

describe('README', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

  it('shows the error catalogue exactly as the code defines it', () => {
    assert.equal(readme, readmeWithTable(readme), 'run: npx tsx scripts/catalogue-table.ts --write');
  });

  it('shows the two commands of the contract with a new user', () => {
    assert.ok(readme.includes('npm install && npm start'));
    assert.ok(readme.includes('npm install && npm test'));
  });
});
