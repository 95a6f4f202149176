/**
 * Shared by the throttling tests: a minimal RpcRequest, a caller, and fake Redis clients that fail
 * or never answer (deterministic store failures without a server).
 */
import assert from 'node:assert/strict';
import type { OpenApiState } from '../../lib/core/exchange.js';
import { isApiError, type Caller, type RpcRequest, type Throttler } from '../../lib/index.js';

/** A request as the pipeline sees it; only `clientIp` matters to the default identity. */
export function rpcRequest(clientIp = '192.0.2.1'): RpcRequest {
  return { method: 'GET', path: '/', querystring: '', headers: {}, state: {} as OpenApiState, clientIp };
}

export function caller(accessKeyId: string): Caller {
  return { accessKeyId, signatureVersion: 'V1' };
}

type Listener = (...args: unknown[]) => void;

/**
 * An object shaped like a connected ioredis client (status, call, on, defineCommand): every
 * command rejects (`'reject'`) or never settles (`'hang'`). Counts the commands it was sent.
 */
export function fakeIoRedis(behaviour: 'reject' | 'hang'): { client: FakeIoRedis; sent: () => number } {
  let sent = 0;
  const answer = (): Promise<unknown> => {
    sent += 1;
    return behaviour === 'reject' ? Promise.reject(new Error('ERR fake failure (secret-ish detail)')) : new Promise<unknown>(() => undefined);
  };
  const client: FakeIoRedis = {
    status: 'ready',
    on: (_event: string, _listener: Listener) => client,
    call: () => answer(),
    defineCommand(name: string) {
      (client as unknown as Record<string, unknown>)[name] = answer;
    },
  };
  return { client, sent: () => sent };
}

export interface FakeIoRedis {
  status: string;
  on(event: string, listener: Listener): unknown;
  call(command: string, args: string[]): Promise<unknown>;
  defineCommand(name: string, definition: unknown): void;
}

/** Outcome of one throttle call, as the RPC API would see it. */
export async function attempt(throttle: Throttler, action: string, accessKeyId?: string, ip?: string): Promise<'pass' | { code: string; status: number; retryAfter: string | undefined }> {
  try {
    await throttle(rpcRequest(ip), { caller: accessKeyId === undefined ? undefined : caller(accessKeyId), action });
    return 'pass';
  } catch (err) {
    assert.ok(isApiError(err), `not an ApiError: ${String(err)}`);
    return { code: err.code, status: err.status, retryAfter: err.headers?.['x-acs-retry-after'] };
  }
}

export async function passes(throttle: Throttler, n: number, action: string, accessKeyId?: string, ip?: string): Promise<number> {
  let passed = 0;
  for (let i = 0; i < n; i++) if ((await attempt(throttle, action, accessKeyId, ip)) === 'pass') passed++;
  return passed;
}

