/**
 * Shared by the RPC API tests: a service (Koa + envelope() + koaRpc(api)) with an action that
 * declares every parameter type, a way to send the same wire parameters by GET, by POST form body
 * and by POST split between query and body, and readers for what a client observes.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import request, { type Response } from 'supertest';
import { z } from 'zod';
import { createRpcApi, envelope, koaRpc, p, type EnvelopeOptions, type RpcApi, type RpcApiOptions } from '../../lib/index.js';
import { JSON_TYPE, XML_TYPE, readError, type ErrorView } from '../support/http.js';
import { childNames, childText, parseXmlStrict, type XmlElement } from '../support/xml.js';

export const VERSION = '2014-05-26';

/** Ordered wire pairs (a name may repeat). */
export type Pairs = ReadonlyArray<readonly [string, string]>;

/** How the parameters travel. */
export type Transport = 'GET' | 'POST form' | 'POST split';
export const TRANSPORTS: readonly Transport[] = ['GET', 'POST form', 'POST split'];

export type WireFormat = 'XML' | 'JSON';
export const FORMATS: readonly WireFormat[] = ['XML', 'JSON'];

/** Every parameter type of the DSL, as an ECS-like action would declare them. */
export const SHOWCASE = {
  RegionId: p.string({ required: true, minLength: 2, maxLength: 20, pattern: /^[a-z]+(-[a-z0-9]+)+$/ }),
  InstanceName: p.string({ maxLength: 16 }),
  DiskCategory: p.string({ enum: ['cloud_ssd', 'cloud_essd'] }),
  PageSize: p.integer({ min: 1, max: 100, default: 10 }),
  Offset: p.integer(),
  Quota: p.long(),
  Ratio: p.float({ min: 0, max: 1 }),
  DryRun: p.boolean(),
  ChargeType: p.enum(['PrePaid', 'PostPaid'], { default: 'PostPaid' }),
  InstanceIds: p.json(z.array(z.string().regex(/^i-/)).max(3)),
  InstanceId: p.list(p.string({ pattern: /^i-[a-z0-9]+$/ }), { maxItems: 10 }),
  Tag: p.list(p.struct({ Key: p.string({ required: true, maxLength: 16 }), Value: p.string({ maxLength: 16 }) }), { maxItems: 5 }),
  SystemDisk: p.struct({ Category: p.string({ required: true }), Size: p.integer({ min: 20, max: 500 }) }),
  Matrix: p.list(p.list(p.integer({ min: 0 }), { maxItems: 3 }), { maxItems: 3 }),
};

/** What the showcase handler saw, most recent last. */
export interface Seen {
  readonly params: Record<string, unknown>;
  readonly action: string | undefined;
}

export interface Service {
  readonly api: RpcApi<Koa.Context>;
  readonly app: Koa;
  readonly server: ReturnType<Koa['callback']>;
  /** Calls of the capturing handlers (Showcase, Echo). */
  readonly seen: Seen[];
  /** Errors the app reported through its 'error' event. */
  readonly reported: Error[];
}

/**
 * A Koa service with envelope() and koaRpc(api). `declare` may add actions; `Showcase`
 * (every type), `Echo` (one optional string) and `Nothing` (empty success) are always there.
 */
export function service(
  options: Partial<RpcApiOptions> = {},
  declare: (api: RpcApi<Koa.Context>, seen: Seen[]) => void = () => undefined,
  envelopeOptions: EnvelopeOptions = {},
): Service {
  const api = createRpcApi<Koa.Context>({ version: VERSION, ...options });
  const seen: Seen[] = [];
  api.action('Showcase', {
    params: SHOWCASE,
    description: 'Every parameter type.',
    handler: (params, ctx) => {
      // Compile-time proof that the handler's parameters are inferred from the declaration.
      const pageSize: number = params.PageSize;
      const region: string = params.RegionId;
      const quota: bigint | undefined = params.Quota;
      const category: 'cloud_ssd' | 'cloud_essd' | undefined = params.DiskCategory;
      const tags: Array<{ Key: string; Value?: string | undefined }> | undefined = params.Tag;
      void [pageSize, region, quota, category, tags];
      seen.push({ params, action: ctx.state.action });
      return { Region: params.RegionId, PageSize: params.PageSize };
    },
  });
  api.action('Echo', {
    params: { Name: p.string() },
    handler: (params, ctx) => {
      seen.push({ params, action: ctx.state.action });
      return { Name: params.Name ?? '' };
    },
  });
  api.action('Nothing', { handler: () => undefined });
  declare(api, seen);
  const app = new Koa();
  const reported: Error[] = [];
  app.on('error', (err: Error) => reported.push(err));
  app.use(envelope({ hostId: 'rpc.test', ...envelopeOptions }));
  app.use(koaRpc(api));
  return { api, app, server: app.callback(), seen, reported };
}

/** `a=1&b=2` with every name and value percent-encoded. */
export function encodePairs(pairs: Pairs): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/** The protocol pairs: Action, Version and (when given) Format. */
export function commonPairs(action: string, format: WireFormat | undefined, version = VERSION): Pairs {
  const pairs: Array<readonly [string, string]> = [
    ['Action', action],
    ['Version', version],
  ];
  if (format !== undefined) pairs.push(['Format', format]);
  return pairs;
}

/**
 * Send `common` + `business` the way `transport` says: GET puts everything in the query; POST form
 * puts everything in the body (as pop-core does); POST split puts the common pairs and the first half
 * of the business pairs in the query, the rest in the body (as openapi-client's V1 mode does).
 */
export function send(server: Service['server'], transport: Transport, common: Pairs, business: Pairs, headers: Record<string, string> = {}): request.Test {
  const agent = request(server);
  let test: request.Test;
  if (transport === 'GET') {
    test = agent.get(`/?${encodePairs([...common, ...business])}`);
  } else if (transport === 'POST form') {
    test = agent.post('/').type('form').send(encodePairs([...common, ...business]));
  } else {
    const half = Math.ceil(business.length / 2);
    test = agent.post(`/?${encodePairs([...common, ...business.slice(0, half)])}`).type('form').send(encodePairs(business.slice(half)));
  }
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  return test;
}

/** Call `action` with `business` pairs over `transport` in `format`. */
export function call(svc: Service, transport: Transport, format: WireFormat, action: string, business: Pairs): request.Test {
  return send(svc.server, transport, commonPairs(action, format), business);
}

/** A success envelope as a client reads it: status, RequestId, root element and data. */
export interface SuccessView {
  readonly RequestId: string;
  /** JSON: the parsed body; XML: the root element. */
  readonly json?: Record<string, unknown>;
  readonly xml?: XmlElement;
}

/** Read a 200 success envelope in `format`, checking the RequestId and the XML root `<Action>Response`. */
export function readSuccess(res: Response, format: WireFormat, action: string): SuccessView {
  assert.equal(res.status, 200, res.text);
  const header = String(res.headers['x-acs-request-id']);
  if (format === 'JSON') {
    assert.equal(res.headers['content-type'], JSON_TYPE);
    const json = JSON.parse(res.text) as Record<string, unknown>;
    assert.equal(Object.keys(json)[0], 'RequestId');
    assert.equal(json.RequestId, header);
    return { RequestId: header, json };
  }
  assert.equal(res.headers['content-type'], XML_TYPE);
  const xml = parseXmlStrict(res.text);
  assert.equal(xml.name, `${action}Response`);
  assert.equal(childNames(xml)[0], 'RequestId');
  assert.equal(childText(xml, 'RequestId'), header);
  return { RequestId: header, xml };
}

const MESSAGE_NAME: Readonly<Record<string, RegExp>> = {
  MissingParameter: /^The input parameter "(.*)" that is mandatory for processing this request is not supplied\.$/,
  InvalidParameter: /^The specified parameter "(.*)" is not valid\.$/,
  UnsupportedParameter: /^The parameter "(.*)" is unsupported\.$/,
};

/**
 * Read an error envelope (in `format` when given) and check its status and code; when `name` is
 * given, the message must name exactly that parameter.
 */
export function expectError(res: Response, status: number, code: string, name?: string, format?: WireFormat): ErrorView {
  const view = readError(res);
  assert.equal(view.status, status, `${view.Code}: ${view.Message}`);
  assert.equal(view.Code, code, view.Message);
  if (format !== undefined) assert.equal(res.headers['content-type'], format === 'JSON' ? JSON_TYPE : XML_TYPE);
  if (name !== undefined) {
    const pattern = MESSAGE_NAME[code];
    const match = pattern === undefined ? undefined : pattern.exec(view.Message);
    const named = match === undefined || match === null ? undefined : match[1];
    assert.equal(named, name, `${code} should name "${name}": ${view.Message}`);
  }
  return view;
}

/** The params the handler saw on its last call. */
export function lastSeen(svc: Service): Seen {
  const last = svc.seen[svc.seen.length - 1];
  assert.ok(last !== undefined, 'the handler was called');
  return last;
}
