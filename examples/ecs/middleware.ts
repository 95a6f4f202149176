/**
 * Everything this example takes from aliyun-openapi-middleware, in one place.
 *
 * In your own service, import from the package instead:
 *
 *   import { createRpcApi, koaRpc, envelope, p, defineError, ... } from 'aliyun-openapi-middleware';
 *
 * (The example imports the sources directly so that `npm start` needs no build step.)
 */
export {
  createRpcApi,
  defineError,
  envelope,
  errors,
  koaRpc,
  p,
  signatureAuthenticator,
  staticCredentials,
  type StaticKey,
  type Authenticator,
  type Caller,
  type CredentialsProvider,
  type IdempotencyGuard,
  type RpcApi,
  type RpcRequest,
  type Throttler,
} from '../../lib/index.js';
export { MemoryStore, RedisStore, type Store } from '../../lib/stores/index.js';
export { rateLimitThrottler } from '../../lib/throttle/index.js';
export { clientTokenGuard } from '../../lib/idempotency/index.js';
