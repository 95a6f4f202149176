/**
 * Problems of the ClientToken guard that do not change the answer but that an operator must know
 * about (reported through `onError`).
 */

/** What went wrong. */
export type ClientTokenProblem =
  /** The handler's result is larger than `maxResultBytes`: it was answered but not stored. */
  | 'result-too-large'
  /** The handler's result cannot be rendered (an invalid Date, a cycle): it was not stored. */
  | 'result-not-storable'
  /**
   * The reservation was gone when the result was to be stored or the lease renewed: it expired
   * (the store was unreachable longer than `leaseMs`) or was evicted (a full MemoryStore). A retry
   * may have run the handler again.
   */
  | 'reservation-lost'
  /** The entry under the token's key is not one this guard wrote (shared prefix, damaged value). */
  | 'foreign-entry';

/**
 * Reported through `clientTokenGuard({ onError })`.
 *
 * @example
 * onError: (err) => { if (err instanceof ClientTokenGuardError && err.problem === 'reservation-lost') alert(err); }
 */
export class ClientTokenGuardError extends Error {
  override readonly name = 'ClientTokenGuardError';
  readonly problem: ClientTokenProblem;
  constructor(problem: ClientTokenProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.problem = problem;
  }
}
