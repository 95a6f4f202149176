/**
 * Where the page's reference comes from: the API's own declarations (`api.describe()`), never a
 * second copy. Response fields, errors and examples are shown when the declarations provide them.
 */
import type { RpcApi } from '../rpc/api.js';
import type { ParamDescription } from '../rpc/params/describe.js';

/** What the page needs of an RPC API (any `RpcApi`, whatever its context type). */
export type DescribedApi = Pick<RpcApi<unknown>, 'describe'>;

/** One response field as the reference lists it. */
export interface ResponseFieldReference {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly list?: boolean;
}

/** One error an action may answer. */
export interface ErrorReference {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** One action as the page shows it. */
export interface ActionReference {
  readonly name: string;
  readonly versions: readonly string[];
  readonly description?: string;
  readonly anonymous: boolean;
  readonly idempotent: boolean;
  readonly parameters: readonly ParamDescription[];
  readonly response: readonly ResponseFieldReference[];
  readonly errors: readonly ErrorReference[];
  readonly examples?: { readonly json: string; readonly xml: string };
}

/** The whole API as the page shows it. */
export interface ApiReference {
  readonly version: string;
  readonly path: string;
  readonly actions: readonly ActionReference[];
}

/**
 * The reference of an API, from its declarations.
 *
 * @example
 * const reference = referenceOf(api);
 */
export function referenceOf(api: DescribedApi): ApiReference {
  const described = api.describe();
  return {
    version: described.version,
    path: described.path,
    actions: described.actions.map((action) => ({ ...action, response: [], errors: [] })),
  };
}
