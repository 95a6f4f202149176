/**
 * `onExchange`: one record per request, on Koa and Express, over real HTTP with Signature V1 and
 * V3, ClientToken replays, throttling, early errors and HEAD; never the secret or the signature;
 * a listener that throws is reported and changes nothing for the client.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import express from 'express';
import {
  clientTokenGuard,
  createRpcApi,
  envelope,
  koaRpc,
  p,
  rateLimitThrottler,
  signatureAuthenticator,
  staticCredentials,
  type ExchangeListener,
  type ExchangeRecord,
  type RpcApiOptions,
} from '../../lib/index.js';
import { envelope as expressEnvelope, errorHandler, expressRpc, type ExpressRpcContext } from '../../lib/express/index.js';
import type { Pairs } from '../hostile/signing.js';
import { eventually, sendSigned as send, type SentRequest as Sent } from '../support/signed-request.js';
import { KEY } from '../hostile/service.js';
import { listen, type Listening } from '../support/listen.js';

const VERSION = '2014-05-26';

function apiOptions(): RpcApiOptions {
  return {
    version: VERSION,
    authenticate: signatureAuthenticator({ credentials: staticCredentials({ [KEY.accessKeyId]: { secret: KEY.secret } }) }),
    // Two calls of Limited per minute: the third is throttled whatever the machine's speed.
    throttle: rateLimitThrottler({ limit: { points: 1000, durationSeconds: 60 }, actions: { Limited: { points: 2, durationSeconds: 60 } } }),
    idempotency: clientTokenGuard({}),
  };
}

function declare<C>(api: ReturnType<typeof createRpcApi<C>>): void {
  api.action('DescribeRegions', { handler: () => ({ Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } }) });
  api.action('Limited', { handler: () => ({}) });
  let runs = 0;
  api.action('CreateThing', { idempotent: true, params: { Name: p.string() }, handler: () => ({ ThingId: `t-${++runs}` }) });
}

interface Service {
  readonly listening: Listening;
  readonly records: ExchangeRecord[];
  readonly reported: Error[];
}

async function koaService(onExchange: ExchangeListener): Promise<Omit<Service, 'records'>> {
  const api = createRpcApi<Koa.Context>(apiOptions());
  declare(api);
  const app = new Koa();
  const reported: Error[] = [];
  app.on('error', (err: Error) => reported.push(err));
  app.use(envelope({ onExchange }));
  app.use(koaRpc(api));
  return { listening: await listen(app.callback()), reported };
}

async function expressService(onExchange: ExchangeListener): Promise<Omit<Service, 'records'>> {
  const api = createRpcApi<ExpressRpcContext>(apiOptions());
  declare(api);
  const app = express();
  const reported: Error[] = [];
  app.use(expressEnvelope({ onExchange, onError: (err) => reported.push(err) }));
  app.use(expressRpc(api));
  app.use(errorHandler());
  return { listening: await listen(app), reported };
}

/** The record of `requestId` (the listener runs when the response has been handed to the socket). */
function recordOf(records: ExchangeRecord[], requestId: string): Promise<ExchangeRecord> {
  return eventually(() => records.find((r) => r.RequestId === requestId), () => `no record for ${requestId} among ${records.length}`);
}

const call = (action: string, ...rest: Pairs): Pairs => [['Action', action], ['Version', VERSION], ...rest];

for (const [framework, make] of [
  ['Koa', koaService],
  ['Express', expressService],
] as const) {
  describe(`onExchange (${framework})`, () => {
    const records: ExchangeRecord[] = [];
    let service: Omit<Service, 'records'>;
    let port: number;
    before(async () => {
      service = await make((record) => records.push(record));
      port = service.listening.port;
    });
    after(() => service.listening.close());

    it('a V1-signed success: every field, and one record only', async () => {
      const res = await send(port, 'GET', call('DescribeRegions', ['Format', 'JSON']), { version: 'V1' });
      assert.equal(res.status, 200);
      const record = await recordOf(records, res.requestId);
      assert.deepEqual(record, {
        RequestId: res.requestId,
        Action: 'DescribeRegions',
        Version: VERSION,
        AccessKeyId: KEY.accessKeyId,
        SignatureVersion: 'V1',
        Method: 'GET',
        Status: 200,
        Code: undefined,
        Format: 'JSON',
        BytesOut: res.body.length,
        DurationMs: record.DurationMs,
        Replayed: false,
        Completed: true,
      });
      assert.ok(record.DurationMs >= 0 && Number.isFinite(record.DurationMs));
      assert.equal(records.filter((r) => r.RequestId === res.requestId).length, 1);
    });

    it('a V3-signed POST (JSON by default, as V3 clients expect)', async () => {
      const res = await send(port, 'POST', call('DescribeRegions'), { version: 'V3' }, []);
      assert.equal(res.status, 200);
      const record = await recordOf(records, res.requestId);
      assert.equal(record.SignatureVersion, 'V3');
      assert.equal(record.Method, 'POST');
      assert.equal(record.Format, 'JSON');
      assert.equal(record.Action, 'DescribeRegions');
      assert.equal(record.BytesOut, res.body.length);
    });

    it('a refused signature: the Code, the Action as sent, no AccessKeyId, never the secret or the signature', async () => {
      const res = await send(port, 'GET', call('DescribeRegions'), { version: 'V1', signature: () => 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      assert.equal(res.status, 400);
      const record = await recordOf(records, res.requestId);
      assert.equal(record.Code, 'SignatureDoesNotMatch');
      assert.equal(record.Status, 400);
      assert.equal(record.Action, 'DescribeRegions');
      assert.equal(record.AccessKeyId, undefined);
      assert.equal(record.BytesOut, res.body.length);
      const text = JSON.stringify(record);
      assert.doesNotMatch(text, new RegExp(`${KEY.secret}|AAAAAAAAAAAA`));
    });

    it('an error answered before the RPC layer (bad Format): Code and the header format', async () => {
      const res = await send(port, 'GET', call('DescribeRegions', ['Format', 'YAML']));
      const record = await recordOf(records, res.requestId);
      assert.equal(record.Code, 'InvalidParameter');
      assert.equal(record.Format, 'XML');
      assert.equal(record.Action, 'DescribeRegions');
    });

    it('a ClientToken retry is marked Replayed; the first call is not', async () => {
      const token = `tok-${framework}`;
      const first = await send(port, 'GET', call('CreateThing', ['ClientToken', token], ['Name', 'a']), { version: 'V1' });
      const retry = await send(port, 'GET', call('CreateThing', ['ClientToken', token], ['Name', 'a']), { version: 'V1' });
      assert.equal(first.status, 200);
      assert.equal(retry.status, 200);
      assert.equal((await recordOf(records, first.requestId)).Replayed, false);
      assert.equal((await recordOf(records, retry.requestId)).Replayed, true);
    });

    it('a throttled call: Code Throttling, with the caller', async () => {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await send(port, 'GET', call('Limited'), { version: 'V1' }));
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 400]);
      const record = await recordOf(records, (answers[2] as Sent).requestId);
      assert.equal(record.Code, 'Throttling');
      assert.equal(record.AccessKeyId, KEY.accessKeyId);
      assert.equal(record.Action, 'Limited');
    });

    it('HEAD: BytesOut 0', async () => {
      const res = await send(port, 'HEAD', call('DescribeRegions'), { version: 'V1' });
      const record = await recordOf(records, res.requestId);
      assert.equal(record.Method, 'HEAD');
      assert.equal(record.BytesOut, 0);
      assert.equal(record.Code, 'UnsupportedHTTPMethod');
    });

    it('an Action too long to be a name is not echoed into the record', async () => {
      const res = await send(port, 'GET', call('A'.repeat(200)));
      const record = await recordOf(records, res.requestId);
      assert.equal(record.Action, undefined);
      assert.equal(record.Code, 'MissingParameter');
    });
  });
}

describe('onExchange: a listener that throws', () => {
  for (const [framework, make] of [
    ['Koa', koaService],
    ['Express', expressService],
  ] as const) {
    it(`${framework}: the client gets its answer; the failure is reported`, async () => {
      const service = await make(() => {
        throw new Error('listener failed');
      });
      try {
        const res = await send(service.listening.port, 'GET', call('DescribeRegions', ['Format', 'JSON']), { version: 'V1' });
        assert.equal(res.status, 200);
        assert.equal(JSON.parse(res.body.toString('utf8')).RequestId, res.requestId);
        for (let i = 0; i < 500 && service.reported.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 2));
        assert.deepEqual(service.reported.map((err) => err.message), ['listener failed']);
      } finally {
        await service.listening.close();
      }
    });
  }

  it('a non-function onExchange is refused at start-up', () => {
    assert.throws(() => envelope({ onExchange: 'log' as unknown as ExchangeListener }), /onExchange must be a function/);
  });
});
