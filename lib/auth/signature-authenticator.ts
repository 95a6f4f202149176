/**
 * `signatureAuthenticator(options)`: the RPC API's authentication step for Alibaba Cloud Signature V1
 * (HMAC-SHA1 common parameters) and V3 (`Authorization: ACS3-HMAC-SHA256 …`), with timestamp window,
 * AccessKey lookup, STS token hook and nonce replay protection, in the protocol's order (docs/protocol.md §4.2).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors, isApiError } from '../core/errors/index.js';
import { isFormRequest } from '../core/exchange.js';
import type { ActionInfo, Authenticator, Caller, RpcRequest, Throttler } from '../rpc/pipeline.js';
import { MemoryStore } from '../stores/memory-store.js';
import type { Store } from '../stores/store.js';
import { isStoreUnavailableError } from '../stores/store-unavailable-error.js';
import { hashHexV3, type V3Algorithm } from './algorithms-v3.js';
import { constantTimeEqual } from './constant-time.js';
import { signatureDoesNotMatch, timestampError, type TimestampErrorCodes } from './authentication-errors.js';
import { directCredentialsLookup, type Credentials, type CredentialsAnswer, type CredentialsProvider } from './credentials.js';
import { NonceGuard, type NonceClaim, type NonceRecorder } from './nonce-guard.js';
import { nonceRecorderSourceOf, type NonceRecorderSource } from '../throttle/combined-nonce.js';
import { isWellFormedV1Signature, verifyV1 } from './signature-v1.js';
import { verifyV3 } from './signature-v3.js';
import { isV3Request, readV1Fields, readV3Fields, type NamedTimestamp, type V1Fields, type V3Fields } from './signed-request-fields.js';
import { checkSignedHeadersV3, type SignedHeadersPolicy } from './signed-headers-v3.js';
import { DEFAULT_TIMESTAMP_WINDOW_MS, checkTimestamp } from './timestamp.js';
import { readRoaV1Fields } from './roa-fields.js';
import { isRoaV1Request, verifyRoaV1 } from './roa-signature-v1.js';

/** A signature scheme the authenticator can accept. */
export type SignatureVersion = 'V1' | 'V3';

/** The default nonce memory: 31 minutes, the gateway's (docs/protocol.md §3.1), ≥ 2 × the 15-minute window. */
export const DEFAULT_NONCE_TTL_MS = 31 * 60 * 1000;

/** Entries of the default in-memory nonce store (see `MemoryStoreOptions.maxEntries` for sizing). */
export const DEFAULT_NONCE_STORE_ENTRIES = 200_000;

/** What {@link SecurityTokenCheck} is given, after the signature has been verified. */
export interface SecurityTokenCheckInput {
  readonly accessKeyId: string;
  /** The token the request carried, or undefined. */
  readonly securityToken: string | undefined;
  readonly credentials: Credentials;
  readonly signatureVersion: SignatureVersion;
}

/**
 * Runs after the signature is verified and before the nonce is recorded; throw an ApiError to refuse
 * (`errors['InvalidSecurityToken.Expired']`, `…Malformed`, `…MismatchWithAccessKey`, or your own).
 */
export type SecurityTokenCheck = (input: SecurityTokenCheckInput) => void | Promise<void>;

/** Options of {@link signatureAuthenticator}. */
export interface SignatureAuthenticatorOptions {
  /** AccessKeyId (+ SecurityToken) → secret and state. See {@link staticCredentials}. */
  credentials: CredentialsProvider;
  /**
   * Where nonces are remembered. Default: a `MemoryStore` of {@link DEFAULT_NONCE_STORE_ENTRIES}
   * entries, private to this authenticator (one process only: use a `RedisStore` behind a load balancer).
   */
  nonceStore?: Store;
  /** Prefix of the nonce keys in the store. Default `'nonce:'`. */
  nonceKeyPrefix?: string;
  /** Allowed clock skew each way, in ms. Default 15 minutes. */
  timestampWindowMs?: number;
  /** How long a nonce is remembered, in ms; at least 2 × `timestampWindowMs`. Default 31 minutes. */
  nonceTtlMs?: number;
  /** The server clock in epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Accepted signature versions. Default `['V1', 'V3']`. */
  signatureVersions?: readonly SignatureVersion[];
  /** Extra STS check after the signature is verified. */
  checkSecurityToken?: SecurityTokenCheck;
  /** Codes for a bad timestamp. Default `'IllegalTimestamp'`. */
  timestampErrorCodes?: TimestampErrorCodes;
  /**
   * Forget a request's nonce again when it ends with a 5xx status, so that a client that retries a
   * server failure with the same nonce (early Go SDK) is served. Default true. Needs an adapter that
   * provides `RpcRequest.onSettled` (koaRpc, authenticate()); elsewhere nonces are always kept.
   */
  releaseNonceOnServerError?: boolean;
  /** Which headers a V3 signature must cover. Default: see `checkSignedHeadersV3`. */
  signedHeadersPolicy?: SignedHeadersPolicy;
  /**
   * The throttler of the same `createRpcApi({ throttle })`. When it counts in Redis on the client of
   * `nonceStore` (a `RedisStore`), a known Action's nonce and its throttling count go in one Lua
   * script: one round trip instead of two, with the same answers
   * (docs/throttling-and-idempotency.md#one-round-trip). Pass only the throttler that the API runs
   * after this authenticator; otherwise the counts it takes early are given back when the request ends.
   *
   * @example
   * const throttle = rateLimitThrottler({ limit, redis });
   * const authenticate = signatureAuthenticator({ credentials, nonceStore: new RedisStore({ client: redis }), combineWithThrottle: throttle });
   * createRpcApi({ version, authenticate, throttle });
   */
  combineWithThrottle?: Throttler;
}

/**
 * Thrown (and rendered as `InternalError` 500, reported on the app's `error` event) when a V3 request
 * has a form body whose raw bytes were not kept: a body parser ran before `envelope()`. Verifying
 * against a re-serialised body would accept or refuse the wrong bytes, so the request is refused.
 *
 * @example
 * app.on('error', (err) => {
 *   if (err instanceof RawBodyUnavailableError) console.error('mount envelope() before the body parser');
 * });
 */
export class RawBodyUnavailableError extends Error {
  override readonly name = 'RawBodyUnavailableError';
  constructor() {
    super(
      'Signature V3 needs the raw request body, but another body parser read it before envelope() and did not keep its bytes. ' +
        'Mount envelope() before any body parser (or make the parser keep ctx.request.rawBody / req.rawBody).',
    );
  }
}

const EMPTY_BODY = Buffer.alloc(0);
/** Hashes of the empty body, computed once (most RPC calls over V3 have no body). */
const emptyBodyHashes = new Map<V3Algorithm, string>();

/** The hex hash of the body with the request's algorithm. */
function bodyHash(body: Buffer, algorithm: V3Algorithm): string {
  if (body.length > 0) return hashHexV3(body, algorithm);
  let hash = emptyBodyHashes.get(algorithm);
  if (hash === undefined) emptyBodyHashes.set(algorithm, (hash = hashHexV3(EMPTY_BODY, algorithm)));
  return hash;
}

function declaresBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The bytes `x-acs-content-sha256` must hash. */
function payloadOf(request: RpcRequest): Buffer {
  const raw = request.state.rawBody;
  if (raw !== undefined) return raw;
  if (!declaresBody(request.headers)) return EMPTY_BODY;
  if (isFormRequest(request.headers)) throw new RawBodyUnavailableError();
  throw new errors.IncompleteSignature({
    message: 'The request body cannot be verified: this API reads only application/x-www-form-urlencoded bodies.',
  });
}

interface ResolvedOptions {
  /** The credentials provider, or `staticCredentials`' synchronous lookup behind it. */
  readonly lookUp: CredentialsProvider;
  readonly nonces: NonceGuard;
  readonly windowMs: number;
  readonly clock: () => number;
  readonly v1: boolean;
  readonly v3: boolean;
  readonly checkSecurityToken: SecurityTokenCheck | undefined;
  readonly timestampCodes: TimestampErrorCodes;
  readonly releaseOnServerError: boolean;
  readonly policy: SignedHeadersPolicy | undefined;
  readonly recorders: NonceRecorderSource | undefined;
}

function resolve(options: SignatureAuthenticatorOptions): ResolvedOptions {
  if (typeof options?.credentials !== 'function') throw new TypeError('signatureAuthenticator: credentials must be a function');
  const windowMs = options.timestampWindowMs ?? DEFAULT_TIMESTAMP_WINDOW_MS;
  if (!Number.isSafeInteger(windowMs) || windowMs < 0) throw new RangeError('signatureAuthenticator: timestampWindowMs must be a safe integer >= 0');
  const ttlMs = options.nonceTtlMs ?? Math.max(DEFAULT_NONCE_TTL_MS, 2 * windowMs + 60_000);
  if (!Number.isSafeInteger(ttlMs) || ttlMs < Math.max(1, 2 * windowMs)) {
    // A nonce forgotten while its timestamp is still acceptable could be replayed.
    throw new RangeError('signatureAuthenticator: nonceTtlMs must be a safe integer >= 2 × timestampWindowMs (and > 0)');
  }
  const versions = options.signatureVersions ?? ['V1', 'V3'];
  if (versions.length === 0 || versions.some((v) => v !== 'V1' && v !== 'V3')) {
    throw new TypeError("signatureAuthenticator: signatureVersions must list 'V1' and/or 'V3'");
  }
  const codes = options.timestampErrorCodes ?? 'IllegalTimestamp';
  if (codes !== 'IllegalTimestamp' && codes !== 'InvalidTimeStamp') {
    throw new TypeError("signatureAuthenticator: timestampErrorCodes must be 'IllegalTimestamp' or 'InvalidTimeStamp'");
  }
  const store = options.nonceStore ?? new MemoryStore({ maxEntries: DEFAULT_NONCE_STORE_ENTRIES });
  return {
    lookUp: directCredentialsLookup(options.credentials),
    nonces: new NonceGuard({ store, ttlMs, ...(options.nonceKeyPrefix === undefined ? {} : { keyPrefix: options.nonceKeyPrefix }) }),
    windowMs,
    clock: options.clock ?? Date.now,
    v1: versions.includes('V1'),
    v3: versions.includes('V3'),
    checkSecurityToken: options.checkSecurityToken,
    timestampCodes: codes,
    releaseOnServerError: options.releaseNonceOnServerError ?? true,
    policy: options.signedHeadersPolicy,
    recorders: nonceRecorderSourceOf(options.combineWithThrottle),
  };
}

/** Step: the timestamp is well-formed and within the window. */
function checkRequestTime(o: ResolvedOptions, timestamp: NamedTimestamp): void {
  const now = o.clock();
  const check = checkTimestamp(timestamp.value, now, o.windowMs);
  if (!check.ok) throw timestampError(check, timestamp.name, now, o.windowMs, o.timestampCodes);
}

/** The provider's answer checked: a usable, active key. */
function usableCredentials(found: CredentialsAnswer): Credentials {
  if (found === undefined || found === null) throw new errors['InvalidAccessKeyId.NotFound']();
  if (typeof found.secret !== 'string' || found.secret.length === 0) {
    throw new TypeError('signatureAuthenticator: the credentials provider returned no secret (a non-empty string)');
  }
  if (found.state === 'disabled') throw new errors['Forbidden.AccessKeyDisabled']();
  if (found.state !== 'active') throw new TypeError("signatureAuthenticator: credentials state must be 'active' or 'disabled'");
  return found;
}

/** A provider failure as the client sees it: a store outage is ServiceUnavailable, anything else as thrown. */
function providerFailure(err: unknown): unknown {
  return !isApiError(err) && isStoreUnavailableError(err) ? new errors.ServiceUnavailable({ cause: err }) : err;
}

/** A thenable, as `await` would treat it. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Step: the key, looked up once, then `next(credentials)`. A provider that answers at once (as
 * `staticCredentials` does) is not waited for: the steps after it run in the same turn; a promise
 * is waited for once. Throws synchronously (caught by the authenticator) or rejects.
 */
function withCredentials<T>(
  o: ResolvedOptions,
  accessKeyId: string,
  securityToken: string | undefined,
  signatureVersion: SignatureVersion,
  next: (credentials: Credentials) => T | Promise<T>,
): T | Promise<T> {
  let found: CredentialsAnswer | Promise<CredentialsAnswer>;
  try {
    found = o.lookUp(accessKeyId, { securityToken, signatureVersion });
  } catch (err) {
    throw providerFailure(err);
  }
  if (!isThenable(found)) return next(usableCredentials(found));
  return Promise.resolve(found).then(
    (answer) => next(usableCredentials(answer)),
    (err: unknown) => {
      throw providerFailure(err);
    },
  );
}

/** Step (V1): `Signature` is the HMAC-SHA1 of the request's string to sign. */
function checkV1Signature(request: RpcRequest, fields: V1Fields, credentials: Credentials): void {
  if (!isWellFormedV1Signature(fields.signature)) {
    throw new errors.IncompleteSignature({ message: 'The request signature does not conform to Aliyun standards: Signature must be the 28-character base64 of an HMAC-SHA1.' });
  }
  const verification = verifyV1({ method: request.method, params: request.state.params.all, signature: fields.signature, accessKeySecret: credentials.secret });
  if (!verification.ok) throw signatureDoesNotMatch(verification.stringToSign);
}

/** Step (V3): the signed headers cover what they must, the body hash and the signature match. */
function checkV3Signature(o: ResolvedOptions, request: RpcRequest, fields: V3Fields, credentials: Credentials): void {
  const { authorization } = fields;
  const policy = checkSignedHeadersV3(authorization.signedHeaders, request.headers, o.policy);
  if (!policy.ok) {
    const what = policy.reason === 'unsigned-required' ? 'must be listed in SignedHeaders' : 'are listed in SignedHeaders but absent';
    throw new errors.IncompleteSignature({
      message: `The request signature does not conform to Aliyun standards: these headers ${what}: ${policy.headers.join(', ')}.`,
    });
  }
  const body = payloadOf(request);
  const actualHash = bodyHash(body, authorization.algorithm);
  // As payloadHashMatches: case-insensitive hex, constant time.
  const payloadOk = constantTimeEqual(fields.contentSha256.trim().toLowerCase(), actualHash);
  const verification = verifyV3({
    method: request.method,
    path: request.path,
    query: request.state.params.query,
    headers: request.headers,
    // The client signed the header it sent; when that is not the body's hash, the server's own hash
    // goes into the string to sign shown in the error.
    hashedPayload: payloadOk ? fields.contentSha256 : actualHash,
    authorization,
    accessKeySecret: credentials.secret,
  });
  if (!payloadOk || !verification.ok) throw signatureDoesNotMatch(verification.stringToSign);
}

/** Step: a recorded nonce is released again if the exchange ends in a 5xx (the claim itself is awaited by the caller). */
function releaseOnServerError(o: ResolvedOptions, request: RpcRequest, claim: NonceClaim): void {
  if (o.releaseOnServerError && request.onSettled !== undefined) {
    request.onSettled((status) => {
      if (status !== undefined && status >= 500) void claim.release();
    });
  }
}

/** Step: the nonce is recorded (with the throttling count when combined), then the caller is returned. */
function claimed(o: ResolvedOptions, request: RpcRequest, action: ActionInfo | undefined, caller: Caller, nonce: string): Caller | Promise<Caller> {
  const recorder: NonceRecorder | undefined = action?.known === true ? o.recorders?.(request, { caller, action: action.name }) : undefined;
  return o.nonces.claimThen(caller.accessKeyId, nonce, recorder, (claim) => {
    releaseOnServerError(o, request, claim);
    return caller;
  });
}

/** Steps after the signature: the STS hook (waited for only when it returns a promise), then the nonce. */
function afterSignature(
  o: ResolvedOptions,
  request: RpcRequest,
  action: ActionInfo | undefined,
  input: SecurityTokenCheckInput,
  nonce: string,
): Caller | Promise<Caller> {
  const caller = callerOf(input.accessKeyId, input.securityToken, input.credentials, input.signatureVersion);
  const check = o.checkSecurityToken?.(input);
  if (isThenable(check)) return Promise.resolve(check).then(() => claimed(o, request, action, caller, nonce));
  return claimed(o, request, action, caller, nonce);
}

/** The caller the handler sees. */
function callerOf(accessKeyId: string, securityToken: string | undefined, credentials: Credentials, signatureVersion: SignatureVersion): Caller {
  const caller: { accessKeyId: string; signatureVersion: SignatureVersion; securityToken?: string; principal?: Readonly<Record<string, unknown>> } = {
    accessKeyId,
    signatureVersion,
  };
  if (securityToken !== undefined) caller.securityToken = securityToken;
  if (credentials.principal !== undefined) caller.principal = credentials.principal;
  return caller;
}

// The schemes run the steps in the protocol's order. Nothing is awaited that is not pending: a
// provider or STS hook that answers at once lets the steps after it run in the same turn, and with
// the in-memory nonce store (answered at once, NonceGuard.claimThen) the caller itself is returned,
// not a promise; a Redis store costs its promise and one turn after it. They throw synchronously
// before the first pending step (the authenticator turns that into a rejection) and reject after it.

function authenticateV1(o: ResolvedOptions, request: RpcRequest, action: ActionInfo | undefined): Caller | Promise<Caller> {
  const fields = readV1Fields(request.state.params.all);
  checkRequestTime(o, fields.timestamp);
  const { accessKeyId, securityToken } = fields;
  return withCredentials(o, accessKeyId, securityToken, 'V1', (credentials) => {
    checkV1Signature(request, fields, credentials);
    return afterSignature(o, request, action, { accessKeyId, securityToken, credentials, signatureVersion: 'V1' }, fields.nonce);
  });
}

function authenticateV3(o: ResolvedOptions, request: RpcRequest, action: ActionInfo | undefined): Caller | Promise<Caller> {
  const fields = readV3Fields(request.headers, request.state.params.query);
  checkRequestTime(o, fields.timestamp);
  const { accessKeyId } = fields.authorization;
  const { securityToken } = fields;
  return withCredentials(o, accessKeyId, securityToken, 'V3', (credentials) => {
    checkV3Signature(o, request, fields, credentials);
    return afterSignature(o, request, action, { accessKeyId, securityToken, credentials, signatureVersion: 'V3' }, fields.nonce);
  });
}

/** ROA Signature V1 (`Authorization: acs …`), accepted on ROA routes only (docs/roa.md §Signature V1). */
function authenticateRoaV1(o: ResolvedOptions, request: RpcRequest, action: ActionInfo | undefined): Caller | Promise<Caller> {
  const fields = readRoaV1Fields(request.headers);
  checkRequestTime(o, { name: 'Date', value: new Date(fields.dateMs).toISOString() });
  const { accessKeyId } = fields.authorization;
  const { securityToken } = fields;
  return withCredentials(o, accessKeyId, securityToken, 'V1', (credentials) => {
    const verification = verifyRoaV1({
      method: request.method,
      path: request.path,
      query: request.state.params.query,
      headers: request.headers,
      body: payloadOf(request),
      signature: fields.authorization.signature,
      accessKeySecret: credentials.secret,
    });
    if (!verification.ok) throw signatureDoesNotMatch(verification.stringToSign);
    return afterSignature(o, request, action, { accessKeyId, securityToken, credentials, signatureVersion: 'V1' }, fields.nonce);
  });
}

/** The schemes a request can be signed with: RPC V1 (query), V3 (headers), ROA V1 (`acs` header). */
type Scheme = SignatureVersion | 'ROA-V1';

/** Step: which scheme the request uses, refused when this service does not accept it. */
function schemeOf(o: ResolvedOptions, request: RpcRequest, action: ActionInfo | undefined): Scheme {
  if (isV3Request(request.headers)) {
    if (!o.v3) throw new errors.IncompleteSignature({ message: 'This service does not accept Signature V3 (ACS3) requests.' });
    return 'V3';
  }
  // A ROA route takes only header signatures: an RPC V1 signature does not cover the path.
  if (action?.style === 'ROA') {
    if (!isRoaV1Request(request.headers)) throw new errors.MissingParameter('Authorization');
    if (!o.v1) throw new errors.IncompleteSignature({ message: 'This service does not accept Signature V1 requests; sign with ACS3-HMAC-SHA256.' });
    return 'ROA-V1';
  }
  if (!o.v1) {
    if (request.state.params.all.Signature !== undefined) {
      throw new errors.IncompleteSignature({ message: 'This service does not accept Signature V1 requests; sign with ACS3-HMAC-SHA256.' });
    }
    throw new errors.MissingParameter('Authorization');
  }
  return 'V1';
}

/**
 * The authentication step of the RPC API. Checks, in order (first failure wins):
 *
 * | V1 | V3 | error |
 * |---|---|---|
 * | `AccessKeyId`, `Signature`, `Timestamp`/`TimeStamp`, `SignatureNonce` present | `Authorization` parses | `MissingParameter` "<Name>" / `IncompleteSignature` |
 * | `SignatureMethod` = `HMAC-SHA1`, `SignatureVersion` = `1.0` | `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` present | `InvalidParamater` "<Name>" / `MissingParameter` "<header>" |
 * | timestamp parses and is within the window | same, `x-acs-date` | `IllegalTimestamp` (or `InvalidTimeStamp.*`) |
 * | key known | key known | `InvalidAccessKeyId.NotFound` |
 * | key active | key active | `Forbidden.AccessKeyDisabled` |
 * | `Signature` is 28-char base64 | signed headers cover host, date, nonce, content hash (+ action, version, token) | `IncompleteSignature` |
 * | signature matches | body hash and signature match | `SignatureDoesNotMatch` + server string to sign |
 * | `checkSecurityToken` | same | its error |
 * | nonce not seen within the TTL | same | `SignatureNonceUsed` (store down: `ServiceUnavailable` 503) |
 *
 * @example
 * const api = createRpcApi<Context>({
 *   version: '2014-05-26',
 *   authenticate: signatureAuthenticator({ credentials: staticCredentials({ 'my-ak': { secret: process.env.SECRET! } }) }),
 * });
 * api.action('DescribeRegions', { handler: (_p, ctx, { caller }) => ({ Caller: caller?.accessKeyId }) });
 * app.use(envelope()).use(koaRpc(api));
 */
export function signatureAuthenticator(options: SignatureAuthenticatorOptions): Authenticator {
  const o = resolve(options);
  // Not async itself: it hands over the scheme's own answer, the caller or a promise (an async wrapper
  // would add turns of the event loop); a refusal is always a rejected promise, never a synchronous throw.
  return function authenticateSignature(request: RpcRequest, action?: ActionInfo): Caller | Promise<Caller> {
    try {
      const scheme = schemeOf(o, request, action);
      if (scheme === 'V3') return authenticateV3(o, request, action);
      return scheme === 'ROA-V1' ? authenticateRoaV1(o, request, action) : authenticateV1(o, request, action);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}
