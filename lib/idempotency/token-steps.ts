/**
 * The steps of one ClientToken call, in the order `clientTokenGuard` runs them: reserve the token
 * (or read its entry and replay it), run the handler while holding the reservation, store the
 * result. Each step states what a store failure does: refuse with 503 (reserve, read), or report
 * and keep the answer (release, renew, store-result). docs/throttling-and-idempotency.md.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '../core/errors/index.js';
import type { IdempotentCall, RpcResult } from '../rpc/pipeline.js';
import { UNIQUE_VALUE, type Store } from '../stores/store.js';
import { isStoreUnavailableError } from '../stores/store-unavailable-error.js';
import type { ClientTokenGuardOptions, ClientTokenPhase } from './client-token-guard.js';
import { ClientTokenGuardError } from './guard-error.js';
import { holdReservation } from './reservation-lease.js';
import { restoreData, snapshotData } from './result-snapshot.js';
import { doneEntry, parseTokenEntry, pendingEntry } from './token-entry.js';
import { fingerprintDigest, tokenKey } from './token-key.js';

/** The guard's validated options. */
export interface GuardSettings {
  readonly store: Store;
  readonly retentionMs: number;
  readonly leaseMs: number;
  readonly maxResultBytes: number;
  readonly keyPrefix: string;
  readonly onError: ClientTokenGuardOptions['onError'];
}

/** One call's token: its store key, its parameters digest, and how its problems are reported. */
export interface TokenCall {
  readonly key: string;
  readonly digest: string;
  report(phase: ClientTokenPhase, error: unknown): void;
}

/** Tells this process's reservations apart from other processes' in a shared store. */
const PROCESS_TAG = randomBytes(9).toString('base64url');
let ownerCounter = 0;

/**
 * The token of `call`, with a reporter that never throws.
 *
 * @example
 * const token = tokenCall(settings, call);
 */
export function tokenCall(settings: GuardSettings, call: IdempotentCall): TokenCall {
  const { onError } = settings;
  return {
    key: tokenKey(settings.keyPrefix, call.caller, call.action, call.clientToken),
    digest: fingerprintDigest(call.fingerprint),
    report(phase, error) {
      if (onError === undefined) return;
      try {
        onError(error, { phase, action: call.action, caller: call.caller });
      } catch {
        // A reporter that throws must not change the answer.
      }
    },
  };
}

/**
 * A store step whose failure refuses the request (fail closed): a StoreUnavailableError is reported
 * and becomes ServiceUnavailable (503), after queueing `undo`; anything else (a bug) propagates.
 */
async function required<T>(token: TokenCall, phase: ClientTokenPhase, step: () => Promise<T>, undo?: () => Promise<unknown>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!isStoreUnavailableError(error)) throw error;
    token.report(phase, error);
    // A command that timed out may still run later (a paused Redis answers in order once it
    // resumes): queue its undo behind it, so that no orphan reservation blocks the retries.
    undo?.().catch(() => undefined);
    throw new errors.ServiceUnavailable({ cause: error });
  }
}

/**
 * Step 1: reserve the token (`setIfAbsent` of a pending entry owned by this call, for `leaseMs`).
 * Resolves the reservation (the pending entry) when this call got it, undefined when it is taken.
 *
 * @example
 * const reservation = await reserveToken(settings, token);
 */
export async function reserveToken(settings: GuardSettings, token: TokenCall): Promise<string | undefined> {
  const { store } = settings;
  ownerCounter = (ownerCounter + 1) % Number.MAX_SAFE_INTEGER;
  const mine = pendingEntry(token.digest, `${PROCESS_TAG}-${ownerCounter}`);
  // `mine` is unique to this call: a resent SET whose reply was lost finds it and holds the
  // reservation instead of answering LastTokenProcessing to itself (docs/scaling.md).
  const reserved = await required(token, 'reserve', () => store.setIfAbsent(token.key, mine, settings.leaseMs, UNIQUE_VALUE), () => store.compareAndDelete(token.key, mine));
  return reserved ? mine : undefined;
}

/**
 * Step 1, taken: read the entry of a token that another call holds (undefined: gone since).
 *
 * @example
 * const existing = await readEntry(settings, token);
 */
export function readEntry(settings: GuardSettings, token: TokenCall): Promise<string | undefined> {
  return required(token, 'read', () => settings.store.get(token.key));
}

/**
 * Step 1, taken: the answer to a retry. Its stored result (a fresh object), or
 * IdempotentParameterMismatch (other parameters), LastTokenProcessing (still running), or 503 for an
 * entry this guard did not write.
 *
 * @example
 * return replayEntry(token, existing);
 */
export function replayEntry(token: TokenCall, existing: string): RpcResult {
  const entry = parseTokenEntry(existing);
  if (entry === undefined) {
    const error = new ClientTokenGuardError('foreign-entry', 'The ClientToken entry was not written by this guard (check keyPrefix)');
    token.report('read', error);
    throw new errors.ServiceUnavailable({ cause: error });
  }
  if (entry.digest !== token.digest) throw new errors.IdempotentParameterMismatch();
  if (entry.kind === 'pending') throw new errors.LastTokenProcessing();
  try {
    return { data: restoreData(entry.snapshot), status: entry.status, replayed: true };
  } catch (cause) {
    const error = new ClientTokenGuardError('foreign-entry', 'The stored ClientToken result cannot be read', { cause });
    token.report('read', error);
    throw new errors.ServiceUnavailable({ cause: error });
  }
}

/**
 * Step 2: run the handler while renewing the reservation. If it fails, the token is released (only
 * if still ours) so that the caller can retry, and the failure is rethrown unchanged.
 *
 * @example
 * const result = await runHoldingReservation(settings, token, reservation, run);
 */
export async function runHoldingReservation(settings: GuardSettings, token: TokenCall, reservation: string, run: () => Promise<RpcResult>): Promise<RpcResult> {
  const { store } = settings;
  const stopLease = holdReservation(store, token.key, reservation, settings.leaseMs, (error) => token.report('renew', error));
  try {
    return await run();
  } catch (failure) {
    stopLease();
    try {
      await store.compareAndDelete(token.key, reservation);
    } catch (error) {
      token.report('release', error); // it expires after leaseMs anyway
    }
    throw failure;
  } finally {
    stopLease();
  }
}

/**
 * Step 3: store the result for replays (`compareAndSet` of our reservation, for `retentionMs`). The
 * action has happened, so whatever goes wrong here is reported, never answered: a result that
 * cannot be stored leaves the reservation to expire.
 *
 * @example
 * await storeResult(settings, token, reservation, result);
 */
export async function storeResult(settings: GuardSettings, token: TokenCall, reservation: string, result: RpcResult): Promise<void> {
  let entry: string;
  try {
    entry = doneEntry(token.digest, result.status, snapshotData(result.data));
  } catch (cause) {
    token.report('store-result', new ClientTokenGuardError('result-not-storable', 'The result cannot be stored for ClientToken replays', { cause }));
    return;
  }
  if (Buffer.byteLength(entry, 'utf8') > settings.maxResultBytes) {
    token.report('store-result', new ClientTokenGuardError('result-too-large', `The result is larger than maxResultBytes (${settings.maxResultBytes}) and was not stored`));
    return;
  }
  try {
    if (!(await settings.store.compareAndSet(token.key, reservation, entry, settings.retentionMs))) {
      token.report('store-result', new ClientTokenGuardError('reservation-lost', 'The ClientToken reservation was gone when the result was to be stored'));
    }
  } catch (error) {
    token.report('store-result', error);
  }
}
