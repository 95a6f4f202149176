/**
 * `clientTokenGuard(options)`: ClientToken idempotency for the RPC API (docs/protocol.md §3.4), on any
 * {@link Store}. The first request with a token reserves it atomically and runs; its success is
 * stored and replayed to retries with the same parameters; different parameters are
 * `IdempotentParameterMismatch`; a retry while the first still runs is `LastTokenProcessing`; a
 * failure frees the token. A store that cannot answer is `ServiceUnavailable` (fail closed).
 */
import { errors } from '../core/errors/index.js';
import type { Caller, IdempotencyGuard, IdempotentCall, RpcRequest, RpcResult } from '../rpc/pipeline.js';
import { MemoryStore } from '../stores/memory-store.js';
import type { Store } from '../stores/store.js';
import { isValidClientToken } from './client-token.js';
import { readEntry, replayEntry, reserveToken, runHoldingReservation, storeResult, tokenCall, type GuardSettings } from './token-steps.js';

/** Default retention of a stored result: 24 hours. */
export const DEFAULT_CLIENT_TOKEN_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Default reservation lease: 30 seconds, renewed every 10 seconds while the handler runs. */
export const DEFAULT_CLIENT_TOKEN_LEASE_MS = 30_000;
/** Default cap on one stored result (the entry's UTF-8 size): 64 KiB. */
export const DEFAULT_CLIENT_TOKEN_MAX_RESULT_BYTES = 64 * 1024;
/** Entries of the default in-memory store. */
export const DEFAULT_CLIENT_TOKEN_STORE_ENTRIES = 100_000;

/** Where in the guard's work a problem happened. */
export type ClientTokenPhase =
  /** Reserving the token (the request was refused with 503). */
  | 'reserve'
  /** Reading the entry of a token already in use (the request was refused with 503). */
  | 'read'
  /** Storing the result after the handler succeeded (the result was still answered). */
  | 'store-result'
  /** Freeing the token after the handler failed (the failure was still answered). */
  | 'release'
  /** Renewing the reservation while the handler runs (nothing was changed). */
  | 'renew';

/** What {@link ClientTokenGuardOptions.onError} is told besides the error. */
export interface ClientTokenErrorInfo {
  readonly phase: ClientTokenPhase;
  readonly action: string;
  readonly caller: Caller | undefined;
}

/** Options of {@link clientTokenGuard}. */
export interface ClientTokenGuardOptions {
  /**
   * Where tokens and results are kept. Default: a `MemoryStore` of 100 000 entries private to this
   * guard (one instance only: give every instance the same `RedisStore` behind a load balancer).
   */
  store?: Store;
  /** How long a result is replayed, in ms (default 24 h). A token is free again afterwards. */
  retentionMs?: number;
  /**
   * The reservation's TTL while the handler runs, in ms (default 30 s), renewed every third of it.
   * If the instance dies mid-request, the token is free again within this time.
   */
  leaseMs?: number;
  /** Key prefix in the store. Default `'ct:'`. */
  keyPrefix?: string;
  /** Largest stored entry in bytes (default 64 KiB); a larger result is answered but not stored. */
  maxResultBytes?: number;
  /** Told about every store problem, whether it refused the request or not. Must not throw; if it does, it is ignored. */
  onError?: (error: unknown, info: ClientTokenErrorInfo) => void;
}

/** How often a token that vanished between "reserved by someone" and "read" is tried again. */
const RESERVE_ATTEMPTS = 3;

/**
 * Build the idempotency step of `createRpcApi({ idempotency })`; actions opt in with
 * `idempotent: true`. Each call goes through the named steps of `token-steps.ts`: reserve the
 * token, or read and replay its entry; run the handler holding the reservation; store the result.
 *
 * @example
 * const idempotency = clientTokenGuard({ store: new RedisStore({ client: redis }), retentionMs: 24 * 3600_000 });
 * const api = createRpcApi({ version: '2014-05-26', authenticate, idempotency });
 * api.action('RunInstances', { idempotent: true, params: { ClientToken: p.string({ maxLength: 64 }) }, handler: runInstances });
 */
export function clientTokenGuard(options: ClientTokenGuardOptions = {}): IdempotencyGuard {
  const settings = guardSettings(options);

  return async function guardClientToken(_request: RpcRequest, call: IdempotentCall, run: () => Promise<RpcResult>): Promise<RpcResult> {
    if (!isValidClientToken(call.clientToken)) throw new errors.InvalidParameter('ClientToken');
    const token = tokenCall(settings, call);
    for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
      const reservation = await reserveToken(settings, token);
      if (reservation !== undefined) {
        const result = await runHoldingReservation(settings, token, reservation, run);
        await storeResult(settings, token, reservation, result);
        return result;
      }
      const existing = await readEntry(settings, token);
      if (existing !== undefined) return replayEntry(token, existing);
      // Freed or expired since it was found reserved: try to reserve it again.
    }
    // Reserved by someone else, then gone, three times in a row: another request is busy with it.
    throw new errors.LastTokenProcessing();
  };
}

function guardSettings(options: ClientTokenGuardOptions): GuardSettings {
  const keyPrefix = options.keyPrefix ?? 'ct:';
  if (typeof keyPrefix !== 'string') throw new TypeError('clientTokenGuard: keyPrefix must be a string');
  return {
    store: options.store ?? new MemoryStore({ maxEntries: DEFAULT_CLIENT_TOKEN_STORE_ENTRIES }),
    retentionMs: positiveInteger('retentionMs', options.retentionMs ?? DEFAULT_CLIENT_TOKEN_RETENTION_MS),
    leaseMs: positiveInteger('leaseMs', options.leaseMs ?? DEFAULT_CLIENT_TOKEN_LEASE_MS),
    maxResultBytes: positiveInteger('maxResultBytes', options.maxResultBytes ?? DEFAULT_CLIENT_TOKEN_MAX_RESULT_BYTES),
    keyPrefix,
    onError: options.onError,
  };
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`clientTokenGuard: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
