/**
 * Replay protection: each (AccessKeyId, SignatureNonce) pair is accepted once within the nonce TTL.
 */
import * as crypto from 'node:crypto';
import { errors } from '../core/errors/index.js';
import { digest } from './digests.js';
import { isStoreUnavailableError } from '../stores/store-unavailable-error.js';
import { UNIQUE_VALUE, type Store } from '../stores/store.js';
import { MemoryStore } from '../stores/memory-store.js';
import { hashTag } from '../stores/hash-tag.js';

/** A claimed nonce; `release()` forgets it again (used when the request ends in a 5xx). */
export interface NonceClaim {
  /** Removes the entry if it is still the one this claim wrote. Never rejects. */
  release(): Promise<void>;
}

/** A nonce as the guard would record it: `setIfAbsent(key, value, ttlMs)` on `store`. */
export interface NonceRecord {
  readonly store: Store;
  /** The key in the store (the store's own prefix not included). */
  readonly key: string;
  readonly value: string;
  readonly ttlMs: number;
}

/**
 * Records a nonce together with other work in one round trip (the throttler counting the request in
 * the same Redis script), with `setIfAbsent`'s semantics: resolves `'recorded'` when this call
 * created the entry, `'used'` when it existed, and rejects as the store would. Returns `undefined`
 * when it cannot take this nonce (another store, keys in different Cluster slots): the guard then
 * records it alone.
 */
export type NonceRecorder = (nonce: NonceRecord) => Promise<'recorded' | 'used'> | undefined;

/** Options of {@link NonceGuard}. */
export interface NonceGuardOptions {
  readonly store: Store;
  /** How long a nonce is remembered, in ms (a positive safe integer). */
  readonly ttlMs: number;
  /** Prefix of the store keys. Default `'nonce:'`. */
  readonly keyPrefix?: string;
}

/** Tells this process's claims apart from other processes' in a shared store. */
const PROCESS_TAG = crypto.randomBytes(9).toString('base64url');
/**
 * Numbers the claims of every guard of this process: with PROCESS_TAG, a claim's value is unique,
 * also between two guards on one store (two APIs, or two instances, in one process).
 */
let claimCounter = 0;

/**
 * Claims nonces in a {@link Store} with an atomic set-if-absent.
 *
 * Keys are `prefix + {ak:<AccessKeyId>} + base64url(SHA-256(AccessKeyId, nonce))`: bounded length
 * however long the nonce, no separator ambiguity, the caller's hash tag (a Redis Cluster keeps a
 * caller's nonces and throttling counters in one slot, docs/scaling.md), and nonces are scoped per AccessKeyId (two callers that happen to pick the
 * same nonce, as aliyun-sdk's millisecond-based ones can, do not collide). Each entry's value is a
 * token unique to the claim, so `release()` cannot delete a later claim of the same nonce, and a
 * claim whose store reply was lost and whose command was resent finds its own token and is
 * recorded, not refused as a replay (`setIfAbsent(…, { uniqueValue: true })`).
 *
 * @example
 * const guard = new NonceGuard({ store: new MemoryStore(), ttlMs: 31 * 60_000 });
 * const claim = await guard.claim('my-ak', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'); // throws SignatureNonceUsed on a replay
 * if (failedWith5xx) await claim.release();
 */
export class NonceGuard {
  private readonly store: Store;
  private readonly ttlMs: number;
  private readonly prefix: string;
  /** The store when it answers at once (see {@link synchronousStore}). */
  private readonly memory: MemoryStore | undefined;

  constructor(options: NonceGuardOptions) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1) {
      throw new RangeError(`nonce TTL must be a positive safe integer (ms), got ${String(options.ttlMs)}`);
    }
    this.store = options.store;
    this.ttlMs = options.ttlMs;
    this.prefix = options.keyPrefix ?? 'nonce:';
    this.memory = synchronousStore(options.store);
  }

  /**
   * The store key of a nonce.
   *
   * @example
   * guard.keyOf('ak', 'n1'); // 'nonce:{ak:ak}Xb3…' (43 base64url characters after the tag)
   */
  keyOf(accessKeyId: string, nonce: string): string {
    return this.prefix + hashTag(`ak:${accessKeyId}`) + digest('sha256', `${accessKeyId.length}:${accessKeyId}${nonce}`, 'base64url');
  }

  /**
   * Record the nonce. Throws `SignatureNonceUsed` (400) when it is already recorded, and
   * `ServiceUnavailable` (503) when the store cannot answer (fail closed: a request whose nonce
   * cannot be recorded is not served). Other store failures (bugs) are rethrown.
   *
   * With a `recorder` (the throttler's, see `signatureAuthenticator({ combineWithThrottle })`), the
   * nonce is recorded by it, in the same round trip as the request's throttling count.
   *
   * @example
   * await guard.claim(caller.accessKeyId, nonce);
   */
  claim(accessKeyId: string, nonce: string, recorder?: NonceRecorder): Promise<NonceClaim> {
    return Promise.resolve(this.claimThen(accessKeyId, nonce, recorder, (claim) => claim));
  }

  /**
   * {@link claim}, then `onClaimed(claim)` in the same turn of the microtask queue (the authenticator
   * builds its caller there: one promise turn for the whole step instead of one per layer). With a
   * `MemoryStore` (and no recorder) the nonce is recorded at once and `onClaimed`'s value is returned
   * as it is, not in a promise: a signed request then waits for nothing. Never throws synchronously;
   * a replay, a store failure and what `onClaimed` throws are rejected promises.
   *
   * @example
   * const caller = await guard.claimThen('my-ak', nonce, undefined, (claim) => ({ accessKeyId: 'my-ak', claim }));
   */
  claimThen<T>(accessKeyId: string, nonce: string, recorder: NonceRecorder | undefined, onClaimed: (claim: NonceClaim) => T): T | Promise<T> {
    const store = this.store;
    let key: string;
    let token: string;
    let pending: Promise<boolean | 'recorded' | 'used'> | undefined;
    let written = false;
    let combined = false;
    try {
      key = this.keyOf(accessKeyId, nonce);
      token = `${PROCESS_TAG}.${(claimCounter = (claimCounter + 1) % Number.MAX_SAFE_INTEGER)}`;
      const recorded = recorder?.({ store, key, value: token, ttlMs: this.ttlMs });
      combined = recorded !== undefined;
      if (recorded === undefined && this.memory !== undefined) written = this.memory.setIfAbsentSync(key, token, this.ttlMs);
      else pending = recorded ?? store.setIfAbsent(key, token, this.ttlMs, UNIQUE_VALUE);
    } catch (err) {
      return Promise.reject(storeFailure(err));
    }
    if (pending === undefined) {
      if (!written) return Promise.reject(new errors.SignatureNonceUsed());
      try {
        return onClaimed(new StoredClaim(store, key, token));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return Promise.resolve(pending).then(
      (answer) => {
        if (combined ? answer !== 'recorded' : !answer) throw new errors.SignatureNonceUsed();
        return onClaimed(new StoredClaim(store, key, token));
      },
      (err: unknown) => {
        throw storeFailure(err);
      },
    );
  }
}

/**
 * The store itself when its answers can be had at once: a `MemoryStore` whose `setIfAbsent` is
 * MemoryStore's own (a subclass that overrides it, to count or log, is called through it).
 */
function synchronousStore(store: Store): MemoryStore | undefined {
  return store instanceof MemoryStore && store.setIfAbsent === MemoryStore.prototype.setIfAbsent ? store : undefined;
}

/** A store failure as the client sees it: unavailable is `ServiceUnavailable` (503), anything else as thrown. */
function storeFailure(err: unknown): unknown {
  return isStoreUnavailableError(err) ? new errors.ServiceUnavailable({ cause: err }) : err;
}

/** A nonce this guard recorded, with the token that tells its entry apart from a later claim's. */
class StoredClaim implements NonceClaim {
  constructor(
    private readonly store: Store,
    private readonly key: string,
    private readonly token: string,
  ) {}

  release(): Promise<void> {
    try {
      // The nonce stays recorded when this fails: the safe outcome (a retry with it gets SignatureNonceUsed).
      return this.store.compareAndDelete(this.key, this.token).then(ignore, ignore);
    } catch {
      return Promise.resolve();
    }
  }
}

function ignore(): void {}
