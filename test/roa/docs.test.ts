/**
 * docs/roa.md says what the code does: its first example is test/roa/docs-example.ts verbatim and
 * runs with pop-core's ROAClient; its test vectors are what openapi-util's signer and ours compute;
 * the gateway messages it quotes are the catalogue's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenApiUtil from '@alicloud/openapi-util';
import PopCore from '@alicloud/pop-core';
import { CATALOGUE, stringToSignRoa } from '../../lib/index.js';
import { listen } from '../support/listen.js';
import { app } from './docs-example.js';
import { VECTORS } from './vectors.js';

const doc = readFileSync(path.resolve(__dirname, '../../docs/roa.md'), 'utf8');
const ROAClient = (PopCore as unknown as { ROAClient: new (c: object) => { request(m: string, p: string, q?: object, b?: string, h?: object): Promise<Record<string, unknown>> } }).ROAClient;

describe('docs/roa.md', () => {
  it('shows test/roa/docs-example.ts verbatim as its first example', () => {
    const source = readFileSync(path.resolve(__dirname, 'docs-example.ts'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
      .replace("'../../lib/index.js'", "'aliyun-openapi-middleware'")
      .trim();
    const block = /```ts\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    assert.equal(block.replace(/\napp\.listen\(3000\);\n$/, '').trim(), source);
  });

  it('its example serves pop-core ROAClient: create (client_token retry), describe, not found', async () => {
    const server = await listen(app.callback());
    try {
      const client = new ROAClient({ endpoint: server.endpoint, apiVersion: '2015-12-15', accessKeyId: 'testid', accessKeySecret: 'testsecret' });
      const body = JSON.stringify({ name: 'k8s', region_id: 'cn-hangzhou', client_token: 'doc-token' });
      const created = await client.request('POST', '/clusters', {}, body, { 'content-type': 'application/json' });
      const retried = await client.request('POST', '/clusters', {}, body, { 'content-type': 'application/json' });
      assert.equal(retried.cluster_id, created.cluster_id);
      assert.notEqual(retried.request_id, created.request_id);
      const detail = await client.request('GET', `/clusters/${String(created.cluster_id)}`);
      assert.deepEqual({ ...detail }, { cluster_id: created.cluster_id, name: 'k8s', region_id: 'cn-hangzhou' });
      await assert.rejects(client.request('GET', '/clusters/none'), (err: { code?: string; statusCode?: number }) => err.code === 'ErrorClusterNotFound' && err.statusCode === 404);
      await assert.rejects(client.request('GET', '/nodepools'), (err: { code?: string; statusCode?: number }) => err.code === 'InvalidAction.NotFound' && err.statusCode === 404);
    } finally {
      await server.close();
    }
  });

  it('TV-ROA-1 as printed is what openapi-util and stringToSignRoa compute, with the printed signature', () => {
    const printed = /\*\*TV-ROA-1\*\*[\s\S]*?```\n([\s\S]*?)\n```\nSignature `([^`]+)`/.exec(doc);
    assert.ok(printed, 'TV-ROA-1 block');
    const { headers, path: pathname } = VECTORS[0]!;
    const sdk = OpenApiUtil.getStringToSign({ method: 'GET', pathname, headers, query: {} } as never);
    assert.equal(printed[1], sdk);
    assert.equal(stringToSignRoa({ method: 'GET', path: pathname, query: {}, headers }), sdk);
    assert.equal(printed[2], OpenApiUtil.getROASignature(sdk, 'testsecret'));
  });

  it('TV-ROA-2 prints the signature openapi-util computes', () => {
    const { headers, body } = VECTORS[1]!;
    assert.ok(doc.includes(body));
    const sts = OpenApiUtil.getStringToSign({ method: 'POST', pathname: '/clusters', headers, query: { page_size: '10', name: 'a b' } } as never);
    assert.ok(doc.includes(`signature \`${OpenApiUtil.getROASignature(sts, 'testsecret')}\``));
    assert.ok(sts.endsWith('x-acs-version:2015-12-15\n/clusters?name=a b&page_size=10'));
  });

  it('quotes the catalogue for the dispatch errors', () => {
    const notFound = CATALOGUE.find((row) => row.code === 'InvalidAction.NotFound');
    assert.ok(notFound && doc.includes(`\`InvalidAction.NotFound\` **${notFound.status}** *"${notFound.message}"*`));
    const version = CATALOGUE.find((row) => row.code === 'InvalidVersion');
    assert.ok(version && doc.includes(`\`InvalidVersion\` ${version.status}`));
  });
});
