/**
 * The example's access log (pino JSON lines) and Prometheus metrics (prom-client, `GET /metrics`),
 * on Koa and Express: after a scripted mix of calls, the log holds one line per call with the
 * RequestId the client got, and the scraped counters equal what the clients observed, exactly.
 * Also: a request Node's parser refuses gets an envelope from the example's server.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../examples/ecs/config.js';
import { observedEcsService } from '../../examples/ecs/observability.js';
import { listen, type Listening } from '../../examples/ecs/service.js';
import type { EcsService } from '../../examples/ecs/service.js';
import type { Pairs } from '../hostile/signing.js';
import { eventually, sendSigned, type SentRequest } from '../support/signed-request.js';
import { parseXmlStrict } from '../support/xml.js';
import { VERSION } from './support.js';

interface Running {
  readonly server: Listening;
  readonly service: EcsService;
  /** The access log, one parsed JSON line each. */
  readonly lines: Array<Record<string, unknown>>;
}

async function start(framework: string): Promise<Running> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Two calls per second per AccessKeyId and Action: a burst is throttled.
  const config = loadConfig({ PORT: '0', FRAMEWORK: framework, ECS_THROTTLE_PER_SECOND: '2' });
  const { service, listener } = await observedEcsService(config, pino({ level: 'info' }, sink), { processMetrics: false });
  const server = await listen(listener, '127.0.0.1', 0);
  return { server, service, lines };
}

/** `name{labels} value` lines of a Prometheus text exposition, by `name{labels}`. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

async function scrape(port: number): Promise<{ contentType: string; metrics: Map<string, number> }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return { contentType: String(res.headers.get('content-type')), metrics: parseMetrics(await res.text()) };
}

const call = (action: string, ...rest: Pairs): Pairs => [['Action', action], ['Version', VERSION], ...rest];
const codeOf = (res: SentRequest): string | undefined => (res.status < 400 ? undefined : (JSON.parse(res.body.toString('utf8')) as { Code: string }).Code);

for (const framework of ['koa', 'express']) {
  describe(`example/observability (${framework})`, function () {
    this.timeout(30_000);
    let running: Running;
    before(async () => {
      running = await start(framework);
    });
    after(async () => {
      running.server.server.closeAllConnections();
      await running.server.close();
      await running.service.close();
    });

    it('logs one JSON line per call and counts requests, latency, throttled and replayed calls exactly', async () => {
      const { port } = running.server;
      const json = ['Format', 'JSON'] as const;
      const sent: SentRequest[] = [];
      // 1. Two successes, V1 and V3.
      sent.push(await sendSigned(port, 'GET', call('DescribeRegions', json), { version: 'V1' }));
      sent.push(await sendSigned(port, 'POST', call('DescribeRegions', json), { version: 'V3' }, []));
      // 2. An unsigned call, a wrong signature, an Action the API does not declare.
      sent.push(await sendSigned(port, 'GET', call('DescribeRegions', json)));
      sent.push(await sendSigned(port, 'GET', call('DescribeRegions', json), { version: 'V1', secret: 'not-the-secret' }));
      sent.push(await sendSigned(port, 'GET', call('NoSuchAction', json), { version: 'V1' }));
      // 3. A ClientToken call and its retry.
      const create = call('CreateInstance', json, ['RegionId', 'cn-hangzhou'], ['InstanceType', 'ecs.g7.large'], ['ClientToken', `obs-${framework}`]);
      sent.push(await sendSigned(port, 'GET', create, { version: 'V1' }));
      sent.push(await sendSigned(port, 'GET', create, { version: 'V1' }));
      // 4. A burst of DescribeInstances until one is throttled (2 per second; bounded).
      for (let i = 0; i < 40 && !sent.some((res) => codeOf(res) === 'Throttling'); i++) {
        sent.push(await sendSigned(port, 'GET', call('DescribeInstances', json, ['RegionId', 'cn-hangzhou']), { version: 'V1' }));
      }

      const codes = sent.map(codeOf);
      assert.deepEqual(codes.slice(0, 7), [undefined, undefined, 'MissingParameter', 'SignatureDoesNotMatch', 'InvalidAction', undefined, undefined]);
      assert.ok(codes.includes('Throttling'), 'the burst was throttled');
      assert.equal(sent[6]?.body.toString('utf8').replace(sent[6].requestId, ''), sent[5]?.body.toString('utf8').replace(sent[5].requestId, ''));

      // The access log: one line per call, with what the client saw.
      await eventually(() => (running.lines.length >= sent.length ? true : undefined), () => `${running.lines.length} log lines for ${sent.length} calls`);
      assert.equal(running.lines.length, sent.length);
      const lineOf = (res: SentRequest | undefined): Record<string, unknown> => {
        const found = running.lines.filter((line) => line.RequestId === res?.requestId);
        assert.equal(found.length, 1, `one log line for ${res?.requestId}`);
        return found[0] as Record<string, unknown>;
      };
      for (const [i, res] of sent.entries()) {
        const line = lineOf(res);
        assert.equal(line.msg, 'exchange');
        assert.equal(line.level, 30);
        assert.equal(line.RequestId, res.requestId);
        assert.equal(line.Status, res.status);
        assert.equal(line.Code, codes[i]);
        assert.equal(line.BytesOut, res.body.length);
        assert.equal(typeof line.DurationMs, 'number');
        assert.doesNotMatch(JSON.stringify(line), /testsecret|not-the-secret|Signature"/);
      }
      assert.equal(lineOf(sent[0]).AccessKeyId, 'testid');
      assert.equal(lineOf(sent[1]).SignatureVersion, 'V3');
      assert.equal(lineOf(sent[2]).AccessKeyId, undefined);
      assert.equal(lineOf(sent[5]).Replayed, false);
      assert.equal(lineOf(sent[6]).Replayed, true);

      // The metrics: the same counts.
      const { contentType, metrics } = await scrape(port);
      assert.match(contentType, /^text\/plain; version=0\.0\.4/);
      const expected = new Map<string, number>();
      const known = new Set(running.service.actions);
      for (const [i, res] of sent.entries()) {
        const line = lineOf(res);
        const action = known.has(String(line.Action)) ? String(line.Action) : '(unknown)';
        const key = `openapi_requests_total{action="${action}",code="${codes[i] ?? '(none)'}",status="${res.status}"}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const requests = new Map([...metrics].filter(([key]) => key.startsWith('openapi_requests_total{')));
      assert.deepEqual(requests, expected);
      assert.equal(metrics.get('openapi_requests_total{action="(unknown)",code="InvalidAction",status="403"}'), 1);
      assert.equal(metrics.get('openapi_throttled_total'), codes.filter((code) => code === 'Throttling').length);
      assert.equal(metrics.get('openapi_replayed_total'), 1);
      const describeInstances = running.lines.filter((line) => line.Action === 'DescribeInstances').length;
      assert.equal(metrics.get('openapi_request_duration_seconds_count{action="DescribeInstances"}'), describeInstances);
      assert.equal(metrics.get('openapi_request_duration_seconds_count{action="DescribeRegions"}'), 4);
      assert.equal(metrics.get('openapi_request_duration_seconds_bucket{le="+Inf",action="DescribeRegions"}'), 4);

      // Scraping is not an OpenAPI exchange: no log line, no count.
      await scrape(port);
      assert.equal(running.lines.length, sent.length);
    });

    it('a request Node refuses is answered with an XML envelope by the example server', async () => {
      const socket = net.connect(running.server.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write('GET /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n');
      await closed;
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(head, /\r\nConnection: close(\r\n|$)/);
      const requestId = /\r\nx-acs-request-id: ([0-9A-F-]{36})(\r\n|$)/.exec(head)?.[1];
      assert.ok(requestId !== undefined, head);
      const root = parseXmlStrict(body);
      assert.equal(root.name, 'Error');
      const field = (name: string) => root.children.find((c) => c.name === name)?.text;
      assert.equal(field('RequestId'), requestId);
      assert.equal(field('Code'), 'InvalidRequest.Malformed');
      assert.equal(field('HostId'), 'ecs.example.local');
    });
  });
}
