/**
 * `clientTokenGuard(options)`: ClientToken idempotency for the RPC API (protocol.md §3.4), on any
 * {@link Store}. The first request with a token reserves it atomically and runs; its success is
 * stored and replayed to retries with the same parameters; different parameters are
 * `IdempotentParameterMismatch`; a retry while the first still runs is `LastTokenProcessing`; a
 * failure frees the token. A store that cannot answer is `ServiceUnavailable` (fail closed).
 */
import { randomBytes } from 'node:crypto';
import { errors } from '../core/errors/index.js';
import type { Caller, IdempotencyGuard, IdempotentCall, RpcRequest, RpcResult } from '../rpc/pipeline.js';
import { MemoryStore } from '../stores/memory-store.js';
import type { Store } from '../stores/store.js';
import { isStoreUnavailableError } from '../stores/store-unavailable-error.js';
import { isValidClientToken } from './client-token.js';
import { ClientTokenGuardError } from './guard-error.js';
import { holdReservation } from './reservation-lease.js';
import { restoreData, snapshotData } from './result-snapshot.js';
import { doneEntry, parseTokenEntry, pendingEntry } from './token-entry.js';
import { fingerprintDigest, tokenKey } from './token-key.js';

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

/** Tells this process's reservations apart from other processes' in a shared store. */
const PROCESS_TAG = randomBytes(9).toString('base64url');
let ownerCounter = 0;

/**
 * Build the idempotency step of `createRpcApi({ idempotency })`; actions opt in with
 * `idempotent: true`.
 *
 * @example
 * const idempotency = clientTokenGuard({ store: new RedisStore({ client: redis }), retentionMs: 24 * 3600_000 });
 * const api = createRpcApi({ version: '2014-05-26', authenticate, idempotency });
 * api.action('RunInstances', { idempotent: true, params: { ClientToken: p.string({ maxLength: 64 }) }, handler: runInstances });
 */
export function clientTokenGuard(options: ClientTokenGuardOptions = {}): IdempotencyGuard {
  const store = options.store ?? new MemoryStore({ maxEntries: DEFAULT_CLIENT_TOKEN_STORE_ENTRIES });
  const retentionMs = positiveInteger('retentionMs', options.retentionMs ?? DEFAULT_CLIENT_TOKEN_RETENTION_MS);
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? DEFAULT_CLIENT_TOKEN_LEASE_MS);
  const maxResultBytes = positiveInteger('maxResultBytes', options.maxResultBytes ?? DEFAULT_CLIENT_TOKEN_MAX_RESULT_BYTES);
  const keyPrefix = options.keyPrefix ?? 'ct:';
  if (typeof keyPrefix !== 'string') throw new TypeError('clientTokenGuard: keyPrefix must be a string');
  const onError = options.onError;

  return async function guardClientToken(_request: RpcRequest, call: IdempotentCall, run: () => Promise<RpcResult>): Promise<RpcResult> {
    if (!isValidClientToken(call.clientToken)) throw new errors.InvalidParameter('ClientToken');
    const report = (phase: ClientTokenPhase, error: unknown): void => {
      if (onError === undefined) return;
      try {
        onError(error, { phase, action: call.action, caller: call.caller });
      } catch {
        // A reporter that throws must not change the answer.
      }
    };
    /** A store step whose failure refuses the request (fail closed). */
    const required = async <T>(phase: ClientTokenPhase, step: () => Promise<T>, undo?: () => Promise<unknown>): Promise<T> => {
      try {
        return await step();
      } catch (error) {
        if (!isStoreUnavailableError(error)) throw error;
        report(phase, error);
        // A command that timed out may still run later (a paused Redis answers in order once it
        // resumes): queue its undo behind it, so that no orphan reservation blocks the retries.
        undo?.().catch(() => undefined);
        throw new errors.ServiceUnavailable({ cause: error });
      }
    };

    const key = tokenKey(keyPrefix, call.caller, call.action, call.clientToken);
    const digest = fingerprintDigest(call.fingerprint);
    for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
      ownerCounter = (ownerCounter + 1) % Number.MAX_SAFE_INTEGER;
      const mine = pendingEntry(digest, `${PROCESS_TAG}-${ownerCounter}`);
      if (await required('reserve', () => store.setIfAbsent(key, mine, leaseMs), () => store.compareAndDelete(key, mine))) {
        return runReserved(key, mine, digest, run, report);
      }
      const existing = await required('read', () => store.get(key));
      if (existing === undefined) continue; // freed or expired since: try to reserve again
      const entry = parseTokenEntry(existing);
      if (entry === undefined) {
        const error = new ClientTokenGuardError('foreign-entry', 'The ClientToken entry was not written by this guard (check keyPrefix)');
        report('read', error);
        throw new errors.ServiceUnavailable({ cause: error });
      }
      if (entry.digest !== digest) throw new errors.IdempotentParameterMismatch();
      if (entry.kind === 'pending') throw new errors.LastTokenProcessing();
      let data: object;
      try {
        data = restoreData(entry.snapshot);
      } catch (cause) {
        const error = new ClientTokenGuardError('foreign-entry', 'The stored ClientToken result cannot be read', { cause });
        report('read', error);
        throw new errors.ServiceUnavailable({ cause: error });
      }
      return { data, status: entry.status };
    }
    // Reserved by someone else, then gone, three times in a row: another request is busy with it.
    throw new errors.LastTokenProcessing();
  };

  async function runReserved(
    key: string,
    mine: string,
    digest: string,
    run: () => Promise<RpcResult>,
    report: (phase: ClientTokenPhase, error: unknown) => void,
  ): Promise<RpcResult> {
    const stopLease = holdReservation(store, key, mine, leaseMs, (error) => report('renew', error));
    let result: RpcResult;
    try {
      result = await run();
    } catch (failure) {
      stopLease();
      // The attempt failed: free the token so that the caller can retry (only if it is still ours).
      try {
        await store.compareAndDelete(key, mine);
      } catch (error) {
        report('release', error); // it expires after leaseMs anyway
      }
      throw failure;
    }
    stopLease();
    // The action has happened: from here on, the result is answered whatever the store does.
    let entry: string;
    try {
      entry = doneEntry(digest, result.status, snapshotData(result.data));
    } catch (cause) {
      report('store-result', new ClientTokenGuardError('result-not-storable', 'The result cannot be stored for ClientToken replays', { cause }));
      return result;
    }
    if (Buffer.byteLength(entry, 'utf8') > maxResultBytes) {
      report('store-result', new ClientTokenGuardError('result-too-large', `The result is larger than maxResultBytes (${maxResultBytes}) and was not stored`));
      return result;
    }
    try {
      if (!(await store.compareAndSet(key, mine, entry, retentionMs))) {
        report('store-result', new ClientTokenGuardError('reservation-lost', 'The ClientToken reservation was gone when the result was to be stored'));
      }
    } catch (error) {
      report('store-result', error);
    }
    return result;
  }
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`clientTokenGuard: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
