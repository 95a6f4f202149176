/**
 * docs/rpc.md says what the code does: its main example is test/rpc/docs-example.ts verbatim (so it
 * compiles and runs here), and its tables of limits, common parameters, errors and the describe()
 * sample agree with the code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { CATALOGUE, createRpcApi, p } from '../../lib/index.js';
import { resolveEnvelopeOptions } from '../../lib/core/options.js';
import { COMMON_PARAMETERS, DEFAULT_MAX_LIST_INDEX, SILENTLY_ACCEPTED_PARAMETERS } from '../../lib/rpc/params/index.js';
import { app } from './docs-example.js';
import { expectError, readSuccess } from './api-support.js';

const doc = readFileSync(path.resolve(__dirname, '../../docs/rpc.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start !== -1, `section ${title}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? doc.length : end);
}

describe('docs/rpc.md', () => {
  it('shows test/rpc/docs-example.ts verbatim as its first example', () => {
    const source = readFileSync(path.resolve(__dirname, 'docs-example.ts'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
      .replace("'../../lib/index.js'", "'aliyun-openapi-middleware'")
      .trim();
    const block = /```ts\n([\s\S]*?)```/.exec(section('Declaring an API'))?.[1] ?? '';
    assert.equal(block.replace(/\napp\.listen\(3000\);\n$/, '').trim(), source);
  });

  describe('its example runs', () => {
    const server = app.callback();

    it('DescribeInstances with a repeat list', async () => {
      const res = await request(server).get('/?Action=DescribeInstances&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou&InstanceId.1=i-a&InstanceId.2=i-b');
      const view = readSuccess(res, 'JSON', 'DescribeInstances');
      assert.deepEqual(view.json, {
        RequestId: view.RequestId,
        TotalCount: 2,
        PageNumber: 1,
        PageSize: 10,
        Instances: {
          Instance: [
            { InstanceId: 'i-a', RegionId: 'cn-hangzhou', Status: 'Running' },
            { InstanceId: 'i-b', RegionId: 'cn-hangzhou', Status: 'Running' },
          ],
        },
      });
    });

    it('the MissingParameter "Tag.3.Key" of the curl sample', async () => {
      const res = await request(server).get('/?Action=DescribeInstances&Version=2014-05-26&RegionId=cn-hangzhou&Tag.3.Value=x');
      expectError(res, 400, 'MissingParameter', 'Tag.3.Key', 'XML');
    });

    it('StartInstance: an empty success, or the defined error', async () => {
      const ok = await request(server).post('/').type('form').send('Action=StartInstance&Version=2014-05-26&Format=JSON&InstanceId=i-a');
      const view = readSuccess(ok, 'JSON', 'StartInstance');
      assert.deepEqual(view.json, { RequestId: view.RequestId });
      const missing = await request(server).post('/').type('form').send('Action=StartInstance&Version=2014-05-26&Format=JSON&InstanceId=x');
      expectError(missing, 404, 'InvalidInstanceId.NotFound', undefined, 'JSON');
    });
  });

  it('states the code defaults of its limits', () => {
    const defaults = resolveEnvelopeOptions({});
    const limits = section('Limits and their defaults');
    assert.equal(defaults.bodyLimit, 1_048_576);
    assert.match(limits, /\| Form body size \| 1 MiB \(1 048 576 bytes\) \| `envelope\(\{ bodyLimit \}\)` \|/);
    assert.equal(defaults.bodyTimeoutMs, 30_000);
    assert.match(limits, /\| Time to receive a body \| 30 s \|/);
    assert.equal(defaults.maxParameters, 1000);
    assert.match(limits, /\| Parameters per request \(query and body together\) \| 1000 \|/);
    assert.equal(DEFAULT_MAX_LIST_INDEX, 1000);
    assert.match(limits, /\| Largest list index \(`Name\.N`\) \| 1000 \| `createRpcApi\(\{ maxListIndex \}\)` \|/);
  });

  it('lists exactly the common and the silently accepted parameters', () => {
    const text = section('Common parameters');
    const [common, silent] = text.split('\n\n').filter((paragraph) => paragraph.includes('`')).slice(0, 2) as [string, string];
    const names = (paragraph: string) => new Set([...paragraph.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]));
    assert.deepEqual(names(common), new Set(COMMON_PARAMETERS));
    assert.deepEqual(names(silent), new Set(SILENTLY_ACCEPTED_PARAMETERS));
  });

  it('gives each error of its table the catalogue status', () => {
    const rows = section('Errors')
      .split('\n')
      .filter((line) => /^\| .* \| `[A-Za-z.]+` \| \d{3} \|/.test(line));
    assert.ok(rows.length >= 15, `${rows.length} rows`);
    for (const row of rows) {
      const [, code, status] = /\| `([A-Za-z.]+)` \| (\d{3}) \|/.exec(row) as RegExpExecArray;
      const entry = CATALOGUE.find((e) => e.code === code);
      assert.ok(entry !== undefined, `${code} is in the catalogue`);
      assert.equal(entry.status, Number(status), row);
    }
  });

  it('shows describe() output as the code gives it', () => {
    const sample = /```json\n([\s\S]*?)```/.exec(section('Introspection'))?.[1] ?? '';
    const api = createRpcApi({ version: '2014-05-26' });
    api.action('DescribeInstances', {
      description: 'Lists instances.',
      params: {
        RegionId: p.string({ required: true }),
        PageSize: p.integer({ min: 1, max: 100, default: 10 }),
        Tag: p.list(p.struct({ Key: p.string({ required: true, maxLength: 128 }), Value: p.string() }), { maxItems: 20 }),
      },
      handler: () => undefined,
    });
    assert.deepEqual(JSON.parse(sample), api.describe());
  });
});
