/**
 * docs/express.md says what the code does: its first example is test/express/docs-example.ts
 * verbatim (so it compiles and runs here), the names it says the Express entry exports are
 * exported, and the files it cites exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import * as expressEntry from '../../lib/express/index.js';
import { app } from './docs-example.js';
import { listen, rawExchange } from './raw-http.js';
import { v1Request } from './signing.js';
import { JSON_TYPE, readError } from '../support/http.js';

const root = path.resolve(__dirname, '../..');
const doc = readFileSync(path.join(root, 'docs/express.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start !== -1, `section ${title}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? doc.length : end);
}

describe('docs/express.md', () => {
  it('shows test/express/docs-example.ts verbatim as its first example', () => {
    const source = readFileSync(path.join(__dirname, 'docs-example.ts'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
      .replace("'../../lib/express/index.js'", "'aliyun-openapi-middleware/express'")
      .trim();
    const block = /```ts\n([\s\S]*?)```/.exec(section('Quick start: an RPC API'))?.[1] ?? '';
    assert.equal(block.replace(/\napp\.listen\(3000\);\n$/, '').trim(), source);
  });

  it('the names it lists are exported by the Express entry', () => {
    const names = ['envelope', 'handle', 'sendData', 'errorHandler', 'openapiState', 'expressRpc', 'authenticate', 'createRpcApi', 'p', 'signatureAuthenticator', 'staticCredentials', 'rateLimitThrottler', 'clientTokenGuard', 'MemoryStore', 'RedisStore', 'errors', 'defineError'];
    for (const name of names) {
      assert.ok(doc.includes(`\`${name}`), `the doc mentions ${name}`);
      assert.notEqual((expressEntry as Record<string, unknown>)[name], undefined, `${name} is exported`);
    }
  });

  it('the files it cites exist', () => {
    const cited = [...doc.matchAll(/`((?:test|examples|docs)\/[\w./-]+\.(?:ts|md))`/g)].map((m) => m[1] as string);
    assert.ok(cited.length >= 4);
    for (const file of cited) assert.ok(existsSync(path.join(root, file)), file);
  });

  describe('its example runs', () => {
    const secret = process.env.SECRET ?? 'dev-secret';

    it('DescribeRegions (anonymous), in JSON', async () => {
      const res = await request(app).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON');
      assert.equal(res.headers['content-type'], JSON_TYPE);
      const body = JSON.parse(res.text) as Record<string, unknown>;
      assert.deepEqual(body, { RequestId: res.headers['x-acs-request-id'], Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } });
    });

    it('the MissingParameter "AccessKeyId" of the curl sample', async () => {
      const view = readError(await request(app).get('/?Action=RunInstances&Version=2014-05-26'));
      assert.equal(view.Code, 'MissingParameter');
      assert.match(view.Message, /"AccessKeyId"/);
    });

    it('a signed, idempotent RunInstances is run once per ClientToken', async () => {
      const server = await listen(app);
      try {
        const call = async (nonce: string) => {
          const req = v1Request({ action: 'RunInstances', accessKeyId: 'my-ak', secret, nonce, timestamp: Date.now(), business: [['RegionId', 'cn-hangzhou'], ['Amount', '2'], ['ClientToken', `docs-${process.pid}`]] });
          const res = await rawExchange(server.port, req);
          assert.equal(res.status, 200, res.body.toString());
          return JSON.parse(res.body.toString()) as Record<string, unknown>;
        };
        const first = await call(`docs-n1-${process.pid}`);
        const retry = await call(`docs-n2-${process.pid}`);
        assert.deepEqual({ ...first, RequestId: '' }, { RequestId: '', RegionId: 'cn-hangzhou', InstanceIdSets: { InstanceIdSet: ['i-0', 'i-1'] }, Owner: 'my-ak' });
        assert.deepEqual({ ...retry, RequestId: '' }, { ...first, RequestId: '' });
        assert.notEqual(retry.RequestId, first.RequestId);
      } finally {
        await server.close();
      }
    });
  });
});
