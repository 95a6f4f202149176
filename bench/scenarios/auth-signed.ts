/**
 * Authentication cost: DescribeRegions through envelope() + koaRpc(createRpcApi(...)), unsigned versus
 * signed with Signature V1 (pop-core's GET layout) and V3 (openapi's POST layout), each signed request
 * with a fresh nonce and timestamp, verified by signatureAuthenticator with its default in-memory nonce
 * store (so every signed request also writes one nonce).
 */
import Koa from 'koa';
import { pkg } from '../lib/package.js';
import { AK, SECRET, VERSION, isoSeconds, nonce, poolSize, signedV1Request } from '../lib/signed-requests.js';
import { regionsApp, regionsExpectation } from '../lib/regions-service.js';
import { defineScenario, type BenchRequest, type Contestant } from '../lib/scenario.js';

const { createRpcApi, sha256Hex, signatureAuthenticator, signV3, staticCredentials, canonicalRequestV3, stringToSignV3 } = pkg;
const HOST = 'ecs.bench.local';
const EMPTY_SHA256 = sha256Hex('');

/** An openapi-like V3 POST: business parameters in the query, no body, auth in headers. */
function signedV3Request(): BenchRequest {
  const query = Object.assign(Object.create(null) as Record<string, string>, { RegionId: 'cn-hangzhou' });
  const headers: Record<string, string> = {
    host: HOST,
    'x-acs-action': 'DescribeRegions',
    'x-acs-version': VERSION,
    'x-acs-date': isoSeconds(Date.now()),
    'x-acs-signature-nonce': nonce(),
    'x-acs-content-sha256': EMPTY_SHA256,
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = canonicalRequestV3({ method: 'POST', path: '/', query, headers, signedHeaders, hashedPayload: EMPTY_SHA256 });
  const signature = signV3(SECRET, stringToSignV3(canonical));
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  return { method: 'POST', path: '/?RegionId=cn-hangzhou', headers };
}

function service(signed: boolean): Koa {
  const api = createRpcApi<Koa.Context>({
    version: VERSION,
    ...(signed ? { authenticate: signatureAuthenticator({ credentials: staticCredentials({ [AK]: { secret: SECRET } }) }) } : {}),
  });
  return regionsApp(api);
}

const expect = regionsExpectation;

/**
 * Pre-signed requests, so that the load generator (autocannon, in the harness process, on the same
 * machine) does not spend ~20-40 µs of its own CPU signing each request while it measures the server.
 * Filled by `prepare()`; an empty or stale pool falls back to signing on the fly.
 */
interface Pool {
  readonly requests: BenchRequest[];
  signedAt: number;
}
const pools: Record<'v1' | 'v3', Pool> = { v1: { requests: [], signedAt: 0 }, v3: { requests: [], signedAt: 0 } };
/** Pooled requests older than this are dropped: they would soon leave the ±15 min timestamp window. */
const POOL_MAX_AGE_MS = 10 * 60_000;


function fill(pool: Pool, sign: () => BenchRequest, size: number): void {
  pool.requests.length = 0;
  for (let i = 0; i < size; i++) pool.requests.push(sign());
  pool.signedAt = Date.now();
}

function fromPool(pool: Pool, sign: () => BenchRequest): () => BenchRequest {
  return () => {
    if (pool.requests.length > 0 && Date.now() - pool.signedAt > POOL_MAX_AGE_MS) pool.requests.length = 0;
    return pool.requests.pop() ?? sign();
  };
}

/** A contestant whose every request (the probe included) is freshly signed. */
function signedContestant(id: string, label: string, sign: () => BenchRequest, pool: Pool): Contestant {
  return {
    id,
    label,
    get request() {
      return sign();
    },
    nextRequest: fromPool(pool, sign),
    expect,
    createListener: () => service(true).callback(),
  };
}

export const scenario = defineScenario({
  title: 'Authentication (issue 4): DescribeRegions via koaRpc, unsigned vs Signature V1 / V3 with in-memory nonces',
  baseline: 'unsigned',
  contestants: [
    {
      id: 'unsigned',
      label: 'koaRpc, no authenticate (GET, JSON)',
      request: { method: 'GET', path: `/?Action=DescribeRegions&Version=${VERSION}&Format=JSON&RegionId=cn-hangzhou` },
      expect,
      createListener: () => service(false).callback(),
    },
    signedContestant('signed-v1', 'Signature V1, pop-core GET layout, fresh nonce', signedV1Request, pools.v1),
    signedContestant('signed-v3', 'Signature V3, openapi POST layout, fresh nonce', signedV3Request, pools.v3),
  ],
  // Runs in the harness process only (the contestant processes never call it).
  prepare: async () => {
    const size = poolSize();
    fill(pools.v1, signedV1Request, size);
    fill(pools.v3, signedV3Request, size);
    return {
      close: async () => {
        pools.v1.requests.length = 0;
        pools.v3.requests.length = 0;
      },
    };
  },
  targets: [
    { contestant: 'signed-v1', minRatio: 0.8, source: 'issue 11' },
    { contestant: 'signed-v3', minRatio: 0.8, source: 'issue 11' },
  ],
});
