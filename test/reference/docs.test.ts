/**
 * docs/reference.md says what the code does: its first example is test/reference/docs-example.ts
 * verbatim (so it compiles), and what it says of that example holds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE_REQUEST_ID } from '../../lib/index.js';
import { api } from './docs-example.js';

const doc = readFileSync(path.resolve(__dirname, '../../docs/reference.md'), 'utf8');

describe('docs/reference.md', () => {
  it('shows test/reference/docs-example.ts verbatim as its first example', () => {
    const source = readFileSync(path.resolve(__dirname, 'docs-example.ts'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
      .replace("'../../lib/index.js'", "'aliyun-openapi-middleware'")
      .replace(/\nexport \{ api \};\n$/, '\n')
      .trim();
    const block = /```ts\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    assert.equal(block.trim(), source);
  });

  it('its example gives the flattened fields, errors and samples the document describes', () => {
    const [describe, start] = api.reference().actions;
    assert.ok(describe !== undefined && start !== undefined);
    assert.deepEqual(describe.response.map((f) => f.name), ['TotalCount', 'Instances', 'Instances.Instance', 'Instances.Instance.N', 'Instances.Instance.N.InstanceId', 'Instances.Instance.N.Status', 'Instances.Instance.N.CreationTime']);
    assert.deepEqual(describe.errors.map((e) => e.code), ['InvalidInstanceId.NotFound', 'InvalidParameter']);
    assert.equal(
      describe.examples.xml,
      `<?xml version="1.0" encoding="UTF-8"?><DescribeInstancesResponse><RequestId>${SAMPLE_REQUEST_ID}</RequestId><TotalCount>1</TotalCount><Instances><Instance><InstanceId>i-bp67acfmxazb4ph1qx2y</InstanceId><Status>Running</Status><CreationTime>2026-01-01T00:00:00Z</CreationTime></Instance></Instances></DescribeInstancesResponse>`,
    );
    assert.ok(doc.includes(SAMPLE_REQUEST_ID));
    assert.deepEqual(start.response, []);
    assert.deepEqual(Object.keys(api.openapi({ title: 'x' }).paths), ['/#Action=DescribeInstances', '/#Action=StartInstance']);
  });
});
