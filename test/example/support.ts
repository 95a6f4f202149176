/**
 * Helpers for the example's tests: start the ECS example in-process on a free 127.0.0.1 port, and
 * drive it through the official SDKs, unmodified, each reporting what its user would observe.
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import RPCClient from '@alicloud/pop-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';
import { loadConfig, type EcsConfig } from '../../examples/ecs/config.js';
import { createEcsService, listen, type EcsService, type EcsServiceOptions } from '../../examples/ecs/service.js';

// aliyun-sdk ships no types; its ECS client is a callback API validated against its ECS model.
const ALY = require('aliyun-sdk') as {
  ECS: new (cfg: Record<string, unknown>) => Record<string, (p: Record<string, string>, cb: (err: unknown, data: unknown) => void) => void>;
};

export const VERSION = '2014-05-26';
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const DEMO = { accessKeyId: 'testid', secret: 'testsecret' };
export const WRONG_SECRET = { accessKeyId: 'testid', secret: 'testsecret-not' };
export const UNKNOWN_KEY = { accessKeyId: 'nobody', secret: 'whatever' };
export const DISABLED = { accessKeyId: 'disabledid', secret: 'disabledsecret' };
export type Key = typeof DEMO;

/** A running in-process example. */
export interface RunningExample {
  readonly endpoint: string;
  readonly service: EcsService;
  close(): Promise<void>;
}

/**
 * Start the example in this process on a free port. `env` is read like the process environment
 * (FRAMEWORK, ECS_THROTTLE_PER_SECOND, REDIS_URL…); `config` overrides fields after that.
 */
export async function startExample(env: Record<string, string> = {}, config: Partial<EcsConfig> = {}, options: EcsServiceOptions = {}): Promise<RunningExample> {
  const service = await createEcsService({ ...loadConfig({ PORT: '0', ...env }), ...config }, options);
  const server = await listen(service.listener, '127.0.0.1', 0);
  return {
    endpoint: server.endpoint,
    service,
    close: async () => {
      server.server.closeAllConnections();
      await server.close();
      await service.close();
    },
  };
}

/** What an SDK call ended with, as its user sees it. */
export type Outcome =
  | { readonly ok: true; readonly body: Record<string, unknown>; readonly headers: http.IncomingHttpHeaders }
  | { readonly ok: false; readonly code: string; readonly status: number | undefined; readonly message: string; readonly headers: http.IncomingHttpHeaders };

/** Flat wire names (`Tag.1.Key`) → values, as every SDK below can send them. */
export type FlatParams = Readonly<Record<string, string>>;

/** One SDK, configured against one endpoint and key. */
export interface SdkClient {
  call(action: string, params?: FlatParams): Promise<Outcome>;
}

/** An SDK as the tests use it. */
export interface Sdk {
  readonly name: string;
  /** Which signature it sends. */
  readonly signature: 'V1' | 'V3';
  /** Whether it can send any parameter (aliyun-sdk only sends what its ECS model declares). */
  readonly anyParameter: boolean;
  client(endpoint: string, key: Key, options?: { fresh?: boolean }): SdkClient;
}

type PopError = { code?: string; message: string; data?: Record<string, unknown>; entry?: { response?: { statusCode?: number; headers?: http.IncomingHttpHeaders } } };

/** `fresh`: a new connection per request (with node:cluster, that spreads requests over the workers). */
function agentFor(fresh: boolean | undefined): http.Agent | undefined {
  return fresh === true ? new http.Agent({ keepAlive: false }) : undefined;
}

/** `@alicloud/pop-core` (Signature V1), GET or POST. Errors: the envelope's Code on `err.code`. */
export function popCore(method: 'GET' | 'POST'): Sdk {
  return {
    name: `@alicloud/pop-core ${method}`,
    signature: 'V1',
    anyParameter: true,
    client(endpoint, key, options) {
      const Ctor = RPCClient as unknown as new (
        cfg: Record<string, string>,
        verbose: boolean,
      ) => { request(a: string, p: Record<string, unknown>, o: Record<string, unknown>): Promise<[Record<string, unknown>, { response: { headers: http.IncomingHttpHeaders } }]> };
      const client = new Ctor({ accessKeyId: key.accessKeyId, accessKeySecret: key.secret, endpoint, apiVersion: VERSION }, true);
      const agent = agentFor(options?.fresh);
      return {
        async call(action, params = {}) {
          try {
            const [body, entry] = await client.request(action, { ...params }, { method, timeout: 10_000, ...(agent === undefined ? {} : { agent }) });
            // json-bigint builds null-prototype objects: compare them as plain JSON.
            return { ok: true, body: JSON.parse(JSON.stringify(body)) as Record<string, unknown>, headers: entry.response.headers };
          } catch (err) {
            const e = err as PopError;
            if (e.code === undefined || e.data === undefined) throw err; // not an error envelope: a broken test
            return { ok: false, code: e.code, status: e.entry?.response?.statusCode, message: String(e.data.Message), headers: e.entry?.response?.headers ?? {} };
          }
        },
      };
    },
  };
}

type TeaClient = { callApi(p: unknown, r: unknown, rt: unknown): Promise<{ body: Record<string, unknown>; headers: http.IncomingHttpHeaders }> };
type TeaError = { code?: string; statusCode?: number; message: string; data?: Record<string, unknown> };

/** `@alicloud/openapi-client`: Signature V3 by default, V1 with `signatureAlgorithm: 'v2'`. */
export function openApiClient(signature: 'V1' | 'V3'): Sdk {
  return {
    name: `@alicloud/openapi-client ${signature}`,
    signature,
    anyParameter: true,
    client(endpoint, key, options) {
      const config = new $OpenApi.Config({
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.secret,
        endpoint: endpoint.replace('http://', ''),
        protocol: 'HTTP',
        readTimeout: 10_000,
        ...(signature === 'V1' ? { signatureAlgorithm: 'v2' } : {}),
      });
      const client = new (OpenApiClient as unknown as new (c: unknown) => TeaClient)(config);
      const runtime = options?.fresh === true ? { keepAlive: false } : {};
      return {
        async call(action, params = {}) {
          const apiParams = new $OpenApi.Params({ action, version: VERSION, protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
          try {
            const result = await client.callApi(apiParams, new $OpenApi.OpenApiRequest({ query: { ...params } }), runtime);
            return { ok: true, body: result.body, headers: result.headers };
          } catch (err) {
            const e = err as TeaError;
            if (e.code === undefined || e.data === undefined) throw err;
            return { ok: false, code: e.code, status: e.statusCode, message: String(e.data.Message), headers: {} };
          }
        },
      };
    },
  };
}

/**
 * `aliyun-sdk` (legacy, Signature V1, always POST). It validates parameters against its own ECS
 * model, so the driver speaks that model: `InstanceId.N` becomes ECS's `InstanceIds` JSON array, and
 * CreateInstance gets the `ImageId` the model requires (this service ignores it).
 */
export function aliyunSdk(): Sdk {
  return {
    name: 'aliyun-sdk',
    signature: 'V1',
    anyParameter: false,
    client(endpoint, key) {
      const ecs = new ALY.ECS({ accessKeyId: key.accessKeyId, secretAccessKey: key.secret, endpoint, apiVersion: VERSION, httpOptions: { timeout: 10_000 } });
      return {
        call(action, params = {}) {
          const modelParams: Record<string, string> = {};
          const ids: string[] = [];
          for (const [name, value] of Object.entries(params)) {
            if (/^InstanceId\.\d+$/.test(name) && action === 'DescribeInstances') ids.push(value);
            else modelParams[name] = value;
          }
          if (ids.length > 0) modelParams.InstanceIds = JSON.stringify(ids);
          if (action === 'CreateInstance') modelParams.ImageId = 'aliyun_3_x64_20G_alibase_20240819.vhd';
          const method = ecs[action.charAt(0).toLowerCase() + action.slice(1)];
          if (method === undefined) throw new Error(`aliyun-sdk's ECS model has no ${action}`);
          return new Promise<Outcome>((resolve, reject) => {
            method.call(ecs, modelParams, (err: unknown, data: unknown) => {
              if (err === null || err === undefined) {
                resolve({ ok: true, body: data as Record<string, unknown>, headers: {} });
                return;
              }
              const e = err as { code?: unknown; statusCode?: number; message?: string };
              if (typeof e.code !== 'string' || e.statusCode === undefined) {
                reject(err instanceof Error ? err : new Error(String(e.message)));
                return;
              }
              resolve({ ok: false, code: e.code, status: e.statusCode, message: String(e.message), headers: {} });
            });
          });
        },
      };
    },
  };
}

/** Every SDK the example is driven through. */
export const SDKS: readonly Sdk[] = [popCore('GET'), popCore('POST'), openApiClient('V1'), openApiClient('V3'), aliyunSdk()];

/** The success body of an outcome, or an assertion error naming the failure. */
export function bodyOf(outcome: Outcome, what: string): Record<string, unknown> {
  if (!outcome.ok) throw new Error(`${what}: expected success, got ${outcome.code} (${outcome.status}): ${outcome.message}`);
  return outcome.body;
}

/** The failure of an outcome, or an assertion error when it succeeded. */
export function failureOf(outcome: Outcome, what: string): Extract<Outcome, { ok: false }> {
  if (outcome.ok) throw new Error(`${what}: expected an error, got ${JSON.stringify(outcome.body)}`);
  return outcome;
}

/** The instances of a DescribeInstances body. */
export function instancesOf(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const list = (body.Instances as { Instance?: unknown } | undefined)?.Instance;
  if (!Array.isArray(list)) throw new Error(`no Instances.Instance list in ${JSON.stringify(body)}`);
  return list as Array<Record<string, unknown>>;
}

/** Flat `Tag.N.Key` / `Tag.N.Value` parameters. */
export function tagParams(tags: ReadonlyArray<{ Key: string; Value?: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  tags.forEach((tag, i) => {
    out[`Tag.${i + 1}.Key`] = tag.Key;
    if (tag.Value !== undefined) out[`Tag.${i + 1}.Value`] = tag.Value;
  });
  return out;
}

/** GET a URL on 127.0.0.1; resolves with status, headers and body text. */
export function httpGet(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** A child process running one of the example's scripts, with its output collected. */
export interface ScriptProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `pattern`; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name); SIGKILL after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | string>;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<number | string>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Run `examples/ecs/<script>` with Node + tsx and `env` added to a clean environment. */
export function runScript(script: string, env: Record<string, string>, args: readonly string[] = []): ScriptProcess {
  const baseEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) baseEnv[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'examples/ecs', script), ...args], {
    cwd: REPO_ROOT,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const exited = async (timeoutMs = 20_000): Promise<number | string> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exit;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = out.match(pattern);
          if (match === null) return false;
          cleanup();
          resolve(match);
          return true;
        };
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`${script} exited before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${script} did not print ${pattern} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.off('exit', onExit);
        };
        if (check()) return;
        child.stdout?.on('data', check);
        child.once('exit', onExit);
      });
    },
    exited,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited(10_000);
    },
  };
}
