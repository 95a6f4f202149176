/**
 * The example's scripts as their users run them (Node + tsx child processes, loopback only):
 * server.ts (`npm start`), client.ts (`npm run example:client`), sign-url.ts (curl's raw XML) and
 * gen-readme.ts (the README's action reference is generated, and the check fails when it is stale).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BEGIN_MARKER, END_MARKER, README_PATH, renderActions, updateReadme } from '../../examples/ecs/gen-readme.js';
import { createEcsApi } from '../../examples/ecs/api.js';
import { MemoryInstanceRepository } from '../../examples/ecs/instances.js';
import { parseArguments, signedUrl } from '../../examples/ecs/sign-url.js';
import { childNames, childText, childrenNamed, parseXmlStrict, type XmlElement } from '../support/xml.js';
import { DEMO, bodyOf, failureOf, httpGet, popCore, runScript, startExample, type RunningExample } from './support.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function child(element: XmlElement, name: string): XmlElement {
  const [found] = childrenNamed(element, name);
  assert.ok(found !== undefined, `<${element.name}> has <${name}>`);
  return found;
}

describe('example/scripts: server.ts (npm start)', function () {
  this.timeout(60_000);

  it('starts, prints the endpoint, demo credentials and an example call, serves the SDKs, stops on SIGTERM', async () => {
    const server = runScript('server.ts', { PORT: '0' });
    try {
      const [, endpoint] = await server.waitFor(/\(koa, Version 2014-05-26, state in memory\): (http:\/\/127\.0\.0\.1:\d+)\//, 45_000);
      await server.waitFor(/Try: curl/);
      assert.match(server.stdout(), /AccessKeyId testid +AccessKeySecret testsecret +\(active\)/);
      assert.match(server.stdout(), /AccessKeyId disabledid +AccessKeySecret disabledsecret +\(disabled\)/);
      const client = popCore('GET').client(String(endpoint), DEMO);
      const created = bodyOf(await client.call('CreateInstance', { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large' }), 'create');
      assert.match(String(created.InstanceId), /^i-/);
      assert.equal(failureOf(await popCore('GET').client(String(endpoint), { accessKeyId: 'disabledid', secret: 'disabledsecret' }).call('DescribeRegions'), 'disabled').code, 'Forbidden.AccessKeyDisabled');
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.equal(server.stderr(), '');
  });

  it('FRAMEWORK=express with the standard credential variables: only that key works, its secret is not printed', async () => {
    const key = { accessKeyId: 'my-own-ak', secret: 'my-own-secret-Zq7' };
    const server = runScript('server.ts', { PORT: '0', FRAMEWORK: 'express', ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.secret });
    try {
      const [, endpoint] = await server.waitFor(/\(express, Version 2014-05-26, state in memory\): (http:\/\/127\.0\.0\.1:\d+)\//, 45_000);
      await server.waitFor(/Try: curl/);
      assert.match(server.stdout(), /AccessKeyId my-own-ak, secret from ALIBABA_CLOUD_ACCESS_KEY_SECRET \(not shown\)/);
      assert.ok(!server.stdout().includes(key.secret));
      bodyOf(await popCore('POST').client(String(endpoint), key).call('DescribeRegions'), 'own key');
      assert.equal(failureOf(await popCore('POST').client(String(endpoint), DEMO).call('DescribeRegions'), 'demo key').code, 'InvalidAccessKeyId.NotFound');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('refuses a bad setting, naming the variable (exit 1)', async () => {
    const server = runScript('server.ts', { PORT: '0', FRAMEWORK: 'hapi' });
    assert.equal(await server.exited(), 1);
    assert.match(server.stderr(), /ECS example service cannot start: FRAMEWORK must be koa or express, got "hapi"/);
  });

  it('refuses to start when REDIS_URL cannot be reached, without printing its password (exit 1)', async () => {
    const port = await closedPort();
    const server = runScript('server.ts', { PORT: '0', REDIS_URL: `redis://:hunter2-pass@127.0.0.1:${port}` });
    assert.equal(await server.exited(30_000), 1);
    assert.match(server.stderr(), new RegExp(`cannot start: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`));
    assert.ok(!server.stderr().includes('hunter2'), server.stderr());
    assert.equal(server.stdout(), '');
  });
});

describe('example/scripts: client.ts and sign-url.ts against a running example', function () {
  this.timeout(60_000);
  let example: RunningExample;

  before(async () => {
    example = await startExample();
  });
  after(async () => {
    await example.close();
  });

  it('client.ts (npm run example:client) calls every action with pop-core, prints the results and exits 0', async () => {
    const port = new URL(example.endpoint).port;
    const client = runScript('client.ts', { PORT: port }); // found through PORT, like the service
    assert.equal(await client.exited(45_000), 0, client.stderr());
    const out = client.stdout();
    assert.match(out, new RegExp(`^Calling the ECS example at ${example.endpoint}/ as testid`));
    for (const action of ['DescribeRegions', 'CreateInstance', 'DescribeInstances', 'StartInstance', 'StopInstance', 'DeleteInstance']) {
      assert.match(out, new RegExp(`^${action}`, 'm'), `${action} is called`);
    }
    const ids = [...out.matchAll(/"InstanceId":"(i-[a-z0-9]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= 2 && ids.every((id) => id === ids[0]), 'the ClientToken retry printed the same InstanceId');
    for (const code of ['IdempotentParameterMismatch', 'IncorrectInstanceStatus', 'InvalidInstanceId.NotFound', 'InvalidRegionId.NotFound']) {
      assert.match(out, new RegExp(`→ ${code.replace('.', '\\.')}: `), code);
    }
  });

  it('client.ts says where it looked and exits 1 when nothing answers', async () => {
    const port = await closedPort();
    const client = runScript('client.ts', { ECS_ENDPOINT: `http://127.0.0.1:${port}` });
    assert.equal(await client.exited(45_000), 1);
    assert.match(client.stderr(), new RegExp(`is the service running at http://127\\.0\\.0\\.1:${port}\\? npm start`));
  });

  it('sign-url.ts prints a URL curl can use once: raw XML success, then SignatureNonceUsed', async () => {
    const script = runScript('sign-url.ts', { ECS_ENDPOINT: example.endpoint }, ['Action=CreateInstance', 'RegionId=cn-hangzhou', 'InstanceType=ecs.g7.large', 'Tag.1.Key=env', 'Tag.1.Value=演示 demo']);
    assert.equal(await script.exited(45_000), 0, script.stderr());
    const url = script.stdout().trim();
    assert.ok(url.startsWith(`${example.endpoint}/?AccessKeyId=testid&Action=CreateInstance&`), url);

    const created = await httpGet(url);
    assert.equal(created.status, 200, created.text);
    assert.equal(created.headers['content-type'], 'text/xml;charset=utf-8');
    const createdXml = parseXmlStrict(created.text);
    assert.equal(createdXml.name, 'CreateInstanceResponse');
    const id = childText(createdXml, 'InstanceId');

    const replay = await httpGet(url);
    assert.equal(replay.status, 400);
    assert.equal(childText(parseXmlStrict(replay.text), 'Code'), 'SignatureNonceUsed');

    // DescribeInstances as XML: lists as repeated elements, the Date as YYYY-MM-DDThh:mm:ssZ.
    const listed = await httpGet(signedUrl({ Action: 'DescribeInstances', RegionId: 'cn-hangzhou', 'InstanceId.1': id }, { endpoint: example.endpoint, ...DEMO }));
    const root = parseXmlStrict(listed.text);
    assert.equal(root.name, 'DescribeInstancesResponse');
    assert.deepEqual(childNames(root), ['RequestId', 'TotalCount', 'PageNumber', 'PageSize', 'Instances']);
    const [instance, ...more] = childrenNamed(child(root, 'Instances'), 'Instance');
    assert.ok(instance !== undefined && more.length === 0);
    assert.deepEqual(childNames(instance), ['InstanceId', 'InstanceName', 'InstanceType', 'RegionId', 'Status', 'CreationTime', 'Tags']);
    assert.equal(childText(instance, 'Status'), 'Stopped');
    assert.match(childText(instance, 'CreationTime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const tag = child(child(instance, 'Tags'), 'Tag');
    assert.deepEqual([childText(tag, 'TagKey'), childText(tag, 'TagValue')], ['env', '演示 demo']);
  });

  it('an unsigned curl call is refused with MissingParameter "AccessKeyId" (XML by default)', async () => {
    const response = await httpGet(`${example.endpoint}/?Action=DescribeRegions&Version=2014-05-26`);
    assert.equal(response.status, 400);
    const error = parseXmlStrict(response.text);
    assert.equal(error.name, 'Error');
    assert.equal(childText(error, 'Code'), 'MissingParameter');
    assert.equal(childText(error, 'HostId'), 'ecs.example.local');
    assert.match(childText(error, 'Message'), /"AccessKeyId"/);
  });

  it('sign-url.ts needs Name=Value arguments with an Action', () => {
    assert.throws(() => parseArguments(['RegionId=cn-hangzhou']), /Action=<name> is required/);
    assert.throws(() => parseArguments(['Action']), /expected Name=Value/);
    assert.deepEqual({ ...parseArguments(['Action=DescribeInstances', 'Tag.1.Value=a=b']) }, { Action: 'DescribeInstances', 'Tag.1.Value': 'a=b' });
  });
});

describe('example/scripts: gen-readme.ts', function () {
  this.timeout(60_000);

  it('README.md holds the action reference generated from api.reference() (run `npx tsx examples/ecs/gen-readme.ts` when this fails)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    assert.equal(updateReadme(readme), readme, 'examples/ecs/README.md is stale');
  });

  it('the reference covers every declared action and parameter', () => {
    const { actions } = createEcsApi({ instances: new MemoryInstanceRepository() }).reference();
    const text = renderActions(actions);
    assert.deepEqual(
      actions.map((a) => a.name),
      ['DescribeRegions', 'CreateInstance', 'DescribeInstances', 'StartInstance', 'StopInstance', 'DeleteInstance'],
    );
    for (const action of actions) {
      assert.ok(text.includes(`### ${action.name}\n`), action.name);
      for (const param of action.parameters) assert.ok(text.includes(`| \`${param.name}\` |`), `${action.name} ${param.name}`);
      for (const field of action.response) assert.ok(text.includes(`| \`${field.name}\` |`), `${action.name} response ${field.name}`);
      for (const error of action.errors) assert.ok(text.includes(`\`${error.code}\` (${error.status})`), `${action.name} error ${error.code}`);
    }
    assert.match(text, /### CreateInstance\n\n.*idempotent with `ClientToken`/);
  });

  it('updateReadme replaces only the text between the markers, and needs them', () => {
    const sample = `# Title\n\n${BEGIN_MARKER}\nold text\n${END_MARKER}\n\nAfter.\n`;
    const updated = updateReadme(sample);
    assert.ok(updated.startsWith(`# Title\n\n${BEGIN_MARKER}\n\n### DescribeRegions`));
    assert.ok(updated.endsWith(`${END_MARKER}\n\nAfter.\n`));
    assert.ok(!updated.includes('old text'));
    assert.throws(() => updateReadme('# no markers'), /needs the markers/);
  });

  it('`gen-readme.ts --check` exits 0 on the committed README', async () => {
    const check = runScript('gen-readme.ts', {}, ['--check']);
    assert.equal(await check.exited(45_000), 0, check.stderr());
  });
});
