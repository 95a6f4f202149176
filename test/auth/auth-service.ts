/**
 * Shared by the authenticator tests: a Koa service (envelope() + koaRpc(createRpcApi({ authenticate })))
 * with a few actions, the keys of the published test vectors, and request builders that sign with the
 * independent reference implementation (test/auth/reference.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Koa from 'koa';
import request, { type Response, type Test } from 'supertest';
import { MemoryStore } from '../../lib/stores/index.js';
import {
  type Caller,
  type SignatureAuthenticatorOptions,
  type StaticKey,
} from '../../lib/index.js';
import { createRpcApi, envelope, errors, koaRpc, signatureAuthenticator, staticCredentials } from '../../lib/index.js';
import { refEncode, refSignV1, refSignV3 } from './reference.js';

export const VERSION = '2014-05-26';

/** Common parameters left out of the DescribeInstances echo. */
const SIGNING = new Set(['AccessKeyId', 'Action', 'Format', 'Signature', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'SignatureType', 'Timestamp', 'TimeStamp', 'Version', 'SecurityToken']);

/** Keys of the published vectors plus a few of our own. */
export const KEYS: Readonly<Record<string, StaticKey>> = {
  testid: { secret: 'testsecret' }, // TV-1
  testId: { secret: 'testSecret' }, // TV-2
  ak: { secret: 'sk' }, // TV-4, TV-5, TV-V3-2
  YourAccessKeyId: { secret: 'YourAccessKeySecret' }, // TV-V3-1
  'mock-ak': { secret: 'mock-secret-Zq7', principal: { account: '1234' } },
  'disabled-ak': { secret: 'disabled-secret-Zq7', disabled: true },
  'sts-ak': { secret: 'sts-secret-Zq7', securityToken: 'token-1' },
};

/** Every secret of {@link KEYS}: a response must never contain one. */
export const SECRETS = Object.values(KEYS).map((k) => k.secret);

export type Pairs = ReadonlyArray<readonly [string, string]>;

export interface AuthService {
  readonly app: Koa;
  readonly callback: ReturnType<Koa['callback']>;
  /** Callers seen by handlers, most recent last. */
  readonly callers: Array<Caller | undefined>;
  /** Errors reported on the app's 'error' event. */
  readonly reported: Error[];
  readonly store: MemoryStore;
  /** How many times each action's handler ran. */
  readonly runs: Map<string, number>;
}

/**
 * Build the service. `now` is the fixed server clock (epoch ms).
 *
 * Actions: DescribeRegions, RunInstances (2014-05-26), SendSms (2017-05-25), Ping (anonymous),
 * Boom (throws a bug: 500), Unavailable (503), Refuse (400), DescribeInstances (echoes the business parameters).
 */
export function authService(now: number | (() => number), overrides: Partial<SignatureAuthenticatorOptions> = {}): AuthService {
  const callers: Array<Caller | undefined> = [];
  const reported: Error[] = [];
  const runs = new Map<string, number>();
  const clock = typeof now === 'number' ? () => now : now;
  const store = new MemoryStore({ maxEntries: 10_000, sweepIntervalMs: 0, now: clock });
  const authenticate = signatureAuthenticator({ credentials: staticCredentials(KEYS), nonceStore: store, clock, ...overrides });
  const api = createRpcApi<Koa.Context>({ version: VERSION, authenticate });
  const record = (name: string, caller: Caller | undefined): void => {
    callers.push(caller);
    runs.set(name, (runs.get(name) ?? 0) + 1);
  };
  const who = (caller: Caller | undefined) => ({ AccessKeyId: caller?.accessKeyId ?? '', SignatureVersion: caller?.signatureVersion ?? '' });
  api.action('DescribeRegions', { handler: (_p, _ctx, { caller }) => (record('DescribeRegions', caller), { Regions: { Region: [{ RegionId: 'cn-hangzhou' }] }, ...who(caller) }) });
  api.action('RunInstances', { handler: (_p, _ctx, { caller }) => (record('RunInstances', caller), who(caller)) });
  api.action('SendSms', { version: '2017-05-25', handler: (_p, _ctx, { caller }) => (record('SendSms', caller), who(caller)) });
  // Echoes the business parameters it received (everything but the signing fields), as JSON text.
  api.action('DescribeInstances', {
    handler: (_p, _ctx, { caller, request: req }) => {
      record('DescribeInstances', caller);
      const all = req.state.params.all;
      const business: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
      for (const name of Object.keys(all).sort()) if (!SIGNING.has(name)) business[name] = all[name] as string | string[];
      return { ...who(caller), Echo: JSON.stringify(business), Timestamp: String(all.Timestamp ?? req.headers['x-acs-date']) };
    },
  });
  api.action('Ping', { anonymous: true, handler: (_p, _ctx, { caller }) => (record('Ping', caller), { Pong: 'yes' }) });
  api.action('Boom', {
    handler: (_p, _ctx, { caller }) => {
      record('Boom', caller);
      throw new Error('a bug in the handler');
    },
  });
  api.action('Unavailable', {
    handler: (_p, _ctx, { caller }) => {
      record('Unavailable', caller);
      throw new errors.ServiceUnavailable();
    },
  });
  api.action('Refuse', {
    handler: (_p, _ctx, { caller }) => {
      record('Refuse', caller);
      throw new errors.InvalidParameter('RegionId');
    },
  });
  const app = new Koa();
  app.silent = true;
  app.on('error', (err: Error) => reported.push(err));
  app.use(envelope({ hostId: 'auth.test' }));
  app.use(koaRpc(api));
  return { app, callback: app.callback(), callers, reported, store, runs };
}

/** ISO timestamp without milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let nonceCounter = 0;
/** A fresh nonce. */
export function freshNonce(): string {
  nonceCounter += 1;
  return `nonce-${process.pid}-${nonceCounter}-${Math.random().toString(36).slice(2)}`;
}

/** The V1 common parameters for `action` signed at `now` (Signature not included). */
export function commonV1(action: string, accessKeyId: string, now: number, extra: Pairs = []): Array<readonly [string, string]> {
  return [
    ['AccessKeyId', accessKeyId],
    ['Action', action],
    ['Format', 'JSON'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', freshNonce()],
    ['SignatureVersion', '1.0'],
    ['Timestamp', isoSeconds(now)],
    ['Version', action === 'SendSms' ? '2017-05-25' : VERSION],
    ...extra,
  ];
}

/** Group repeated names for the reference signer. */
function grouped(pairs: Pairs): Array<readonly [string, string | string[]]> {
  const map = new Map<string, string[]>();
  for (const [n, v] of pairs) map.set(n, [...(map.get(n) ?? []), v]);
  return [...map].map(([n, vs]) => [n, vs.length === 1 ? (vs[0] as string) : vs] as const);
}

/** The pairs with a reference `Signature` appended (signed over every pair given). */
export function signedV1(pairs: Pairs, secret: string, method = 'GET'): Array<readonly [string, string]> {
  return [...pairs, ['Signature', refSignV1(method, grouped(pairs), secret)]];
}

/** Percent-encode pairs for the wire (canonical encoding). */
export function wire(pairs: Pairs): string {
  return pairs.map(([n, v]) => `${refEncode(n)}=${refEncode(v)}`).join('&');
}

/** Send V1 pairs by GET (query) or POST (form body). */
export function sendV1(service: AuthService, pairs: Pairs, method: 'GET' | 'POST' = 'GET'): Test {
  if (method === 'GET') return request(service.callback).get('/?' + wire(pairs));
  return request(service.callback).post('/').type('form').send(wire(pairs));
}

/** A V3 request: everything needed to send it. */
export interface V3Request {
  readonly method: 'GET' | 'POST';
  readonly query: Pairs;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Sign a V3 RPC request with the reference signer: signs `host`, `x-acs-*` and (with a body)
 * `content-type`, like the SDKs.
 */
export function signedV3(input: {
  action: string;
  accessKeyId: string;
  secret: string;
  now: number;
  method?: 'GET' | 'POST';
  query?: Pairs;
  body?: string;
  host?: string;
  extraHeaders?: Record<string, string>;
  nonce?: string;
}): V3Request {
  const body = Buffer.from(input.body ?? '', 'utf8');
  const headers: Record<string, string> = {
    host: input.host ?? 'auth.test.local',
    'x-acs-action': input.action,
    'x-acs-version': VERSION,
    'x-acs-date': isoSeconds(input.now),
    'x-acs-signature-nonce': input.nonce ?? freshNonce(),
    ...(body.length > 0 ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...input.extraHeaders,
  };
  headers['x-acs-content-sha256'] = createHash('sha256').update(body).digest('hex');
  const method = input.method ?? 'POST';
  const query = input.query ?? [];
  const signed = refSignV3({ method, query: grouped(query), headers, body, secret: input.secret });
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signed.signedHeaders},Signature=${signed.signature}`;
  return { method, query, headers, body };
}

/** Send a V3 request (headers exactly as given, Host included). */
export function sendV3(service: AuthService, req: V3Request): Test {
  const path = '/' + (req.query.length > 0 ? '?' + wire(req.query) : '');
  let test = req.method === 'GET' ? request(service.callback).get(path) : request(service.callback).post(path);
  for (const [name, value] of Object.entries(req.headers)) test = test.set(name, value);
  if (req.body.length > 0) test = test.send(req.body.toString('utf8'));
  return test;
}

/** The parsed JSON error (or success) body of a response. */
export function json(res: Response): Record<string, unknown> {
  assert.match(String(res.headers['content-type']), /^application\/json/, res.text.slice(0, 200));
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** Assert an error response's status and Code (JSON), and that no secret leaked. */
export function assertError(res: Response, status: number, code: string, message?: string | RegExp): Record<string, unknown> {
  assertNoSecret(res);
  const body = json(res);
  assert.equal(body.Code, code, `${res.status} ${res.text}`);
  assert.equal(res.status, status, res.text);
  if (typeof message === 'string') assert.equal(body.Message, message);
  else if (message !== undefined) assert.match(String(body.Message), message);
  return body;
}

/** Assert a success whose handler saw `accessKeyId`. */
export function assertOk(res: Response, accessKeyId: string, version: 'V1' | 'V3' = 'V1'): Record<string, unknown> {
  assertNoSecret(res);
  const body = json(res);
  assert.equal(res.status, 200, res.text);
  assert.equal(body.AccessKeyId, accessKeyId);
  assert.equal(body.SignatureVersion, version);
  return body;
}

/** No configured secret appears in the response (headers or body). */
export function assertNoSecret(res: Response): void {
  const all = JSON.stringify(res.headers) + res.text;
  for (const secret of SECRETS) {
    if (secret.length >= 4) assert.ok(!all.includes(secret), `response leaks the secret ${secret}`);
  }
}
