/**
 * The action a request names, for authentication outside the RPC API (`authenticate()` middleware
 * of either framework): there is no action table, so every request counts as a call to a real
 * action.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { singleParam, type ParamRecord } from '../core/params/urlencoded.js';
import type { ActionInfo } from '../rpc/pipeline.js';

function headerValue(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/**
 * `Action` and `Version` from the parameters (V1) or the `x-acs-action` / `x-acs-version` headers
 * (V3), `''` when absent, with `known: true`.
 *
 * @example
 * const info = standaloneActionInfo(state.params.all, req.headers);
 * res.locals.caller = await authenticator(request, info);
 */
export function standaloneActionInfo(params: ParamRecord, headers: IncomingHttpHeaders): ActionInfo {
  const name = singleParam(params, 'Action').value ?? headerValue(headers['x-acs-action']);
  const version = singleParam(params, 'Version').value ?? headerValue(headers['x-acs-version']);
  return { name, version, known: true };
}
