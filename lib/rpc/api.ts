/**
 * The RPC API: actions declared the way Alibaba Cloud documents them (name, Version, typed
 * parameters, handler), dispatched on `Action` and `Version` (query, form body, or the
 * `x-acs-action` / `x-acs-version` headers of Signature V3), framework-free. The Koa glue
 * (lib/koa/rpc.ts) mounts it on @koa/router; the Express glue on an Express router.
 */
import { errors, type ApiErrorLike } from '../core/errors/index.js';
import { singleParam, type ParamRecord } from '../core/params/urlencoded.js';
import { isEnvelopeData } from '../core/success.js';
import { compileParams, type CompiledParams } from './params/compile.js';
import { parseParams } from './params/parse.js';
import { p } from './params/builders.js';
import { describeParams, type ParamDescription } from './params/describe.js';
import { hasOwnerIdAndOwnerAccount } from './params/owner.js';
import type { Declaration, InferParams, ParamIssue } from './params/spec.js';
import type { CorsOptions } from '../core/cors.js';
import type { Authenticator, Caller, IdempotencyGuard, RpcRequest, RpcResult, Throttler } from './pipeline.js';

/** Errors the service may replace for protocol conditions (as @koa/router's `allowedMethods` factories). */
export interface RpcErrorFactories {
  /** An Action the API does not declare. Default: `InvalidAction` 403 (seed); the live gateway uses `InvalidAction.NotFound` 404. */
  unknownAction?: (action: string) => ApiErrorLike;
  /** A known Action with a Version it does not serve. Default: `InvalidParameter` "Action or Version" 400 (seed). */
  unsupportedVersion?: (action: string, version: string) => ApiErrorLike;
  /** A method other than GET and POST. Default: `UnsupportedHTTPMethod` 403. */
  methodNotAllowed?: (method: string) => ApiErrorLike;
}

/** Options of `createRpcApi`. */
export interface RpcApiOptions {
  /** The API version served by actions that do not name their own, e.g. `'2014-05-26'`. */
  version: string;
  /** Endpoint path. Default `'/'`. */
  path?: string;
  /** Reject undeclared business parameters with UnsupportedParameter (per action overridable). Default false. */
  strict?: boolean;
  /** Largest list index accepted (`Name.N`). Default 1000. */
  maxListIndex?: number;
  /** Authentication step (e.g. `signatureAuthenticator(...)`); without it every action is anonymous. */
  authenticate?: Authenticator;
  /** Throttling step. */
  throttle?: Throttler;
  /** ClientToken idempotency for actions declared `idempotent`. */
  idempotency?: IdempotencyGuard;
  /** Replace the errors of protocol conditions. */
  errors?: RpcErrorFactories;
  /** Answer CORS preflights (OPTIONS) and add CORS headers. Default false (OPTIONS is UnsupportedHTTPMethod). */
  cors?: boolean | CorsOptions;
}

/** The context a handler receives besides its parameters. */
export interface ActionContext {
  /** The authenticated caller (undefined for anonymous actions or without authentication). */
  readonly caller: Caller | undefined;
  /** The request as the pipeline sees it (RequestId, format, raw parameters, headers). */
  readonly request: RpcRequest;
}

/** How one action is declared. */
export interface ActionDefinition<D extends Declaration, Ctx> {
  /** Typed business parameters (`p.*`). */
  params?: D;
  /** Version(s) this action serves. Default: the API's version. */
  version?: string | readonly string[];
  /** Reject undeclared business parameters. Default: the API's `strict`. */
  strict?: boolean;
  /** Callable without authentication. */
  anonymous?: boolean;
  /** Honour `ClientToken` (the declaration should include `ClientToken: p.string(...)`). */
  idempotent?: boolean;
  /** One line for generated docs. */
  description?: string;
  /** Returns the success data: a plain object, or nothing for an empty success (anything else is an InternalError). */
  handler: (params: InferParams<D>, ctx: Ctx, call: ActionContext) => unknown;
}

interface ActionEntry<Ctx> {
  readonly name: string;
  readonly versions: ReadonlySet<string>;
  readonly compiled: CompiledParams;
  readonly strict: boolean;
  readonly anonymous: boolean;
  readonly idempotent: boolean;
  readonly description: string | undefined;
  readonly handler: (params: unknown, ctx: Ctx, call: ActionContext) => unknown;
}

/** The outcome of a call: the action served and its result. */
export interface RpcOutcome extends RpcResult {
  /** The Action, for the XML root `<Action>Response`. */
  readonly action: string;
  /** The caller, when authenticated. */
  readonly caller: Caller | undefined;
}

/** Adapter hooks called during `call`. */
export interface CallHooks {
  /** The Action is known and the caller authenticated: adapters expose both before the handler runs. */
  resolved?: (action: string, caller: Caller | undefined) => void;
}

/** An action's introspection record. */
export interface ActionDescription {
  readonly name: string;
  readonly versions: string[];
  readonly anonymous: boolean;
  readonly idempotent: boolean;
  readonly strict: boolean;
  readonly description?: string;
  readonly parameters: ParamDescription[];
}

const ACTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const SIGNING_FIELDS = new Set(['Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'SignatureType', 'Timestamp', 'TimeStamp', 'Format', 'AccessKeyId', 'SecurityToken', 'BearerToken']);

/**
 * An RPC-style API: declare actions, then mount it with `koaRpc(api)` (or the Express adapter).
 *
 * @example
 * const api = createRpcApi({ version: '2014-05-26' });
 * api.action('DescribeInstances', {
 *   params: { RegionId: p.string({ required: true }), PageSize: p.integer({ min: 1, max: 100, default: 10 }) },
 *   handler: async ({ RegionId, PageSize }) => ({ TotalCount: 0, PageSize, Instances: { Instance: [] } }),
 * });
 * app.use(envelope());
 * app.use(koaRpc(api));
 */
export class RpcApi<Ctx = unknown> {
  /** Resolved options. */
  readonly options: Readonly<RpcApiOptions> & { readonly path: string };
  private readonly actions = new Map<string, ActionEntry<Ctx>>();
  private readonly unknownAction: (action: string) => ApiErrorLike;
  private readonly unsupportedVersion: (action: string, version: string) => ApiErrorLike;
  private readonly methodNotAllowedError: (method: string) => ApiErrorLike;

  constructor(options: RpcApiOptions) {
    if (typeof options?.version !== 'string' || options.version.length === 0) throw new TypeError('createRpcApi: version is required');
    const path = options.path ?? '/';
    // A literal path: route syntax (`/:id`, `*`, `(…)`) would mean a pattern on Koa and is refused on Express.
    if (!/^\/[A-Za-z0-9._~\/-]*$/.test(path)) throw new TypeError("createRpcApi: path must be a literal path starting with '/' (letters, digits, - . _ ~ /)");
    this.options = { ...options, path };
    this.unknownAction = options.errors?.unknownAction ?? (() => new errors.InvalidAction());
    this.unsupportedVersion = options.errors?.unsupportedVersion ?? (() => new errors.InvalidParameter('Action or Version'));
    this.methodNotAllowedError = options.errors?.methodNotAllowed ?? (() => new errors.UnsupportedHTTPMethod());
  }

  /**
   * Declare an action. Returns the API, for chaining.
   *
   * @example
   * api.action('StartInstance', { params: { InstanceId: p.string({ required: true }) }, handler: ({ InstanceId }) => start(InstanceId) });
   */
  action<D extends Declaration = Record<string, never>>(name: string, definition: ActionDefinition<D, Ctx>): this {
    if (!ACTION_NAME.test(name)) throw new TypeError(`action name ${JSON.stringify(name)} must match ${ACTION_NAME}`);
    if (this.actions.has(name)) throw new TypeError(`action ${name} is declared twice`);
    if (typeof definition?.handler !== 'function') throw new TypeError(`action ${name} needs a handler`);
    const versions = definition.version === undefined ? [this.options.version] : typeof definition.version === 'string' ? [definition.version] : [...definition.version];
    if (versions.length === 0 || versions.some((v) => typeof v !== 'string' || v.length === 0)) {
      throw new TypeError(`action ${name} must serve at least one non-empty version`);
    }
    const compileOptions = this.options.maxListIndex === undefined ? undefined : { maxListIndex: this.options.maxListIndex };
    this.actions.set(name, {
      name,
      versions: new Set(versions),
      compiled: compileParams(declarationFor(definition), compileOptions),
      strict: definition.strict ?? this.options.strict ?? false,
      anonymous: definition.anonymous ?? false,
      idempotent: definition.idempotent ?? false,
      description: definition.description,
      handler: definition.handler as ActionEntry<Ctx>['handler'],
    });
    return this;
  }

  /**
   * The declared actions with their parameters, types and constraints, as plain JSON.
   *
   * @example
   * console.log(JSON.stringify(api.describe(), null, 2));
   */
  describe(): { version: string; path: string; actions: ActionDescription[] } {
    const actions = [...this.actions.values()].map((entry) => ({
      name: entry.name,
      versions: [...entry.versions],
      anonymous: entry.anonymous,
      idempotent: entry.idempotent,
      strict: entry.strict,
      ...(entry.description === undefined ? {} : { description: entry.description }),
      parameters: describeParams(entry.compiled.declaration),
    }));
    return { version: this.options.version, path: this.options.path, actions };
  }

  /**
   * The error for a method other than GET and POST.
   *
   * @example
   * throw api.methodNotAllowed('PUT');
   */
  methodNotAllowed(method: string): ApiErrorLike {
    return this.methodNotAllowedError(method);
  }

  /**
   * Run the whole pipeline for one request: resolve Action and Version, authenticate, throttle,
   * validate parameters, run the handler (once per ClientToken for idempotent actions).
   * Throws ApiErrors for every protocol condition.
   *
   * @example
   * const outcome = await api.call(request, ctx);
   */
  async call(request: RpcRequest, ctx: Ctx, hooks: CallHooks = {}): Promise<RpcOutcome> {
    if (request.method !== 'GET' && request.method !== 'POST') throw this.methodNotAllowed(request.method);
    const params = request.state.params.all;
    // The x-acs-action / x-acs-version headers stand in for the parameters only when no V1
    // signature is present: a V1 signature does not cover them, so they must not pick the action.
    const headersCount = params.Signature === undefined;
    const action = commonValue(params, 'Action', headersCount ? request.headers['x-acs-action'] : undefined);
    const version = commonValue(params, 'Version', headersCount ? request.headers['x-acs-version'] : undefined);
    const entry = this.actions.get(action);
    const caller = entry?.anonymous || this.options.authenticate === undefined ? undefined : await this.options.authenticate(request, { name: action, version, known: entry !== undefined });
    if (entry === undefined) throw this.unknownAction(action);
    if (!entry.versions.has(version)) throw this.unsupportedVersion(action, version);
    hooks.resolved?.(action, caller);
    if (hasOwnerIdAndOwnerAccount(params)) throw new errors.InvalidOwner();
    if (this.options.throttle !== undefined) await this.options.throttle(request, { caller, action });
    const parsed = parseParams(entry.compiled, params, { strict: entry.strict });
    if (!parsed.ok) throw issueError(parsed.issue);
    const call: ActionContext = { caller, request };
    const clientToken = entry.idempotent ? singleParam(params, 'ClientToken').value : undefined;
    if (clientToken !== undefined && clientToken !== '' && this.options.idempotency !== undefined) {
      const run = async (): Promise<RpcResult> => ({ data: asData(await entry.handler(parsed.value, ctx, call)), status: 200 });
      const result = await this.options.idempotency(request, { caller, action, clientToken, fingerprint: fingerprint(params) }, run);
      return { data: result.data, status: result.status, action, caller };
    }
    // The common path: no closure, and no extra turn of the event loop for a synchronous handler.
    const returned = entry.handler(parsed.value, ctx, call);
    const data = asData(isThenable(returned) ? await returned : returned);
    return { data, status: 200, action, caller };
  }
}

/**
 * Create an RPC API.
 *
 * @example
 * const api = createRpcApi({ version: '2014-05-26', strict: false });
 */
export function createRpcApi<Ctx = unknown>(options: RpcApiOptions): RpcApi<Ctx> {
  return new RpcApi<Ctx>(options);
}

/** An idempotent action accepts `ClientToken` even in strict mode, declared or not. */
function declarationFor(definition: { params?: Declaration; idempotent?: boolean }): Declaration {
  const params = definition.params ?? {};
  if (definition.idempotent !== true || params.ClientToken !== undefined) return params;
  return { ...params, ClientToken: p.string() };
}

function commonValue(params: ParamRecord, name: 'Action' | 'Version', header: string | string[] | undefined): string {
  const { value, repeated } = singleParam(params, name);
  if (repeated) throw new errors.InvalidParameter(name);
  const found = value ?? (typeof header === 'string' ? header : undefined);
  if (found === undefined || found === '') throw new errors.MissingParameter(name);
  return found;
}

function issueError(issue: ParamIssue): ApiErrorLike {
  switch (issue.kind) {
    case 'missing':
      return new errors.MissingParameter(issue.name);
    case 'unsupported':
      return new errors.UnsupportedParameter(issue.name);
    default:
      return new errors.InvalidParameter(issue.name);
  }
}

/** True for a promise or any other thenable (a handler may be async). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * A handler's result as success data. Only plain objects (and nothing) are data: anything else
 * (an array, a string, a Buffer, a stream, a Map, a class instance) would bypass the envelope, so it
 * is a bug reported as InternalError.
 */
function asData(value: unknown): object {
  if (value === undefined || value === null) return {};
  if (isEnvelopeData(value)) return value;
  throw new TypeError('an action handler must return a plain object (or nothing)');
}

/** The business parameters that identify a ClientToken retry: no signing fields, no Format. */
export function fingerprint(params: ParamRecord): string {
  const names = Object.keys(params).filter((name) => !SIGNING_FIELDS.has(name)).sort();
  return JSON.stringify(names.map((name) => [name, params[name]]));
}
