/**
 * The pluggable steps of an RPC call, framework-free: authentication, throttling and ClientToken
 * idempotency. The RPC API runs them in the protocol's order (docs/protocol.md §4.2):
 * Action/Version present → authentication → Action/Version known → owner check → throttling →
 * business parameters → idempotency → handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { OpenApiState } from '../core/exchange.js';

/** What every step sees of the request. */
export interface RpcRequest {
  /** HTTP method, upper-case. */
  readonly method: string;
  /** Request path without the query string (Signature V3 signs it). */
  readonly path: string;
  /** Raw query string without `?` (Signature V3 re-canonicalises from the decoded values). */
  readonly querystring: string;
  /** Request headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The envelope's per-request state: RequestId, format, parameters, raw body. */
  readonly state: OpenApiState;
  /** The client's address (for anonymous throttling). */
  readonly clientIp: string;
  /**
   * Registers `listener` to run once when the exchange ends: with the final HTTP status, or with
   * `undefined` when the connection closed before the response was complete. Adapters provide it
   * (koaRpc, authenticate()); callers without a response to watch may leave it out. The
   * authentication step uses it to release a nonce when the request ends in a 5xx.
   */
  readonly onSettled?: ((listener: (status: number | undefined) => void) => void) | undefined;
}

/** The authenticated caller, on `ctx.state.caller` (Koa) / `res.locals.caller` (Express). */
export interface Caller {
  /** The AccessKeyId that signed the request. */
  readonly accessKeyId: string;
  /** How it was signed. */
  readonly signatureVersion: 'V1' | 'V3';
  /** The STS SecurityToken, when one was sent and accepted. */
  readonly securityToken?: string | undefined;
  /** Whatever the credentials provider attached (account, roles, …). */
  readonly principal?: Readonly<Record<string, unknown>> | undefined;
}

/** What the authenticator is told about the action. */
export interface ActionInfo {
  /** The Action name as sent (may be unknown to the API). */
  readonly name: string;
  /** The Version as sent. */
  readonly version: string;
  /** True when the API declares this Action (unknown actions are authenticated too, then refused). */
  readonly known: boolean;
  /** The API style: `'ROA'` for routes of a ROA API (header signatures only); absent for RPC. */
  readonly style?: 'RPC' | 'ROA' | undefined;
}

/**
 * Authenticates a request: returns the caller, or a promise of it, or throws / rejects with an
 * ApiError (MissingParameter, SignatureDoesNotMatch, …). An answer given at once (as
 * `signatureAuthenticator` gives with its in-memory nonce store) lets the request go on in the same
 * turn; callers `await` it either way.
 *
 * @example
 * const byHeader: Authenticator = (request) => {
 *   if (request.headers['x-api-key'] !== process.env.API_KEY) throw new errors['InvalidAccessKeyId.NotFound']();
 *   return { accessKeyId: 'api-key', signatureVersion: 'V1' };
 * };
 */
export type Authenticator = (request: RpcRequest, action: ActionInfo) => Caller | Promise<Caller>;

/** Throttles a request: resolves when it may proceed, throws `Throttling` (or a store failure policy error) otherwise. */
export type Throttler = (request: RpcRequest, key: ThrottleKey) => Promise<void>;

/** Who is throttled, for which action. */
export interface ThrottleKey {
  /** The caller, or undefined for anonymous actions (then `clientIp` is used). */
  readonly caller: Caller | undefined;
  /** The Action. */
  readonly action: string;
}

/** A handler's outcome, as stored for ClientToken replays. */
export interface RpcResult {
  /** The success data (RequestId is added by the envelope). */
  readonly data: object;
  /** HTTP status (2xx). */
  readonly status: number;
  /** True when a guard answers a retry with the stored result instead of running the handler. */
  readonly replayed?: boolean | undefined;
}

/** Identifies one idempotent call. */
export interface IdempotentCall {
  readonly caller: Caller | undefined;
  readonly action: string;
  readonly clientToken: string;
  /** The business parameters compared between retries (no signing fields, no Format). */
  readonly fingerprint: string;
}

/**
 * Runs `run` at most once per (caller, Action, ClientToken); a retry gets the stored result.
 * Throws IdempotentParameterMismatch / LastTokenProcessing / ServiceUnavailable as appropriate.
 */
export type IdempotencyGuard = (request: RpcRequest, call: IdempotentCall, run: () => Promise<RpcResult>) => Promise<RpcResult>;
