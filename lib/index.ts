/**
 * aliyun-openapi-middleware: make a Koa (or Express) service speak the Alibaba Cloud OpenAPI
 * (POP RPC) protocol.
 */
export { envelope } from './koa/envelope.js';
export type { EnvelopeOptions, RecommendInput } from './core/options.js';
export type { Format } from './core/format.js';
export type { OpenApiState, RequestParams } from './core/exchange.js';
export type { ParamRecord } from './core/params/urlencoded.js';
export {
  ApiError,
  isApiError,
  isApiErrorClass,
  defineError,
  errors,
  CATALOGUE,
  type ApiErrorLike,
  type ApiErrorOptions,
  type ErrorData,
  type DefinedErrorClass,
  type DefinedErrorOptions,
  type CatalogueErrorClass,
  type CatalogueRow,
  type CatalogueCode,
  type CatalogueName,
  type ErrorCatalogue,
} from './core/errors/index.js';
export { STATUS_TO_CODE, toApiError } from './core/errors/to-api-error.js';
export { createRequestId } from './core/request-id.js';
export { answerRefusedRequests, REFUSALS, type RefusalOptions } from './core/client-error.js';
export type { ExchangeRecord, ExchangeListener } from './core/exchange-record.js';
export { ResponseDataError } from './core/render/response-data-error.js';
export { createRpcApi, RpcApi, fingerprint } from './rpc/api.js';
export type { RpcApiOptions, RpcErrorFactories, ActionDefinition, ActionContext, ActionDescription, RpcOutcome, CallHooks } from './rpc/api.js';
export type { CorsOptions } from './core/cors.js';
export type { RpcRequest, Caller, ActionInfo, Authenticator, Throttler, ThrottleKey, RpcResult, IdempotentCall, IdempotencyGuard } from './rpc/pipeline.js';
export { koaRpc } from './koa/rpc.js';
// Response declarations, the API reference (docs/reference.md).
export { ResponseMismatchError } from './rpc/response/check.js';
export type { ResponseDeclaration, ResponseField, ResponseFields, InferResponse, InferResponseField, ActionHandlerResult } from './rpc/response/spec.js';
export type { ResponseShape, ScalarShape, StructShape, ListShape, FieldShape } from './rpc/response/shape.js';
export type { DeclaredError } from './rpc/response/errors.js';
export { buildReference, exampleBodies, SAMPLE_REQUEST_ID } from './reference/model.js';
export { buildOpenApi } from './openapi/document.js';
export type { OpenApiSource } from './openapi/document.js';
export type { OpenApiDocument, OpenApiOptions, ServerObject, SchemaObject, JsonValue, JsonObject } from './openapi/types.js';
export type { ApiReference, ActionReference, ErrorReference, ExampleBodies, ReferenceSource, ResponseFieldReference } from './reference/model.js';
export { p, parseParams, describeParams, unflatten, toZod, COMMON_PARAMETERS } from './rpc/params/index.js';
export type { Declaration, InferParams, ParamIssue, ParamDescription, FlatParams } from './rpc/params/index.js';
// Authentication: Signature V1/V3 core, the RPC authentication step, the Koa middleware.
export * from './auth/index.js';
export { authenticate, type AuthenticateOptions } from './koa/authenticate.js';
// Stores shared by nonces, throttling and ClientToken idempotency: memory (default) and Redis.
export * from './stores/index.js';
// Throttling (rate-limiter-flexible, memory or Redis) and ClientToken idempotency (any Store).
export * from './throttle/index.js';
export * from './idempotency/index.js';
// The API explorer page (docs/explorer.md): off unless mounted.
export { explorer } from './explorer/koa.js';
export * from './explorer/index.js';

// ROA (RESTful) APIs: docs/roa.md
export { createRoaApi, RoaApi, roaFingerprint } from './roa/api.js';
export type { RoaApiOptions, RoaErrorFactories, RoaRouteDefinition, RoaInput, RoaMethod, RoaClientToken, RoaOutcome, RoaCallHooks, RoaRouteDescription } from './roa/api.js';
export { koaRoa } from './roa/koa.js';
export { RoaBodyUnavailableError } from './roa/read-body.js';
