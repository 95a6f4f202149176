/**
 * Helpers for the ROA tests: a service with the CS example and a few test routes, on Koa or
 * Express, and raw requests signed with the SDK's own ROA signer (openapi-util `getStringToSign` /
 * `getROASignature`), so that hostile bodies can be sent exactly as a signing client would.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import express from 'express';
import OpenApiUtil from '@alicloud/openapi-util';
import {
  clientTokenGuard,
  envelope,
  koaRoa,
  MemoryStore,
  p,
  rateLimitThrottler,
  signatureAuthenticator,
  staticCredentials,
  type RoaApi,
  type RoaApiOptions,
} from '../../lib/index.js';
import { envelope as expressEnvelope, errorHandler, expressRoa, type ExpressRpcContext } from '../../lib/express/index.js';
import { createCsApi } from '../../examples/cs/api.js';
import { listen, type Listening } from '../support/listen.js';

export const KEY = { accessKeyId: 'testid', secret: 'testsecret' };
export const HOST_ID = 'cs.example.test';
export type Framework = 'koa' | 'express';

/** Test routes beside the CS example: a 204, a header parameter, a strict body, a throttled route. */
export function addTestRoutes<Ctx>(api: RoaApi<Ctx>): RoaApi<Ctx> {
  return api
    .route('PUT', '/things/:ThingId/labels', {
      action: 'TagThing',
      path: { ThingId: p.string({ required: true, pattern: /^t-\d+$/ }) },
      headers: { 'x-example-trace': p.string({ maxLength: 32 }) },
      body: { labels: p.list(p.string({ maxLength: 16 }), { required: true, maxItems: 5 }), weight: p.integer({ min: 0, max: 10, default: 1 }), big: p.long() },
      strict: true,
      requestIdKey: 'RequestId',
      handler: ({ path, headers, body }) => ({ ThingId: path.ThingId, Trace: headers['x-example-trace'] ?? null, Labels: body.labels, Weight: body.weight, Big: body.big }),
    })
    .route('DELETE', '/things/:ThingId', { action: 'DeleteThing', status: 204, handler: () => undefined })
    .route('GET', '/slow-down', { action: 'SlowDown', handler: () => ({ ok: true }) });
}

export interface RoaService {
  readonly endpoint: string;
  readonly reported: Error[];
  close(): Promise<void>;
}

/** Start the CS example plus the test routes, authenticated, throttled on SlowDown (1 per minute), ClientToken in memory. */
export async function startRoaService(framework: Framework, bodyLimit?: number): Promise<RoaService> {
  const reported: Error[] = [];
  const steps = {
    authenticate: signatureAuthenticator({ credentials: staticCredentials({ [KEY.accessKeyId]: { secret: KEY.secret } }), nonceStore: new MemoryStore() }),
    idempotency: clientTokenGuard({ store: new MemoryStore() }),
  };
  const limiter = rateLimitThrottler({ limit: { points: 1, durationSeconds: 3600 } });
  const throttle: RoaApiOptions['throttle'] = (request, key) => (key.action === 'SlowDown' ? limiter(request, key) : Promise.resolve());
  const make = <Ctx>(): RoaApi<Ctx> => {
    const cs = createCsApi<Ctx>({ ...steps, throttle, ...(bodyLimit === undefined ? {} : { bodyLimit }) });
    return addTestRoutes(cs);
  };
  let handler: http.RequestListener;
  if (framework === 'koa') {
    const app = new Koa();
    app.use(envelope({ hostId: HOST_ID }));
    app.use(koaRoa(make<Koa.Context>()));
    app.on('error', (err: Error) => reported.push(err));
    handler = app.callback();
  } else {
    const app = express();
    app.disable('x-powered-by');
    app.use(expressEnvelope({ hostId: HOST_ID, onError: (err) => reported.push(err) }));
    app.use(expressRoa(make<ExpressRpcContext>()));
    app.use(errorHandler());
    handler = app;
  }
  const server: Listening = await listen(handler);
  return { endpoint: server.endpoint, reported, close: () => server.close() };
}

/** A raw request as a client sends it. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

/** A response as a client observes it. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/**
 * Sign `request` with ROA Signature V1 as openapi-client's `doROARequest` does (its headers, its
 * string to sign, its HMAC), adding `content-md5` when `withContentMd5`.
 */
export function signRoaV1(request: RawRequest, key = KEY, options: { withContentMd5?: boolean; date?: Date; nonce?: string } = {}): Record<string, string> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string> = {
    date: (options.date ?? new Date()).toUTCString(),
    accept: 'application/json',
    'x-acs-signature-nonce': options.nonce ?? randomUUID(),
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-signature-version': '1.0',
    'x-acs-version': '2015-12-15',
    ...(request.headers ?? {}),
  };
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json; charset=utf-8';
  if (options.withContentMd5 === true) headers['content-md5'] = require('node:crypto').createHash('md5').update(body ?? Buffer.alloc(0)).digest('base64');
  const stringToSign = OpenApiUtil.getStringToSign({ method: request.method, pathname: request.path, headers, query: request.query ?? {} } as never);
  headers.authorization = `acs ${key.accessKeyId}:${OpenApiUtil.getROASignature(stringToSign, key.secret)}`;
  return headers;
}

/**
 * Sign `request` with Signature V3 over its ROA path as openapi-client's `doRequest` does, with
 * openapi-util's own `getAuthorization` (host, content-type and every x-acs-* header signed).
 */
export function signV3(request: RawRequest, endpoint: string, key = KEY, nonce: string = randomUUID()): Record<string, string> {
  const body = Buffer.from(request.body ?? '');
  const headers: Record<string, string> = {
    host: new URL(endpoint).host,
    accept: 'application/json',
    'x-acs-version': '2015-12-15',
    'x-acs-action': 'CreateCluster',
    'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': OpenApiUtil.hexEncode(OpenApiUtil.hash(body, 'ACS3-HMAC-SHA256')),
    ...(request.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    ...(request.headers ?? {}),
  };
  headers.authorization = OpenApiUtil.getAuthorization({ method: request.method, pathname: request.path, headers, query: request.query ?? {} } as never, 'ACS3-HMAC-SHA256', headers['x-acs-content-sha256'] as string, key.accessKeyId, key.secret);
  return headers;
}

/** Send a raw request (headers exactly as given, plus Host and Content-Length). */
export function send(endpoint: string, request: RawRequest, headers: Record<string, string>): Promise<RawResponse> {
  const url = new URL(endpoint);
  const query = new URLSearchParams(request.query ?? {}).toString().replace(/\+/g, '%20');
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path + (query === '' ? '' : `?${query}`),
        headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(body.length) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: all.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sign and send. */
export function signedSend(endpoint: string, request: RawRequest, options?: Parameters<typeof signRoaV1>[2]): Promise<RawResponse> {
  return send(endpoint, request, signRoaV1(request, KEY, options));
}

/** The JSON body of a response, with its RequestId header checked against an error envelope. */
export function errorOf(res: RawResponse): { Code: string; Message: string; RequestId: string; HostId: string } {
  const body = JSON.parse(res.text) as { Code: string; Message: string; RequestId: string; HostId: string };
  if (body.RequestId !== res.headers['x-acs-request-id']) throw new Error(`RequestId ${body.RequestId} != header ${String(res.headers['x-acs-request-id'])}`);
  if (Object.keys(body).slice(0, 4).join() !== 'RequestId,HostId,Code,Message') throw new Error(`not an error envelope: ${res.text}`);
  return body;
}
