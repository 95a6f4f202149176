/**
 * Test side of test/support/two-instance-service.ts: start instances as child processes (each with
 * its own Redis client), sign V1 requests, send them over loopback, read the envelopes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signV1, stringToSignV1 } from '../../lib/index.js';
import { TWO_INSTANCE_KEYS, TWO_INSTANCE_VERSION } from './two-instance-service.js';

const SERVICE = join(__dirname, 'two-instance-service.ts');

/** A running instance. */
export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** What it wrote to stderr (kept short). */
  readonly stderr: () => string;
}

/**
 * Start an instance on `redisUrl` with `library` (or on a Redis Cluster: `redisUrl` lists its nodes,
 * comma-separated), and wait (at most 30 s) until it listens.
 *
 * @example
 * const a = await startInstance('a', server.url, 'ioredis');
 * const c = await startInstance('c', cluster.urls.join(','), 'cluster');
 */
export async function startInstance(name: string, redisUrl: string, library: 'ioredis' | 'node-redis' | 'cluster'): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE], {
    env: { ...process.env, REDIS_URL: redisUrl, REDIS_LIBRARY: library, REDIS_CLUSTER: library === 'cluster' ? '1' : '0', INSTANCE: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8_000) stderr += chunk.toString('utf8');
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`instance ${name} did not listen within 30 s: ${stderr}`)), 30_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /LISTENING (\d+)/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`instance ${name} exited (${code}) before listening: ${stderr}`)));
  });
  return { name, port, child, stderr: () => stderr };
}

/** Stop an instance this test started (SIGTERM, then SIGKILL after 5 s). */
export async function stopInstance(instance: Instance): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** True while the process runs (it did not crash). */
export function alive(instance: Instance): boolean {
  return instance.child.exitCode === null && instance.child.signalCode === null;
}

/** A signed V1 query string for `action` with `business` parameters (fresh nonce unless given). */
export function signedQuery(action: string, business: Record<string, string> = {}, accessKeyId: keyof typeof TWO_INSTANCE_KEYS = 'ak-1', nonce = randomUUID()): string {
  const params: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
    AccessKeyId: accessKeyId,
    Action: action,
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: TWO_INSTANCE_VERSION,
    ...business,
  });
  params.Signature = signV1(stringToSignV1('GET', params), TWO_INSTANCE_KEYS[accessKeyId].secret);
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** An anonymous query string. */
export function anonymousQuery(action: string): string {
  return `Action=${action}&Version=${TWO_INSTANCE_VERSION}&Format=JSON`;
}

/** A response as a client reads it; `body` is the parsed JSON envelope. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly requestId: string | null;
}

/**
 * GET `/?query` from `instance` (10 s bound). Checks that the answer is a well-formed JSON envelope:
 * RequestId in body and header; an error has string RequestId, HostId, Code and Message.
 */
export async function ask(instance: Pick<Instance, 'port'>, query: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${instance.port}/?${query}`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8', text);
  const body = JSON.parse(text) as Record<string, unknown>;
  const requestId = res.headers.get('x-acs-request-id');
  assert.equal(body.RequestId, requestId, 'body RequestId = x-acs-request-id');
  if (res.status !== 200) {
    for (const field of ['RequestId', 'HostId', 'Code', 'Message']) assert.equal(typeof body[field], 'string', `${field} in ${text}`);
  }
  return { status: res.status, body, requestId };
}

/** `status Code` (or `200`) of an answer, for compact assertions. */
export function summary(answer: Answer): string {
  return answer.status === 200 ? '200' : `${answer.status} ${String(answer.body.Code)}`;
}
