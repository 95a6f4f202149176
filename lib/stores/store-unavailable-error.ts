const BRAND = Symbol.for('aliyun-openapi-middleware.StoreUnavailableError');

/** Why a store could not answer. */
export type StoreUnavailableReason =
  /** The backend did not answer within the command timeout (slow, paused or unreachable server). */
  | 'timeout'
  /** The client is not connected (connection lost and reconnecting, closed, or never opened). */
  | 'not-connected'
  /** The backend answered with an error, or the client failed the command. */
  | 'command-failed';

/** Options of {@link StoreUnavailableError}. */
export interface StoreUnavailableErrorOptions {
  /** The store operation that failed, such as `setIfAbsent`. */
  operation: string;
  reason: StoreUnavailableReason;
  /** The underlying error, if any. Its message is not copied into ours. */
  cause?: unknown;
}

/**
 * The store backend could not answer. Callers apply their store-failure policy; this is never to
 * be reported as throttling or as a replay. The message names the operation and the reason only:
 * keys and values (nonces, tokens) never appear in it.
 *
 * @example
 * ```ts
 * try {
 *   await store.setIfAbsent(nonce, '1', 1_860_000);
 * } catch (err) {
 *   if (isStoreUnavailableError(err)) {
 *     // fail closed: answer ServiceUnavailable
 *   }
 *   throw err;
 * }
 * ```
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'STORE_UNAVAILABLE';
  readonly operation: string;
  readonly reason: StoreUnavailableReason;

  constructor(options: StoreUnavailableErrorOptions) {
    super(`Key-value store unavailable during ${options.operation}: ${describe(options.reason)}`, {
      cause: options.cause,
    });
    this.operation = options.operation;
    this.reason = options.reason;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for a {@link StoreUnavailableError}, also one created by another copy of this package
 * (checked by a `Symbol.for` brand, not `instanceof`).
 *
 * @example
 * ```ts
 * store.get('k').catch((err) => (isStoreUnavailableError(err) ? undefined : Promise.reject(err)));
 * ```
 */
export function isStoreUnavailableError(value: unknown): value is StoreUnavailableError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

function describe(reason: StoreUnavailableReason): string {
  switch (reason) {
    case 'timeout':
      return 'no answer within the command timeout';
    case 'not-connected':
      return 'the client is not connected';
    case 'command-failed':
      return 'the command failed';
  }
}
