/**
 * Replay protection: each (AccessKeyId, SignatureNonce) pair is accepted once within the nonce TTL.
 */
import * as crypto from 'node:crypto';
import { errors } from '../core/errors/index.js';
import { digest } from './digests.js';
import { isStoreUnavailableError } from '../stores/store-unavailable-error.js';
import type { Store } from '../stores/store.js';

/** A claimed nonce; `release()` forgets it again (used when the request ends in a 5xx). */
export interface NonceClaim {
  /** Removes the entry if it is still the one this claim wrote. Never rejects. */
  release(): Promise<void>;
}

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
 * Claims nonces in a {@link Store} with an atomic set-if-absent.
 *
 * Keys are `prefix + base64url(SHA-256(AccessKeyId, nonce))`: fixed length however long the nonce,
 * no separator ambiguity, and nonces are scoped per AccessKeyId (two callers that happen to pick the
 * same nonce, as aliyun-sdk's millisecond-based ones can, do not collide). Each entry's value is a
 * token unique to the claim, so `release()` cannot delete a later claim of the same nonce.
 *
 * @example
 * const guard = new NonceGuard({ store: new MemoryStore(), ttlMs: 31 * 60_000 });
 * const claim = await guard.claim('my-ak', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'); // throws SignatureNonceUsed on a replay
 * if (failedWith5xx) await claim.release();
 */
export class NonceGuard {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #prefix: string;
  #counter = 0;

  constructor(options: NonceGuardOptions) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1) {
      throw new RangeError(`nonce TTL must be a positive safe integer (ms), got ${String(options.ttlMs)}`);
    }
    this.#store = options.store;
    this.#ttlMs = options.ttlMs;
    this.#prefix = options.keyPrefix ?? 'nonce:';
  }

  /**
   * The store key of a nonce.
   *
   * @example
   * guard.keyOf('ak', 'n1'); // 'nonce:Xb3…' (43 base64url characters after the prefix)
   */
  keyOf(accessKeyId: string, nonce: string): string {
    return this.#prefix + digest('sha256', `${accessKeyId.length}:${accessKeyId}${nonce}`, 'base64url');
  }

  /**
   * Record the nonce. Throws `SignatureNonceUsed` (400) when it is already recorded, and
   * `ServiceUnavailable` (503) when the store cannot answer (fail closed: a request whose nonce
   * cannot be recorded is not served). Other store failures (bugs) are rethrown.
   *
   * @example
   * await guard.claim(caller.accessKeyId, nonce);
   */
  async claim(accessKeyId: string, nonce: string): Promise<NonceClaim> {
    const key = this.keyOf(accessKeyId, nonce);
    const token = `${PROCESS_TAG}.${(this.#counter = (this.#counter + 1) % Number.MAX_SAFE_INTEGER)}`;
    let created: boolean;
    try {
      created = await this.#store.setIfAbsent(key, token, this.#ttlMs);
    } catch (err) {
      if (isStoreUnavailableError(err)) throw new errors.ServiceUnavailable({ cause: err });
      throw err;
    }
    if (!created) throw new errors.SignatureNonceUsed();
    const store = this.#store;
    return {
      release: async () => {
        try {
          await store.compareAndDelete(key, token);
        } catch {
          // The nonce stays recorded: the safe outcome (a retry with it gets SignatureNonceUsed).
        }
      },
    };
  }
}
