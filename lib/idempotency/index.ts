/**
 * ClientToken idempotency for the RPC API: `clientTokenGuard(options)` runs an idempotent action
 * at most once per (caller, Action, ClientToken) and replays its stored result to retries.
 *
 * @example
 * import { clientTokenGuard } from './idempotency/index.js';
 * const idempotency = clientTokenGuard(); // in memory; pass { store: new RedisStore({ client }) } for many instances
 */
export {
  clientTokenGuard,
  DEFAULT_CLIENT_TOKEN_LEASE_MS,
  DEFAULT_CLIENT_TOKEN_MAX_RESULT_BYTES,
  DEFAULT_CLIENT_TOKEN_RETENTION_MS,
  DEFAULT_CLIENT_TOKEN_STORE_ENTRIES,
  type ClientTokenErrorInfo,
  type ClientTokenGuardOptions,
  type ClientTokenPhase,
} from './client-token-guard.js';
export { ClientTokenGuardError, type ClientTokenProblem } from './guard-error.js';
export { isValidClientToken, MAX_CLIENT_TOKEN_LENGTH } from './client-token.js';
export { snapshotData, restoreData } from './result-snapshot.js';
