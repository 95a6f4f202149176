/**
 * Where the authenticator gets AccessKey secrets: a credentials provider, and a static one for
 * tests, examples and small deployments.
 */
import { errors } from '../core/errors/index.js';
import { constantTimeEqual } from './constant-time.js';

/** What a credentials provider knows about one AccessKeyId. */
export interface Credentials {
  /** The AccessKeySecret. Never rendered, logged or put in an error. */
  readonly secret: string;
  /** A disabled key is refused with `Forbidden.AccessKeyDisabled` (403). */
  readonly state: 'active' | 'disabled';
  /** Whatever the service wants handlers to see as `ctx.state.caller.principal` (account, roles, …). */
  readonly principal?: Readonly<Record<string, unknown>> | undefined;
}

/** What the provider is told besides the AccessKeyId. */
export interface CredentialsLookup {
  /**
   * The STS token of the request (`SecurityToken` parameter, or the `x-acs-security-token` header of
   * Signature V3), or undefined. Not yet covered by a verified signature when the provider runs.
   */
  readonly securityToken: string | undefined;
  /** How the request is signed. */
  readonly signatureVersion: 'V1' | 'V3';
}

/**
 * Resolves an AccessKeyId (and, for STS, the SecurityToken) to its secret and state, or `undefined`
 * when the key does not exist (`InvalidAccessKeyId.NotFound`).
 *
 * It may throw an ApiError, which is rendered as is. For STS problems throw
 * `errors['InvalidSecurityToken.Malformed']` (the token cannot be decoded),
 * `errors['InvalidSecurityToken.Expired']` (it has expired) or
 * `errors['InvalidSecurityToken.MismatchWithAccessKey']` (it was issued for another AccessKeyId).
 * A `StoreUnavailableError` becomes `ServiceUnavailable` (503); anything else is a server error
 * (`InternalError` 500, reported on the app's `error` event).
 */
export type CredentialsProvider = (accessKeyId: string, lookup: CredentialsLookup) => CredentialsAnswer | Promise<CredentialsAnswer>;

/**
 * What a {@link CredentialsProvider} answers: the key's credentials, or `undefined` / `null` when it
 * does not exist. A provider that knows the answer at once (a table in memory) may return it
 * directly instead of a promise: the authenticator then goes on without waiting a turn of the
 * microtask queue.
 *
 * @example
 * const table = new Map([['my-ak', { secret: process.env.MY_SECRET ?? '', state: 'active' as const }]]);
 * const credentials: CredentialsProvider = (accessKeyId): CredentialsAnswer => table.get(accessKeyId);
 */
export type CredentialsAnswer = Credentials | undefined | null;

/** The provider {@link staticCredentials} returns: it always answers with a promise. */
export type StaticCredentialsProvider = (accessKeyId: string, lookup: CredentialsLookup) => Promise<Credentials | undefined>;

/** Where {@link staticCredentials} keeps its synchronous lookup for the authenticator. */
const syncLookups = new WeakMap<CredentialsProvider, (accessKeyId: string, lookup: CredentialsLookup) => Credentials | undefined>();

/**
 * The provider as the authenticator calls it: `staticCredentials`' own lookup, which answers
 * without a promise (so without a microtask turn), or the provider itself.
 *
 * @example
 * const lookUp = directCredentialsLookup(staticCredentials({ ak: { secret: 's' } }));
 * lookUp('ak', { securityToken: undefined, signatureVersion: 'V1' }); // { secret: 's', state: 'active', principal: undefined }
 */
export function directCredentialsLookup(provider: CredentialsProvider): CredentialsProvider {
  return syncLookups.get(provider) ?? provider;
}

/** One key of {@link staticCredentials}. */
export interface StaticKey {
  readonly secret: string;
  /** Refuse the key with `Forbidden.AccessKeyDisabled`. */
  readonly disabled?: boolean;
  /**
   * An STS-style key: requests must carry exactly this SecurityToken (a missing one is
   * `MissingParameter` "SecurityToken", another one `InvalidSecurityToken.MismatchWithAccessKey`).
   * Keys without it refuse any SecurityToken (`InvalidSecurityToken.MismatchWithAccessKey`).
   */
  readonly securityToken?: string;
  readonly principal?: Readonly<Record<string, unknown>>;
}

/**
 * A credentials provider over a fixed table of keys. The table is copied into a `Map`, so key
 * names such as `__proto__` are ordinary keys and later changes to the object have no effect.
 *
 * @param keys AccessKeyId → secret (and optionally `disabled`, `securityToken`, `principal`)
 * @example
 * const credentials = staticCredentials({
 *   'my-ak': { secret: process.env.MY_SECRET ?? '' },
 *   'old-ak': { secret: 'xxx', disabled: true },
 * });
 * app.use(koaRpc(createRpcApi({ version: '2014-05-26', authenticate: signatureAuthenticator({ credentials }) })));
 */
export function staticCredentials(keys: Readonly<Record<string, StaticKey>>): StaticCredentialsProvider {
  const table = new Map<string, StaticKey>();
  for (const id of Object.keys(keys)) {
    const key = keys[id] as StaticKey;
    if (typeof key?.secret !== 'string' || key.secret.length === 0) {
      throw new TypeError(`staticCredentials: the secret of ${JSON.stringify(id)} must be a non-empty string`);
    }
    table.set(id, { ...key });
  }
  const lookUp = (accessKeyId: string, { securityToken }: CredentialsLookup): Credentials | undefined => {
    const key = table.get(accessKeyId);
    if (key === undefined) return undefined;
    if (key.securityToken === undefined) {
      if (securityToken !== undefined) throw new errors['InvalidSecurityToken.MismatchWithAccessKey']();
    } else if (securityToken === undefined) {
      throw new errors.MissingParameter('SecurityToken');
    } else if (!constantTimeEqual(securityToken, key.securityToken)) {
      throw new errors['InvalidSecurityToken.MismatchWithAccessKey']();
    }
    return { secret: key.secret, state: key.disabled === true ? 'disabled' : 'active', principal: key.principal };
  };
  // Public callers get a promise as before; the authenticator finds `lookUp` itself (directCredentialsLookup).
  const provider: StaticCredentialsProvider = async (accessKeyId, lookup) => lookUp(accessKeyId, lookup);
  syncLookups.set(provider, lookUp);
  return provider;
}
