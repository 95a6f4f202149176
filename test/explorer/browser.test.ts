/// <reference lib="dom" />
/**
 * The explorer page of the ECS example in a real browser (Debian's headless Chromium): the page
 * signs with the AccessKey typed into it, the example service verifies, and the page shows what
 * came back. Also: nothing is requested from anywhere else, the secret is in no request and in no
 * storage, the CSP blocks nothing of the page's own, and the browser signer reproduces the V3 vectors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { createEcsApi } from '../../examples/ecs/api.js';
import { MemoryInstanceRepository } from '../../examples/ecs/instances.js';
import { DEMO, startExample, type RunningExample } from '../example/support.js';
import { launchChromium, requireChromium, type LaunchedChromium } from './chromium.js';
import { callAction, typeAccessKey } from './page-driver.js';
import { SIGNER_VECTORS } from './signer-vectors.js';

const EXPLORER = '/explorer';
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
/** Where the screenshot goes: docs/explorer.png when EXPLORER_SCREENSHOT names it, else a temporary file. */
const SCREENSHOT = process.env.EXPLORER_SCREENSHOT;

interface Watch {
  readonly requests: HTTPRequest[];
  readonly problems: string[];
}

/** Record every request the page makes, console errors, page errors and CSP violations. */
async function watch(page: Page): Promise<Watch> {
  const seen: Watch = { requests: [], problems: [] };
  page.on('request', (request) => seen.requests.push(request));
  page.on('pageerror', (err) => seen.problems.push(`pageerror: ${String(err)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.problems.push(`console: ${message.text()}`);
  });
  // tsx compiles the functions handed to the page with esbuild's keepNames, which wraps named inner
  // functions in a __name(…) helper that exists only in Node: give the page a no-op one.
  await page.evaluateOnNewDocument('globalThis.__name = function (fn) { return fn; };');
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return seen;
}

for (const framework of ['koa', 'express'] as const) {
  describe(`explorer in Chromium: the ECS example on ${framework}`, function () {
    this.timeout(120_000);
    let chromium: LaunchedChromium;
    let example: RunningExample;
    let page: Page;
    let seen: Watch;

    before(async function () {
      requireChromium(this);
      example = await startExample({ FRAMEWORK: framework }, {}, { explorerPath: EXPLORER });
      chromium = await launchChromium();
      page = await chromium.browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      seen = await watch(page);
      const response = await page.goto(example.endpoint + EXPLORER, { waitUntil: 'load' });
      assert.equal(response?.status(), 200);
      await typeAccessKey(page, DEMO.accessKeyId, DEMO.secret);
    });

    after(async () => {
      await chromium?.close();
      await example?.close();
    });

    it('lists every declared action with its reference and a form', async () => {
      const actions = await page.$$eval('section.action:not(#protocol-errors)', (sections) => sections.map((s) => s.querySelector('h2')?.textContent));
      const reference = createEcsApi({ instances: new MemoryInstanceRepository() }).reference();
      assert.deepEqual(actions, reference.actions.map((a) => a.name));
      assert.ok(actions.includes('DescribeRegions') && actions.includes('CreateInstance') && actions.includes('DescribeInstances'));
      const tables = await page.$$eval('#action-CreateInstance table', (ts) => ts.map((t) => Array.from(t.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.children).map((td) => td.textContent ?? ''))));
      const [parameters, response, errors] = tables as [string[][], string[][], string[][]];
      const createInstance = reference.actions.find((a) => a.name === 'CreateInstance');
      assert.deepEqual(parameters.map((row) => row[0]), createInstance?.parameters.map((p) => p.name));
      assert.ok(parameters.some((row) => row[0] === 'InstanceType' && row[2] === 'yes' && row[4]?.includes('ecs.g7.large')), JSON.stringify(parameters));
      assert.deepEqual(response.map((row) => row[0]), createInstance?.response.map((f) => f.name));
      assert.ok(response.some((row) => row[0] === 'InstanceId'));
      assert.deepEqual(errors, createInstance?.errors.map((e) => [e.code, String(e.status), e.message]));
      assert.ok(errors.some((row) => row[0] === 'InvalidRegionId.NotFound' && row[1] === '404'));
      const protocol = await page.$$eval('#protocol-errors tbody tr', (trs) => trs.map((tr) => tr.firstElementChild?.textContent));
      // The example's API also signs, throttles and honours ClientToken: those steps add their errors.
      for (const code of [...reference.errors.map((e) => e.code), 'SignatureDoesNotMatch', 'SignatureNonceUsed', 'Throttling', 'IdempotentParameterMismatch']) {
        assert.ok(protocol.includes(code), `${code} in ${protocol.join(', ')}`);
      }
      const xml = await page.$eval('#action-CreateInstance .example-xml pre', (el) => el.textContent);
      const json = await page.$eval('#action-CreateInstance .example-json pre', (el) => el.textContent ?? '');
      assert.equal(xml, createInstance?.examples.xml);
      assert.deepEqual(JSON.parse(json), JSON.parse(createInstance?.examples.json ?? ''));
    });

    it('DescribeRegions: 200, the RequestId of the body and header, the regions', async () => {
      const shown = await callAction(page, 'DescribeRegions');
      assert.equal(shown.status, '200', shown.statusLine + shown.body);
      assert.match(shown.requestId, REQUEST_ID);
      assert.match(shown.headers, new RegExp(`x-acs-request-id: ${shown.requestId}`));
      assert.equal(JSON.parse(shown.body).RequestId, shown.requestId);
      assert.ok(JSON.parse(shown.body).Regions.Region.some((r: { RegionId: string }) => r.RegionId === 'cn-hangzhou'));
      assert.equal(shown.code, '');
      assert.match(shown.curl, /^# Signed for one call: the page has now used its nonce\. "Sign only" gives a fresh one\.\ncurl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/\?Format=JSON' \\\n {2}-H 'x-acs-action: DescribeRegions'/);
      assert.match(shown.curl, /-H 'authorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}'/);
      assert.match(shown.popCore, /client\.request\("DescribeRegions", \{\}, \{ method: 'POST' \}\)/);
    });

    it('DescribeRegions as XML: the RequestId read from the XML', async () => {
      const shown = await callAction(page, 'DescribeRegions', { format: 'XML', method: 'GET' });
      assert.equal(shown.status, '200');
      assert.match(shown.body, /^<\?xml version="1.0" encoding="UTF-8"\?><DescribeRegionsResponse><RequestId>/);
      assert.match(shown.requestId, REQUEST_ID);
      assert.ok(shown.body.includes(`<RequestId>${shown.requestId}</RequestId>`));
    });

    let instanceId = '';

    it('CreateInstance with two tags, then DescribeInstances shows it with its tags', async () => {
      const created = await callAction(page, 'CreateInstance', {
        params: { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', InstanceName: 'from the explorer', 'Tag.N.Key': 'env\nteam\n', 'Tag.N.Value': 'prod\nblue' },
      });
      assert.equal(created.status, '200', created.body);
      instanceId = JSON.parse(created.body).InstanceId;
      assert.match(instanceId, /^i-[a-z0-9]+$/);
      for (const pair of ['"Tag.1.Key": "env"', '"Tag.1.Value": "prod"', '"Tag.2.Key": "team"', '"Tag.2.Value": "blue"']) assert.ok(created.popCore.includes(pair), created.popCore);
      assert.ok(created.curl.includes('Tag.1.Key=env') && created.curl.includes('InstanceName=from%20the%20explorer'), created.curl);

      const listed = await callAction(page, 'DescribeInstances', { params: { RegionId: 'cn-hangzhou', 'InstanceId.N': instanceId } });
      assert.equal(listed.status, '200', listed.body);
      const body = JSON.parse(listed.body);
      assert.equal(body.TotalCount, 1);
      const instance = body.Instances.Instance[0];
      assert.equal(instance.InstanceId, instanceId);
      assert.equal(instance.InstanceName, 'from the explorer');
      assert.deepEqual(instance.Tags.Tag, [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'blue' }]);
      assert.equal(listed.requestId, body.RequestId);
    });

    it('a missing required parameter: 400 MissingParameter, with its RequestId', async () => {
      const shown = await callAction(page, 'CreateInstance', { params: { RegionId: 'cn-hangzhou' } });
      assert.equal(shown.status, '400');
      assert.equal(shown.code, 'MissingParameter');
      assert.match(JSON.parse(shown.body).Message, /InstanceType/);
      assert.match(shown.requestId, REQUEST_ID);
    });

    it('a wrong secret: 400 SignatureDoesNotMatch (and the right one works again)', async () => {
      await typeAccessKey(page, DEMO.accessKeyId, 'not-the-secret');
      const shown = await callAction(page, 'DescribeRegions', { format: 'XML' });
      assert.equal(shown.status, '400');
      assert.equal(shown.code, 'SignatureDoesNotMatch');
      assert.match(shown.requestId, REQUEST_ID);
      await typeAccessKey(page, DEMO.accessKeyId, DEMO.secret);
      assert.equal((await callAction(page, 'DescribeRegions')).status, '200');
    });

    it('"Sign only" builds the curl command without sending; the command works once', async () => {
      const before = seen.requests.length;
      const shown = await callAction(page, 'DescribeInstances', { params: { RegionId: 'cn-hangzhou' }, button: 'sign' });
      assert.equal(shown.statusLine, 'Signed, not sent.');
      assert.equal(seen.requests.length, before, 'nothing was requested');
      const headers: Record<string, string> = {};
      for (const match of shown.curl.matchAll(/-H '([^:]+): ([^']*)'/g)) headers[match[1] as string] = match[2] as string;
      const url = /curl -sS -X POST '([^']+)'/.exec(shown.curl)?.[1] as string;
      const first = await fetch(url, { method: 'POST', headers });
      assert.equal(first.status, 200, await first.text());
      const replay = await fetch(url, { method: 'POST', headers });
      assert.equal(replay.status, 400);
      assert.equal(((await replay.json()) as { Code: string }).Code, 'SignatureNonceUsed');
    });

    it('the page asked nothing of any other origin, sent the secret nowhere, stored nothing, and met no CSP violation', async () => {
      const origin = new URL(example.endpoint).origin;
      assert.ok(seen.requests.length >= 8, `${seen.requests.length} requests`);
      for (const request of seen.requests) {
        assert.equal(new URL(request.url()).origin, origin, request.url());
        const wire = request.url() + JSON.stringify(request.headers()) + (request.postData() ?? '');
        assert.ok(!wire.includes(DEMO.secret) && !wire.includes('not-the-secret'), `secret in ${request.url()}`);
      }
      const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
      assert.deepEqual(stored, { local: 0, session: 0, cookie: '' });
      assert.deepEqual(seen.problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p)), []);
    });

    it('the browser signer reproduces the Signature V3 test vectors', async () => {
      const signatures = await page.evaluate(
        (inputs) => Promise.all(inputs.map((input) => (globalThis as unknown as { AcsSigner: { sign(i: unknown): Promise<{ signature: string }> } }).AcsSigner.sign(input).then((r) => r.signature))),
        SIGNER_VECTORS.map((v) => v.input),
      );
      assert.deepEqual(signatures, SIGNER_VECTORS.map((v) => v.signature));
    });

    // One screenshot is enough: the Koa run takes it.
    if (framework === 'koa') it('a screenshot of CreateInstance, answered', async () => {
      await callAction(page, 'CreateInstance', {
        params: { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', 'Tag.N.Key': 'env\nteam', 'Tag.N.Value': 'prod\nblue' },
      });
      // The whole CreateInstance section: its reference, the form, the answer and the snippets.
      const box = await page.$eval('#action-CreateInstance', (el) => {
        const r = el.getBoundingClientRect();
        return { x: 0, y: r.top + window.scrollY - 8, width: document.documentElement.clientWidth, height: r.height + 16 };
      });
      const dir = SCREENSHOT === undefined ? mkdtempSync(path.join(tmpdir(), 'explorer-shot-')) : undefined;
      const file = SCREENSHOT ?? path.join(dir as string, 'explorer.png');
      try {
        await page.screenshot({ path: file as `${string}.png`, clip: box, captureBeyondViewport: true });
        const png = readFileSync(file);
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      } finally {
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
