/**
 * Everything the Koa side of this example takes from aliyun-openapi-middleware, in one place.
 *
 * In your own service, import from the package instead:
 *
 *   import { createRpcApi, koaRpc, envelope, p, defineError, ... } from 'aliyun-openapi-middleware';
 *   import { envelope, handle, errorHandler } from 'aliyun-openapi-middleware/express';
 *
 * (The example imports the sources so that `npm start` needs no build step.)
 */
export {
  // Protocol: the envelope (RequestId, Format, parameters, error rendering) and the error catalogue.
  envelope,
  // Requests Node's HTTP parser refuses answered as envelopes too; one record per exchange.
  answerRefusedRequests,
  type ExchangeListener,
  errors,
  defineError,
  // RPC: actions declared with typed parameters, served by Koa.
  createRpcApi,
  koaRpc,
  p,
  type RpcApi,
  // The pipeline's steps: Signature V1/V3, throttling, ClientToken idempotency.
  signatureAuthenticator,
  staticCredentials,
  rateLimitThrottler,
  clientTokenGuard,
  type StaticKey,
  type Authenticator,
  type Throttler,
  type IdempotencyGuard,
  // Where those steps keep state: this process's memory, or Redis.
  MemoryStore,
  RedisStore,
  type Store,
  // The API explorer page (reference and signed "try it" forms), mounted by server.ts.
  explorer,
} from '../../lib/index.js';
