/**
 * The ROA API: RESTful operations declared the way Alibaba Cloud documents them (method, path with
 * `:Name` parameters, Version in `x-acs-version`, typed path / query / header / JSON-body
 * parameters), run through the same pipeline steps as the RPC API (authentication, throttling,
 * ClientToken idempotency), framework-free. The Koa glue is lib/roa/koa.ts, the Express glue
 * lib/roa/express.ts. Protocol facts: docs/roa.md.
 */
import { errors, type ApiErrorLike } from '../core/errors/index.js';
import { isFormRequest } from '../core/exchange.js';
import type { ParamRecord } from '../core/params/urlencoded.js';
import { isEnvelopeData } from '../core/success.js';
import { issueError, type ActionContext } from '../rpc/api.js';
import { p } from '../rpc/params/builders.js';
import { compileParams, type CompiledParams } from '../rpc/params/compile.js';
import { describeParams, type ParamDescription } from '../rpc/params/describe.js';
import { parseParams } from '../rpc/params/parse.js';
import type { Declaration, InferParams } from '../rpc/params/spec.js';
import type { Authenticator, Caller, IdempotencyGuard, RpcRequest, RpcResult, Throttler } from '../rpc/pipeline.js';
import { parseJsonBody, readJsonBody } from './json-body.js';
import { compileRoutePattern, matchRoutePattern, type RoutePattern } from './route-pattern.js';

/** The HTTP methods a ROA route may use. */
export type RoaMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** Errors the service may replace for protocol conditions. */
export interface RoaErrorFactories {
  /** No route for this method and path. Default `InvalidAction.NotFound` 404 (the gateway's). */
  routeNotFound?: (method: string, path: string) => ApiErrorLike;
  /** A route that does not serve the `x-acs-version` sent. Default `InvalidVersion` 400. */
  unsupportedVersion?: (action: string, version: string) => ApiErrorLike;
}

/** Options of `createRoaApi`. */
export interface RoaApiOptions {
  /** The API version served by routes that do not name their own, e.g. `'2015-12-15'`. */
  version: string;
  /** Refuse undeclared query parameters and body fields (UnsupportedParameter). Default false. */
  strict?: boolean;
  /** Authentication step (`signatureAuthenticator(...)` accepts ROA V1 `acs` and V3 on ROA routes). */
  authenticate?: Authenticator;
  /** Throttling step. */
  throttle?: Throttler;
  /** ClientToken idempotency for routes that declare `clientToken`. */
  idempotency?: IdempotencyGuard;
  /** Replace the errors of protocol conditions. */
  errors?: RoaErrorFactories;
  /** Largest body read, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Longest time a client may take to send its body, in ms. Default 30 000. */
  bodyTimeoutMs?: number;
}

/** Where a route's ClientToken is read. */
export interface RoaClientToken {
  /** `'query'` (a query parameter) or `'body'` (a top-level field of the JSON or form body). */
  readonly in: 'query' | 'body';
  /** Its name, e.g. `'ClientToken'` or `'client_token'`. */
  readonly name: string;
}

/** What a route handler receives: the parameters of each place, typed by their declarations. */
export interface RoaInput<P extends Declaration, Q extends Declaration, H extends Declaration, B extends Declaration> {
  readonly path: InferParams<P>;
  readonly query: InferParams<Q>;
  readonly headers: InferParams<H>;
  readonly body: InferParams<B>;
}

/** How one route is declared. */
export interface RoaRouteDefinition<P extends Declaration, Q extends Declaration, H extends Declaration, B extends Declaration, Ctx> {
  /** The operation's name (`DescribeClusterDetail`): XML root, throttling and idempotency key, docs. */
  action: string;
  /** Path parameters, one per `:Name` of the path (default: each a required `p.string()`). */
  path?: P;
  /** Query parameters. */
  query?: Q;
  /** Header parameters (names matched case-insensitively). */
  headers?: H;
  /** The body's fields (JSON object, or a form body read as flattened RPC-style parameters). */
  body?: B;
  /** Version(s) served. Default: the API's version. */
  version?: string | readonly string[];
  /** Refuse undeclared query parameters and body fields. Default: the API's `strict`. */
  strict?: boolean;
  /** Callable without authentication. */
  anonymous?: boolean;
  /** Success status. Default 200; 204 sends no body. */
  status?: number;
  /** Put the RequestId into the success data under this key (e.g. `'request_id'`, `'RequestId'`). Default: not at all. */
  requestIdKey?: string;
  /** Honour a ClientToken (declare it in `query` or `body`, or it is added as an optional string). */
  clientToken?: RoaClientToken;
  /** One line for generated docs. */
  description?: string;
  /** Returns the success data: a plain object, an array, or nothing (anything else is an InternalError). */
  handler: (input: RoaInput<P, Q, H, B>, ctx: Ctx, call: ActionContext) => unknown;
}

interface RouteEntry<Ctx> {
  readonly method: RoaMethod;
  readonly pattern: RoutePattern;
  readonly action: string;
  readonly versions: ReadonlySet<string>;
  readonly path: CompiledParams;
  readonly query: CompiledParams;
  readonly headers: CompiledParams;
  readonly body: CompiledParams | undefined;
  readonly strict: boolean;
  readonly anonymous: boolean;
  readonly status: number;
  readonly requestIdKey: string | undefined;
  readonly clientToken: RoaClientToken | undefined;
  readonly description: string | undefined;
  readonly handler: (input: RoaInput<Declaration, Declaration, Declaration, Declaration>, ctx: Ctx, call: ActionContext) => unknown;
}

/** The outcome of a call. */
export interface RoaOutcome {
  /** The route's action name. */
  readonly action: string;
  /** The caller, when authenticated. */
  readonly caller: Caller | undefined;
  /** The success data (an object or an array), or undefined for a body-less status (204). */
  readonly data: object | undefined;
  /** HTTP status (2xx). */
  readonly status: number;
  /** Where the RequestId goes in the data, if anywhere. */
  readonly requestIdKey: string | undefined;
}

/** Adapter hooks called during `call`. */
export interface RoaCallHooks {
  /** The route is known and the caller authenticated. */
  resolved?: (action: string, caller: Caller | undefined) => void;
}

/** A route's introspection record. */
export interface RoaRouteDescription {
  readonly method: RoaMethod;
  readonly path: string;
  readonly action: string;
  readonly versions: string[];
  readonly anonymous: boolean;
  readonly status: number;
  readonly clientToken?: RoaClientToken;
  readonly description?: string;
  readonly parameters: { path: ParamDescription[]; query: ParamDescription[]; headers: ParamDescription[]; body: ParamDescription[] };
}

const ACTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const EMPTY: ParamRecord = Object.freeze(Object.create(null)) as ParamRecord;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * A ROA-style API: declare routes, then mount it with `koaRoa(api)` (or `expressRoa(api)`).
 *
 * @example
 * const api = createRoaApi({ version: '2015-12-15' });
 * api.route('GET', '/clusters/:ClusterId', {
 *   action: 'DescribeClusterDetail',
 *   handler: ({ path }) => ({ cluster_id: path.ClusterId, state: 'running' }),
 * });
 * app.use(envelope());
 * app.use(koaRoa(api));
 */
export class RoaApi<Ctx = unknown> {
  /** Resolved options. */
  readonly options: Readonly<RoaApiOptions> & { readonly bodyLimit: number; readonly bodyTimeoutMs: number };
  private readonly routes: Array<RouteEntry<Ctx>> = [];
  private readonly routeNotFound: (method: string, path: string) => ApiErrorLike;
  private readonly unsupportedVersion: (action: string, version: string) => ApiErrorLike;

  constructor(options: RoaApiOptions) {
    if (typeof options?.version !== 'string' || options.version.length === 0) throw new TypeError('createRoaApi: version is required');
    const bodyLimit = options.bodyLimit ?? 1024 * 1024;
    const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
    if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) throw new RangeError('createRoaApi: bodyLimit must be a safe integer >= 0');
    if (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs <= 0) throw new RangeError('createRoaApi: bodyTimeoutMs must be a positive safe integer');
    this.options = { ...options, bodyLimit, bodyTimeoutMs };
    this.routeNotFound = options.errors?.routeNotFound ?? (() => new errors['InvalidAction.NotFound']());
    this.unsupportedVersion = options.errors?.unsupportedVersion ?? (() => new errors.InvalidVersion());
  }

  /**
   * Declare a route. Returns the API, for chaining.
   *
   * @example
   * api.route('POST', '/clusters', {
   *   action: 'CreateCluster',
   *   body: { name: p.string({ required: true }), region_id: p.string({ required: true }) },
   *   requestIdKey: 'request_id',
   *   handler: ({ body }) => ({ cluster_id: create(body) }),
   * });
   */
  route<
    P extends Declaration = Record<string, never>,
    Q extends Declaration = Record<string, never>,
    H extends Declaration = Record<string, never>,
    B extends Declaration = Record<string, never>,
  >(method: RoaMethod, path: string, definition: RoaRouteDefinition<P, Q, H, B, Ctx>): this {
    if (!METHODS.has(method)) throw new TypeError(`ROA route method ${JSON.stringify(method)} must be one of ${[...METHODS].join(', ')}`);
    const pattern = compileRoutePattern(path);
    const where = `ROA route ${method} ${path}`;
    if (!ACTION_NAME.test(definition?.action ?? '')) throw new TypeError(`${where}: action must match ${ACTION_NAME}`);
    if (typeof definition.handler !== 'function') throw new TypeError(`${where} needs a handler`);
    if (this.routes.some((r) => r.method === method && samePattern(r.pattern, pattern))) throw new TypeError(`${where} is declared twice`);
    const versions = definition.version === undefined ? [this.options.version] : typeof definition.version === 'string' ? [definition.version] : [...definition.version];
    if (versions.length === 0 || versions.some((v) => typeof v !== 'string' || v.length === 0)) throw new TypeError(`${where} must serve at least one non-empty version`);
    const status = definition.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 299) throw new TypeError(`${where}: status must be a 2xx status`);
    const pathDecl: Declaration = definition.path ?? Object.fromEntries(pattern.params.map((name) => [name, p.string({ required: true })]));
    const declared = Object.keys(pathDecl).sort().join(',');
    if (declared !== [...pattern.params].sort().join(',')) throw new TypeError(`${where}: path parameters must be exactly ${pattern.params.join(', ') || '(none)'}`);
    const token = definition.clientToken;
    if (token !== undefined && (typeof token.name !== 'string' || token.name === '' || (token.in !== 'query' && token.in !== 'body'))) {
      throw new TypeError(`${where}: clientToken must be { in: 'query' | 'body', name }`);
    }
    this.routes.push({
      method,
      pattern,
      action: definition.action,
      versions: new Set(versions),
      path: compileParams(pathDecl),
      query: compileParams(withToken(definition.query ?? {}, token, 'query')),
      headers: compileParams(definition.headers ?? {}),
      body: definition.body === undefined && token?.in !== 'body' ? undefined : compileParams(withToken(definition.body ?? {}, token, 'body')),
      strict: definition.strict ?? this.options.strict ?? false,
      anonymous: definition.anonymous ?? false,
      status,
      requestIdKey: definition.requestIdKey,
      clientToken: token,
      description: definition.description,
      handler: definition.handler as unknown as RouteEntry<Ctx>['handler'],
    });
    return this;
  }

  /**
   * The declared routes with their parameters, as plain JSON.
   *
   * @example
   * console.log(JSON.stringify(api.describe(), null, 2));
   */
  describe(): { version: string; routes: RoaRouteDescription[] } {
    const routes = this.routes.map((r) => ({
      method: r.method,
      path: r.pattern.source,
      action: r.action,
      versions: [...r.versions],
      anonymous: r.anonymous,
      status: r.status,
      ...(r.clientToken === undefined ? {} : { clientToken: r.clientToken }),
      ...(r.description === undefined ? {} : { description: r.description }),
      parameters: {
        path: describeParams(r.path.declaration),
        query: describeParams(r.query.declaration),
        headers: describeParams(r.headers.declaration),
        body: r.body === undefined ? [] : describeParams(r.body.declaration),
      },
    }));
    return { version: this.options.version, routes };
  }

  /**
   * Run the pipeline for one request whose body bytes (if any) are in `request.state.rawBody`:
   * Version present → authentication → route known → Version served → throttling → parameters →
   * idempotency → handler. Throws ApiErrors for every protocol condition.
   *
   * @example
   * const outcome = await api.call(request, ctx);
   */
  async call(request: RpcRequest, ctx: Ctx, hooks: RoaCallHooks = {}): Promise<RoaOutcome> {
    const match = this.match(request.method, request.path);
    const version = headerVersion(request.headers['x-acs-version']);
    const entry = match?.entry;
    const action = entry?.action ?? '';
    const caller =
      entry?.anonymous || this.options.authenticate === undefined
        ? undefined
        : await this.options.authenticate(request, { name: action, version, known: entry !== undefined, style: 'ROA' });
    if (match === undefined || entry === undefined) throw this.routeNotFound(request.method, request.path);
    if (!entry.versions.has(version)) throw this.unsupportedVersion(action, version);
    hooks.resolved?.(action, caller);
    if (this.options.throttle !== undefined) await this.options.throttle(request, { caller, action });
    const input = {
      path: parsed(entry.path, match.params, true),
      query: parsed(entry.query, request.state.params.query, entry.strict),
      headers: parsed(entry.headers, headerParams(entry.headers, request.headers), false),
      body: entry.body === undefined ? {} : readBody(entry.body, request, entry.strict),
    };
    const call: ActionContext = { caller, request };
    const run = async (): Promise<RpcResult> => ({ data: asData(await entry.handler(input, ctx, call), entry), status: entry.status });
    const clientToken = entry.clientToken === undefined ? undefined : tokenOf(entry.clientToken, input);
    const result =
      clientToken !== undefined && this.options.idempotency !== undefined
        ? await this.options.idempotency(request, { caller, action, clientToken, fingerprint: roaFingerprint(request) }, run)
        : await run();
    return { action, caller, data: entry.status === 204 ? undefined : result.data, status: result.status, requestIdKey: entry.requestIdKey };
  }

  /** The route for a method and path; `undefined` when none. A malformed path parameter is InvalidParameter. */
  private match(method: string, path: string): { entry: RouteEntry<Ctx>; params: ParamRecord } | undefined {
    for (const entry of this.routes) {
      if (entry.method !== method) continue;
      const m = matchRoutePattern(entry.pattern, path);
      if (m.ok) return { entry, params: m.params };
      if (m.malformed) throw new errors.InvalidParameter({ message: 'The request path has a malformed percent-encoded segment.' });
    }
    return undefined;
  }
}

/**
 * Create a ROA API.
 *
 * @example
 * const api = createRoaApi({ version: '2015-12-15', authenticate: signatureAuthenticator({ credentials }) });
 */
export function createRoaApi<Ctx = unknown>(options: RoaApiOptions): RoaApi<Ctx> {
  return new RoaApi<Ctx>(options);
}

function samePattern(a: RoutePattern, b: RoutePattern): boolean {
  if (a.segments.length !== b.segments.length) return false;
  return a.segments.every((s, i) => {
    const t = b.segments[i] as { literal?: string; param?: string };
    const u = s as { literal?: string; param?: string };
    return u.literal === undefined ? t.literal === undefined : u.literal === t.literal;
  });
}

function withToken(declaration: Declaration, token: RoaClientToken | undefined, place: 'query' | 'body'): Declaration {
  if (token === undefined || token.in !== place || declaration[token.name] !== undefined) return declaration;
  return { ...declaration, [token.name]: p.string({ maxLength: 64 }) };
}

function headerVersion(value: string | string[] | undefined): string {
  if (Array.isArray(value)) throw new errors.InvalidParameter({ parameter: 'x-acs-version', message: 'The header "x-acs-version" must not be given more than once.' });
  if (value === undefined || value === '') throw new errors.MissingParameter('x-acs-version');
  return value;
}

function parsed(compiled: CompiledParams, flat: ParamRecord, strict: boolean): Record<string, unknown> {
  const result = parseParams(compiled, flat, { strict });
  if (!result.ok) throw issueError(result.issue);
  return result.value as Record<string, unknown>;
}

function headerParams(compiled: CompiledParams, headers: RpcRequest['headers']): ParamRecord {
  const names = Object.keys(compiled.declaration);
  if (names.length === 0) return EMPTY;
  const out = Object.create(null) as ParamRecord;
  for (const name of names) {
    const value = headers[name.toLowerCase()];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function readBody(compiled: CompiledParams, request: RpcRequest, strict: boolean): Record<string, unknown> {
  const raw = request.state.rawBody;
  if (isFormRequest(request.headers)) return parsed(compiled, request.state.params.body, strict);
  if (raw === undefined || raw.length === 0) return readJsonBody(compiled.declaration, {}, strict);
  // No Content-Type counts as JSON: pop-core's ROAClient sends none unless its caller adds one.
  const type = request.headers['content-type'];
  if (type !== undefined && (typeof type !== 'string' || !JSON_TYPE.test(type))) {
    throw new errors.InvalidParameter({ parameter: 'Content-Type', message: 'The request body must be sent as application/json.' });
  }
  return readJsonBody(compiled.declaration, parseJsonBody(raw), strict);
}

function tokenOf(token: RoaClientToken, input: { query: Record<string, unknown>; body: Record<string, unknown> }): string | undefined {
  const value = (token.in === 'query' ? input.query : input.body)[token.name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A handler's result as success data: a plain object, an array (ROA APIs may answer one), or
 * nothing. Anything else is a bug reported as InternalError. Idempotent routes must return objects
 * (their results are stored).
 */
function asData(value: unknown, entry: { readonly action: string; readonly clientToken: RoaClientToken | undefined }): object {
  if (value === undefined || value === null) return {};
  if (isEnvelopeData(value) || (Array.isArray(value) && entry.clientToken === undefined)) return value;
  throw new TypeError(`the handler of ${entry.action} must return a plain object${entry.clientToken === undefined ? ', an array' : ''} (or nothing)`);
}

/**
 * What identifies a ClientToken retry of a ROA call: method, raw path, query and body bytes.
 *
 * @example
 * roaFingerprint(request); // '["POST","/clusters",[["ClientToken","t1"]],"{\"name\":\"a\"}"]'
 */
export function roaFingerprint(request: RpcRequest): string {
  const query = request.state.params.query;
  const names = Object.keys(query).sort();
  const body = request.state.rawBody?.toString('base64') ?? '';
  return JSON.stringify([request.method, request.path, names.map((name) => [name, query[name]]), body]);
}
