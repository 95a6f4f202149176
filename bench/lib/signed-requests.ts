/**
 * Signed requests for the benchmark scenarios that measure authentication: the demo key, fresh
 * nonces and timestamps, and pop-core's Signature V1 GET layout.
 */
import { randomBytes } from 'node:crypto';
import { pkg } from './package.js';
import type { BenchRequest } from './scenario.js';

/** API version of the benchmark services. */
export const VERSION = '2014-05-26';
/** The benchmark's AccessKeyId and secret. */
export const AK = 'bench-ak';
export const SECRET = 'bench-secret-7Qx';

const { popEncode, signV1, stringToSignV1 } = pkg;

/** A timestamp in the protocol's form, without milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let counter = 0;
/** A nonce never used before in this process. */
export function nonce(): string {
  counter += 1;
  return `${process.pid}-${counter}-${randomBytes(6).toString('hex')}`;
}

/** A pop-core-like GET: every parameter in the query, Signature last, a fresh nonce and timestamp. */
export function signedV1Request(): BenchRequest {
  const params: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
    AccessKeyId: AK,
    Action: 'DescribeRegions',
    Format: 'JSON',
    RegionId: 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce(),
    SignatureVersion: '1.0',
    Timestamp: isoSeconds(Date.now()),
    Version: VERSION,
  });
  const signature = signV1(stringToSignV1('GET', params), SECRET);
  const query = Object.keys(params).map((n) => `${n}=${popEncode(params[n] as string)}`).join('&');
  // headers: {} because the harness's setupRequest hands autocannon exactly this object, and autocannon
  // reads `headers` without a default (bench/lib/load.ts toAutocannonRequest omits an absent one).
  return { method: 'GET', path: `/?${query}&Signature=${popEncode(signature)}`, headers: {} };
}

/**
 * How many requests to sign ahead for one contestant: enough for the warm-up and every round at
 * ~10k req/s (BENCH_SECONDS, BENCH_ROUNDS, BENCH_WARMUP), or exactly BENCH_POOL_SIZE (0-200000;
 * the in-process bench signs each batch itself and wants no large pool in its heap).
 */
export function poolSize(): number {
  const fixed = process.env.BENCH_POOL_SIZE;
  if (fixed !== undefined && fixed !== '') return Math.min(Math.max(Math.trunc(Number(fixed)) || 0, 0), 200_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const warmup = Number(process.env.BENCH_WARMUP ?? 1);
  const estimate = Math.ceil((warmup + rounds * seconds + 2) * 10_000); // generous for ~10k req/s
  return Number.isFinite(estimate) ? Math.min(Math.max(estimate, 1000), 200_000) : 200_000;
}
