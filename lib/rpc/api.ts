/**
 * The RPC API: actions declared the way Alibaba Cloud documents them (name, Version, typed
 * parameters, handler), dispatched on `Action` and `Version` (query, form body, or the
 * `x-acs-action` / `x-acs-version` headers of Signature V3), framework-free. The Koa glue
 * (lib/koa/rpc.ts) and the Express glue (lib/express/rpc.ts) serve it at its path.
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
import { compileResponse, isZodSchema } from './response/compile.js';
import { checkResponse, ResponseMismatchError } from './response/check.js';
import { compileErrors, type DeclaredError } from './response/errors.js';
import type { StructShape } from './response/shape.js';
import type { ActionHandlerResult, ResponseDeclaration } from './response/spec.js';
import type { DefinedErrorClass } from '../core/errors/api-error.js';
import { protocolErrors } from './response/protocol-errors.js';
import { buildReference, type ApiReference } from '../reference/model.js';
import { buildOpenApi } from '../openapi/document.js';
import type { OpenApiDocument, OpenApiOptions } from '../openapi/types.js';
import type { z } from 'zod';
import type { CorsOptions } from '../core/cors.js';
import type { Authenticator, Caller, IdempotencyGuard, RpcRequest, RpcResult, Throttler } from './pipeline.js';
import { isThenable } from './thenable.js';

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
  /**
   * Check every handler's data against its action's `response` declaration; a mismatch is a bug:
   * the client gets `InternalError`, the app's `error` event gets a ResponseMismatchError.
   * Default: on unless `NODE_ENV` is `production` (read when the API is created).
   */
  checkResponses?: boolean;
}

/** The context a handler receives besides its parameters. */
export interface ActionContext {
  /** The authenticated caller (undefined for anonymous actions or without authentication). */
  readonly caller: Caller | undefined;
  /** The request as the pipeline sees it (RequestId, format, raw parameters, headers). */
  readonly request: RpcRequest;
}

/** How one action is declared. `R` is the response declaration, when there is one. */
export interface ActionDefinition<D extends Declaration, Ctx, R extends ResponseDeclaration | undefined = undefined> {
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
  /**
   * What the action returns (besides RequestId): fields built with `p.*` or zod, or a `z.object()`.
   * TypeScript checks the handler's return against it; with `checkResponses` so does the API.
   */
  response?: R;
  /** The errors the action may answer with besides the protocol's own (catalogue or `defineError` classes), for the reference. */
  errors?: readonly DefinedErrorClass[];
  /** Returns the success data: a plain object, or nothing for an empty success (anything else is an InternalError). */
  handler: (params: InferParams<D>, ctx: Ctx, call: ActionContext) => ActionHandlerResult<NoInfer<R>>;
}

interface ActionEntry<Ctx> {
  readonly name: string;
  readonly versions: ReadonlySet<string>;
  readonly compiled: CompiledParams;
  readonly strict: boolean;
  readonly anonymous: boolean;
  readonly idempotent: boolean;
  readonly description: string | undefined;
  /** The compiled response declaration, when declared. */
  readonly response: StructShape | undefined;
  /** Zod schemas of the declaration, run after the structural check (refinements); `''` for a whole z.object(). */
  readonly zodChecks: ReadonlyArray<readonly [string, z.ZodType]>;
  readonly errors: readonly DeclaredError[] | undefined;
  handler(params: unknown, ctx: Ctx, call: ActionContext): unknown;
}

/** The outcome of a call: the action served and its result. */
export interface RpcOutcome extends RpcResult {
  /** The Action, for the XML root `<Action>Response`. */
  readonly action: string;
  /** The caller, when authenticated. */
  readonly caller: Caller | undefined;
}

/** Adapter hooks called during `call`; one object may serve every call (`ctx` is passed). */
export interface CallHooks<Ctx = unknown> {
  /** The Action is known and the caller authenticated: adapters expose both before the handler runs. */
  resolved?(action: string, caller: Caller | undefined, ctx: Ctx): void;
}

/** No hooks. */
const NO_HOOKS: CallHooks<never> = Object.freeze({});

/** A call between its steps: what the request resolved to before authentication. */
interface PendingCall<Ctx> {
  readonly request: RpcRequest;
  readonly ctx: Ctx;
  readonly hooks: CallHooks<Ctx>;
  readonly action: string;
  readonly version: string;
  readonly entry: ActionEntry<Ctx> | undefined;
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
  /** The compiled response declaration (present only when the action declares one). */
  readonly response?: StructShape;
  /** The declared errors (present only when the action declares them). */
  readonly errors?: DeclaredError[];
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
  private readonly checkResponses: boolean;

  constructor(options: RpcApiOptions) {
    if (typeof options?.version !== 'string' || options.version.length === 0) throw new TypeError('createRpcApi: version is required');
    const path = options.path ?? '/';
    // A literal path: route syntax (`/:id`, `*`, `(…)`) would mean a pattern on Koa and is refused on Express.
    if (!/^\/[A-Za-z0-9._~\/-]*$/.test(path)) throw new TypeError("createRpcApi: path must be a literal path starting with '/' (letters, digits, - . _ ~ /)");
    this.options = { ...options, path };
    this.unknownAction = options.errors?.unknownAction ?? (() => new errors.InvalidAction());
    this.unsupportedVersion = options.errors?.unsupportedVersion ?? (() => new errors.InvalidParameter('Action or Version'));
    this.methodNotAllowedError = options.errors?.methodNotAllowed ?? (() => new errors.UnsupportedHTTPMethod());
    this.checkResponses = options.checkResponses ?? process.env.NODE_ENV !== 'production';
  }

  /**
   * Declare an action. Returns the API, for chaining.
   *
   * @example
   * api.action('StartInstance', { params: { InstanceId: p.string({ required: true }) }, handler: ({ InstanceId }) => start(InstanceId) });
   */
  action<D extends Declaration = Record<string, never>, const R extends ResponseDeclaration | undefined = undefined>(
    name: string,
    definition: ActionDefinition<D, Ctx, R>,
  ): this {
    if (!ACTION_NAME.test(name)) throw new TypeError(`action name ${JSON.stringify(name)} must match ${ACTION_NAME}`);
    if (this.actions.has(name)) throw new TypeError(`action ${name} is declared twice`);
    if (typeof definition?.handler !== 'function') throw new TypeError(`action ${name} needs a handler`);
    const versions = definition.version === undefined ? [this.options.version] : typeof definition.version === 'string' ? [definition.version] : [...definition.version];
    if (versions.length === 0 || versions.some((v) => typeof v !== 'string' || v.length === 0)) {
      throw new TypeError(`action ${name} must serve at least one non-empty version`);
    }
    const compileOptions = this.options.maxListIndex === undefined ? undefined : { maxListIndex: this.options.maxListIndex };
    const response = definition.response === undefined ? undefined : compileResponse(name, definition.response);
    const declaredErrors = definition.errors === undefined ? undefined : compileErrors(name, definition.errors);
    this.actions.set(name, {
      name,
      versions: new Set(versions),
      compiled: compileParams(declarationFor(definition), compileOptions),
      strict: definition.strict ?? this.options.strict ?? false,
      anonymous: definition.anonymous ?? false,
      idempotent: definition.idempotent ?? false,
      description: definition.description,
      response,
      zodChecks: definition.response === undefined ? [] : zodChecksOf(definition.response),
      errors: declaredErrors,
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
      ...(entry.response === undefined ? {} : { response: entry.response }),
      ...(entry.errors === undefined ? {} : { errors: [...entry.errors] }),
    }));
    return { version: this.options.version, path: this.options.path, actions };
  }

  /**
   * The errors the protocol itself may answer with for any action (dispatch, parameters, the
   * configured authentication / throttling / idempotency steps, InternalError).
   *
   * @example
   * api.protocolErrors().map((e) => e.code); // ['InvalidAction', 'InvalidParameter', …]
   */
  protocolErrors(): DeclaredError[] {
    const dispatch = [this.unknownAction('Action'), this.unsupportedVersion('Action', 'Version'), this.methodNotAllowed('PUT')];
    return protocolErrors(dispatch, {
      authenticate: this.options.authenticate !== undefined,
      throttle: this.options.throttle !== undefined,
      idempotency: this.options.idempotency !== undefined,
    });
  }

  /**
   * The API reference (docs/reference.md): every action with its parameters, response, errors and
   * sample bodies, as plain JSON.
   *
   * @example
   * app.use((ctx) => { if (ctx.path === '/reference.json') ctx.body = api.reference(); });
   */
  reference(): ApiReference {
    return buildReference(this);
  }

  /**
   * The API as an OpenAPI 3.1 document (docs/reference.md says how the RPC protocol is modelled).
   *
   * @example
   * writeFileSync('openapi.json', JSON.stringify(api.openapi({ title: 'ECS', servers: [{ url: 'https://ecs.example.com' }] }), null, 2));
   */
  openapi(options: OpenApiOptions): OpenApiDocument {
    return buildOpenApi(this, options);
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
   * Rejects with ApiErrors for every protocol condition.
   *
   * @example
   * const outcome = await api.call(request, ctx);
   */
  async call(request: RpcRequest, ctx: Ctx, hooks: CallHooks<Ctx> = NO_HOOKS): Promise<RpcOutcome> {
    return this.serve(request, ctx, hooks);
  }

  /**
   * `call` without the promise when nothing had to be waited for: the outcome itself when every step
   * answered synchronously (no authentication or throttling configured, or an anonymous action; a
   * handler that returns its data), else a promise of it. Protocol conditions are thrown (or
   * rejected, after the first asynchronous step). The adapters use it, so that such a request is
   * answered without a turn of the microtask queue per step.
   *
   * @example
   * const outcome = api.serve(request, ctx);
   * if (isThenable(outcome)) return outcome.then(send);
   * send(outcome);
   */
  serve(request: RpcRequest, ctx: Ctx, hooks: CallHooks<Ctx> = NO_HOOKS): RpcOutcome | Promise<RpcOutcome> {
    if (request.method !== 'GET' && request.method !== 'POST') throw this.methodNotAllowed(request.method);
    const params = request.state.params.all;
    // The x-acs-action / x-acs-version headers stand in for the parameters only when no V1
    // signature is present: a V1 signature does not cover them, so they must not pick the action.
    const headersCount = params.Signature === undefined;
    const action = commonValue(params, 'Action', headersCount ? request.headers['x-acs-action'] : undefined);
    const version = commonValue(params, 'Version', headersCount ? request.headers['x-acs-version'] : undefined);
    const entry = this.actions.get(action);
    const authenticate = this.options.authenticate;
    if (entry?.anonymous || authenticate === undefined) return this.authorized({ request, ctx, hooks, action, version, entry }, undefined);
    const pending = { request, ctx, hooks, action, version, entry };
    const caller = authenticate(request, { name: action, version, known: entry !== undefined });
    return isThenable(caller) ? Promise.resolve(caller).then((resolved) => this.authorized(pending, resolved)) : this.authorized(pending, caller);
  }

  /** After authentication: the Action and Version are known, the owner parameters consistent, then throttling. */
  private authorized(call: PendingCall<Ctx>, caller: Caller | undefined): RpcOutcome | Promise<RpcOutcome> {
    const { entry, action, version, request } = call;
    if (entry === undefined) throw this.unknownAction(action);
    if (!entry.versions.has(version)) throw this.unsupportedVersion(action, version);
    call.hooks.resolved?.(action, caller, call.ctx);
    if (hasOwnerIdAndOwnerAccount(request.state.params.all)) throw new errors.InvalidOwner();
    const throttle = this.options.throttle;
    if (throttle === undefined) return this.admitted(call, entry, caller);
    const admitted = throttle(request, { caller, action });
    return isThenable(admitted) ? Promise.resolve(admitted).then(() => this.admitted(call, entry, caller)) : this.admitted(call, entry, caller);
  }

  /** After throttling: the business parameters, then the handler (once per ClientToken for idempotent actions). */
  private admitted(call: PendingCall<Ctx>, entry: ActionEntry<Ctx>, caller: Caller | undefined): RpcOutcome | Promise<RpcOutcome> {
    const { request, ctx, action } = call;
    const params = request.state.params.all;
    const parsed = parseParams(entry.compiled, params, { strict: entry.strict });
    if (!parsed.ok) throw issueError(parsed.issue);
    const context: ActionContext = { caller, request };
    const clientToken = entry.idempotent ? singleParam(params, 'ClientToken').value : undefined;
    if (clientToken !== undefined && clientToken !== '' && this.options.idempotency !== undefined) {
      const run = async (): Promise<RpcResult> => ({ data: this.checked(entry, asData(await entry.handler(parsed.value, ctx, context))), status: 200 });
      return this.options.idempotency(request, { caller, action, clientToken, fingerprint: fingerprint(params) }, run).then((result) => {
        if (result.replayed === true) request.state.replayed = true;
        return { data: result.data, status: result.status, action, caller };
      });
    }
    const returned = entry.handler(parsed.value, ctx, context);
    if (isThenable(returned)) return Promise.resolve(returned).then((data) => this.succeeded(entry, data, action, caller));
    return this.succeeded(entry, returned, action, caller);
  }

  /** The outcome of a handler that returned `returned`. */
  private succeeded(entry: ActionEntry<Ctx>, returned: unknown, action: string, caller: Caller | undefined): RpcOutcome {
    return { data: this.checked(entry, asData(returned)), status: 200, action, caller };
  }

  /** The data, after the development-time check against the action's response declaration. */
  private checked(entry: ActionEntry<Ctx>, data: object): object {
    if (!this.checkResponses || entry.response === undefined) return data;
    const mismatch = checkResponse(entry.response, data);
    if (mismatch !== undefined) throw new ResponseMismatchError(entry.name, mismatch.path, mismatch.reason);
    for (const [field, schema] of entry.zodChecks) {
      const value = field === '' ? data : (data as Record<string, unknown>)[field];
      if (field !== '' && (value === undefined || value === null)) continue;
      const result = schema.safeParse(value);
      if (!result.success) {
        const issue = result.error.issues[0];
        const path = [field, ...(issue?.path ?? []).map((key) => (typeof key === 'number' ? key + 1 : String(key)))].filter((part) => part !== '').join('.');
        throw new ResponseMismatchError(entry.name, path, issue?.message ?? 'does not pass its zod schema');
      }
    }
    return data;
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

/** The zod schemas of a response declaration, by top-level field (`''` for a whole z.object()). */
function zodChecksOf(declaration: ResponseDeclaration): Array<readonly [string, z.ZodType]> {
  if (isZodSchema(declaration)) return [['', declaration]];
  return Object.entries(declaration).filter((entry): entry is [string, z.ZodType] => isZodSchema(entry[1]));
}

function commonValue(params: ParamRecord, name: 'Action' | 'Version', header: string | string[] | undefined): string {
  const { value, repeated } = singleParam(params, name);
  if (repeated) throw new errors.InvalidParameter(name);
  const found = value ?? (typeof header === 'string' ? header : undefined);
  if (found === undefined || found === '') throw new errors.MissingParameter(name);
  return found;
}

/** The error for a parameter issue: MissingParameter, UnsupportedParameter or InvalidParameter (shared with the ROA API). */
export function issueError(issue: ParamIssue): ApiErrorLike {
  switch (issue.kind) {
    case 'missing':
      return new errors.MissingParameter(issue.name);
    case 'unsupported':
      return new errors.UnsupportedParameter(issue.name);
    default:
      return new errors.InvalidParameter(issue.name);
  }
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
