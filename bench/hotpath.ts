/**
 * In-process micro-benchmarks of the two hot paths that the HTTP scenarios measure from outside:
 *
 * (a) `parseParams` on the DescribeInstances-like declaration and request of
 *     bench/scenarios/rpc-dispatch.ts (10 `InstanceId.N`, 5 `Tag.N.Key/Value`, a few scalars, plus
 *     the Action/Version/Format common parameters the envelope leaves in `params.all`);
 * (b) `signatureAuthenticator` on a Signature V1 (pop-core GET layout) and a V3 (openapi POST layout)
 *     DescribeRegions request, as in bench/scenarios/auth-signed.ts: fixed clock, a fresh nonce per
 *     request, the default in-memory nonce store (MemoryStore).
 *
 * Each batch runs one operation many times and is timed by this process's CPU time
 * (`process.cpuUsage()`, user + system), which a busy shared machine distorts less than wall time.
 * Every case runs one batch per round, in turn; the table gives the median µs per operation over the
 * rounds with the min-max spread. Signed requests are prepared before their batch starts (signing is
 * the client's work, not the server's).
 *
 *   npx tsx bench/hotpath.ts                  # 15 rounds
 *   HOTPATH_ROUNDS=25 HOTPATH_BATCH=4000 npx tsx bench/hotpath.ts
 *   HOTPATH_ONLY=auth-v3 npx tsx --cpu-prof bench/hotpath.ts   # one case (profile it)
 *
 * (c) For scale, `minimal-v1` runs the least a hand-written V1 check does on the same requests
 *     (bench/lib/minimal-v1.ts: the string to sign, Node's `createHmac`, a `Map` of nonces; no error
 *     envelopes, nothing but true or false), awaited like the authenticator: the part of the signed
 *     request's cost that the protocol itself requires.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  canonicalRequestV3,
  popEncode,
  sha256Hex,
  signatureAuthenticator,
  signV1,
  signV3,
  staticCredentials,
  stringToSignV1,
  stringToSignV3,
} from '../lib/auth/index.js';
import type { OpenApiState } from '../lib/core/exchange.js';
import { compileParams, p, parseParams, unflatten } from '../lib/rpc/params/index.js';
import { DESCRIBE_INSTANCES_VERSION, describeInstancesDeclaration, describeInstancesPairs } from './lib/describe-instances.js';
import type { Authenticator, RpcRequest } from '../lib/rpc/pipeline.js';
import { minimalV1Check } from './lib/minimal-v1.js';

type Params = Record<string, string | string[]>;

/**
 * The text as a server receives it: a flat string decoded from bytes (the HTTP parser and the
 * urlencoded decoder never hand over the concatenated "rope" strings that building a request here makes).
 */
function wire(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function record(entries: ReadonlyArray<readonly [string, string]>): Params {
  const out = Object.create(null) as Params;
  for (const [name, value] of entries) out[wire(name)] = wire(value);
  return out;
}

const EMPTY = Object.freeze(Object.create(null)) as Params;

// ---------------------------------------------------------------------------------------------
// (a) parseParams: the declaration and the request of bench/scenarios/rpc-dispatch.ts

const VERSION = DESCRIBE_INSTANCES_VERSION;

function describeInstancesRequest(): Params {
  return record(describeInstancesPairs());
}

const DescribeInstances = describeInstancesDeclaration(p);
const compiled = compileParams(DescribeInstances);
const flat = describeInstancesRequest();
{
  const check = parseParams(compiled, flat);
  if (!check.ok) throw new Error(`the DescribeInstances request does not parse: ${JSON.stringify(check.issue)}`);
  if (check.value.InstanceId?.length !== 10 || check.value.Tag?.length !== 5 || check.value.PageNumber !== 1) {
    throw new Error('the DescribeInstances request parsed to unexpected values');
  }
}

// ---------------------------------------------------------------------------------------------
// (b) signatureAuthenticator: the requests of bench/scenarios/auth-signed.ts

const AK = 'bench-ak';
const SECRET = 'bench-secret-7Qx';
const HOST = 'ecs.bench.local';
const EMPTY_SHA256 = sha256Hex('');
const NOW = Date.parse('2026-11-29T18:43:17Z');
const TIMESTAMP = new Date(NOW).toISOString().replace(/\.\d{3}Z$/, 'Z');
const NONCE_PREFIX = randomBytes(6).toString('hex');
let nonces = 0;

function nonce(): string {
  nonces += 1;
  return `${NONCE_PREFIX}-${nonces}`;
}

/** Headers a Node server sees besides the signed ones (autocannon-like client). */
function clientHeaders(): IncomingHttpHeaders {
  return { 'user-agent': 'autocannon', connection: 'keep-alive' };
}

function state(query: Params, all: Params): OpenApiState {
  return { requestId: '00000000-0000-4000-8000-000000000000', format: 'JSON', params: { query, body: EMPTY, all }, rawBody: undefined };
}

/** What koaRpc hands the pipeline, with a settle hook that only keeps the listener (as a live response would). */
function rpcRequest(method: string, querystring: string, headers: IncomingHttpHeaders, query: Params): RpcRequest {
  return {
    method,
    path: '/',
    querystring,
    headers,
    state: state(query, query),
    clientIp: '127.0.0.1',
    onSettled: (listener) => {
      settled = listener;
    },
  };
}
let settled: ((status: number | undefined) => void) | undefined;

/** pop-core's GET: every parameter in the query, Signature last. */
function signedV1(): RpcRequest {
  const entries: Array<[string, string]> = [
    ['AccessKeyId', AK],
    ['Action', 'DescribeRegions'],
    ['Format', 'JSON'],
    ['RegionId', 'cn-hangzhou'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', nonce()],
    ['SignatureVersion', '1.0'],
    ['Timestamp', TIMESTAMP],
    ['Version', VERSION],
  ];
  const params = record(entries);
  const signature = signV1(stringToSignV1('GET', params), SECRET);
  params.Signature = wire(signature);
  const querystring = `${entries.map(([n, v]) => `${n}=${popEncode(v)}`).join('&')}&Signature=${popEncode(signature)}`;
  return rpcRequest('GET', querystring, { host: HOST, ...clientHeaders() }, params);
}

/** openapi's V3 POST: business parameters in the query, no body, authentication in headers. */
function signedV3(): RpcRequest {
  const query = record([['RegionId', 'cn-hangzhou']]);
  const signed: Record<string, string> = {
    host: HOST,
    'x-acs-action': 'DescribeRegions',
    'x-acs-version': VERSION,
    'x-acs-date': TIMESTAMP,
    'x-acs-signature-nonce': nonce(),
    'x-acs-content-sha256': EMPTY_SHA256,
  };
  const signedHeaders = Object.keys(signed).sort();
  const canonical = canonicalRequestV3({ method: 'POST', path: '/', query, headers: signed, signedHeaders, hashedPayload: EMPTY_SHA256 });
  const signature = signV3(SECRET, stringToSignV3(canonical));
  const headers: IncomingHttpHeaders = {
    ...signed,
    ...clientHeaders(),
    authorization: `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`,
  };
  for (const name of Object.keys(headers)) headers[name] = wire(headers[name] as string);
  return rpcRequest('POST', 'RegionId=cn-hangzhou', headers, query);
}

const authenticate: Authenticator = signatureAuthenticator({
  credentials: staticCredentials({ [AK]: { secret: SECRET } }),
  clock: () => NOW,
});
const ACTION = { name: 'DescribeRegions', version: VERSION, known: true };
const minimalOptions = { secrets: new Map([[AK, SECRET]]), clock: () => NOW, nonces: new Map<string, number>(), maxNonces: 200_000 };

// ---------------------------------------------------------------------------------------------
// Harness

interface Case {
  readonly id: string;
  readonly label: string;
  /** Runs `count` operations; returns CPU µs spent in them (preparation excluded). */
  readonly batch: (count: number) => Promise<number>;
  readonly samples: number[];
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function syncCase(id: string, label: string, fn: () => unknown): Case {
  return {
    id,
    label,
    samples: [],
    batch: async (count) => {
      const start = process.cpuUsage();
      for (let i = 0; i < count; i++) fn();
      return cpuMicros(start);
    },
  };
}

/** Requests made by `sign` before the batch, then `check`ed one after the other (awaited). */
function requestCase(id: string, label: string, sign: () => RpcRequest, check: (request: RpcRequest) => Promise<void>): Case {
  return {
    id,
    label,
    samples: [],
    batch: async (count) => {
      const requests: RpcRequest[] = [];
      for (let i = 0; i < count; i++) requests.push(sign());
      const start = process.cpuUsage();
      for (let i = 0; i < count; i++) await check(requests[i] as RpcRequest);
      return cpuMicros(start);
    },
  };
}

function authCase(id: string, label: string, sign: () => RpcRequest): Case {
  return requestCase(id, label, sign, async (request) => {
    const caller = await authenticate(request, ACTION);
    if (caller.accessKeyId !== AK) throw new Error('authenticated as someone else');
  });
}

/** {@link minimalV1Check} on the authenticator's V1 requests, awaited as the authenticator's answer is. */
function minimalCase(id: string, label: string): Case {
  return requestCase(id, label, signedV1, async (request) => {
    if (!minimalV1Check(request.method, request.state.params.all, minimalOptions)) throw new Error('minimal V1 refused');
  });
}

const cases: Case[] = [
  syncCase('params', 'parseParams DescribeInstances (10 ids, 5 tags)', () => parseParams(compiled, flat)),
  syncCase('params-zod', '  the same through zod (guided tree + safeParse)', () => {
    const tree = unflatten(flat, { declaration: compiled });
    return tree.ok && compiled.schema.safeParse(tree.value);
  }),
  authCase('auth-v1', 'signatureAuthenticator, V1 GET', signedV1),
  authCase('auth-v3', 'signatureAuthenticator, V3 POST', signedV3),
  minimalCase('minimal-v1', 'hand-written minimal V1 check (reference)'),
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const rounds = positiveInt('HOTPATH_ROUNDS', 15);
  const batch = positiveInt('HOTPATH_BATCH', 2000);
  const only = process.env.HOTPATH_ONLY;
  const selected = only === undefined ? cases : cases.filter((c) => only.split(',').includes(c.id));
  if (selected.length === 0) throw new Error(`HOTPATH_ONLY=${only}: no such case (${cases.map((c) => c.id).join(', ')})`);
  // The nonce store holds every nonce of the run: stay below its 200 000 entries (no evictions).
  const signedOps = (rounds + 2) * batch * selected.filter((c) => c.id.startsWith('auth') || c.id === 'minimal-v1').length;
  if (signedOps > 190_000) throw new Error('HOTPATH_ROUNDS x HOTPATH_BATCH too large for the default nonce store');

  for (const c of selected) await c.batch(batch); // warm-up: optimise before measuring
  for (const c of selected) await c.batch(batch);
  for (let round = 0; round < rounds; round++) {
    const order = selected.map((_, i) => selected[(i + round) % selected.length] as Case);
    for (const c of order) c.samples.push((await c.batch(batch)) / batch);
  }
  void settled;

  console.log(`node ${process.version}, ${rounds} rounds x ${batch} ops, CPU time per op (user + system)`);
  console.log(`${'case'.padEnd(50)} ${'µs/op median'.padStart(12)}  [min-max]`);
  for (const c of selected) {
    const min = Math.min(...c.samples);
    const max = Math.max(...c.samples);
    console.log(`${c.label.padEnd(50)} ${median(c.samples).toFixed(2).padStart(12)}  [${min.toFixed(2)}-${max.toFixed(2)}]`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
