/**
 * The API reference: everything a reader (the explorer page, generated docs) needs about the
 * declared actions, as JSON-serialisable data built from the same declarations that drive the
 * dispatch, the OpenAPI export (lib/openapi) and the example's README table. docs/reference.md.
 */
import type { RpcApi } from '../rpc/api.js';
import type { ParamDescription } from '../rpc/params/describe.js';
import { renderSuccess } from '../core/render/envelope.js';
import { sampleResponse } from '../rpc/response/sample.js';
import type { StructShape } from '../rpc/response/shape.js';
import { flattenResponse, type ResponseFieldReference } from './flatten.js';

export type { ResponseFieldReference } from './flatten.js';

/** An error as the reference lists it. */
export interface ErrorReference {
  code: string;
  status: number;
  /** The class's message; placeholders such as `{parameter}` are left as written. */
  message: string;
}

/** Sample success bodies, exactly as the envelope writes them. */
export interface ExampleBodies {
  json: string;
  xml: string;
}

/** One action of the reference. */
export interface ActionReference {
  name: string;
  versions: string[];
  description?: string;
  anonymous: boolean;
  /** Callers must sign (the API has an authentication step and the action is not anonymous). */
  signed: boolean;
  idempotent: boolean;
  /** Undeclared business parameters are refused (UnsupportedParameter). */
  strict: boolean;
  /** Business parameters, as `describeParams` gives them. */
  parameters: ParamDescription[];
  /** True when the action declares its response (`response` then lists it; else it is []). */
  responseDeclared: boolean;
  /** The response fields besides RequestId, flattened like the parameters. */
  response: ResponseFieldReference[];
  /** The errors the action declares (the protocol's own are in `ApiReference.errors`). */
  errors: ErrorReference[];
  /** A generated sample success body in both formats, rendered by the real envelope writers. */
  examples: ExampleBodies;
}

/** The whole reference. */
export interface ApiReference {
  /** The API's default version. */
  version: string;
  /** The endpoint path. */
  path: string;
  actions: ActionReference[];
  /** Errors the protocol itself may answer with, for any action. */
  errors: ErrorReference[];
}

/** What the reference is built from: an RpcApi (any context type). */
export type ReferenceSource = Pick<RpcApi<never>, 'describe' | 'protocolErrors' | 'options'>;

/** The RequestId of every sample body (the form a real one has). */
export const SAMPLE_REQUEST_ID = '6B1F4C2E-8E45-4A3B-9D1C-2F0E7A5B3C9D';

/**
 * Sample success bodies for an action: the sample data of its response declaration (nothing when
 * undeclared), written by the same JSON and XML writers as a live response.
 *
 * @example
 * exampleBodies('StartInstance', undefined).json; // '{"RequestId":"6B1F4C2E-…"}'
 */
export function exampleBodies(action: string, response: StructShape | undefined): ExampleBodies {
  const data = response === undefined ? {} : sampleResponse(response);
  return {
    json: renderSuccess('JSON', action, SAMPLE_REQUEST_ID, data, 200).body,
    xml: renderSuccess('XML', action, SAMPLE_REQUEST_ID, data, 200).body,
  };
}

/**
 * Build the reference of an API (also `api.reference()`).
 *
 * @example
 * const reference = buildReference(api);
 * res.json(reference); // plain JSON
 */
export function buildReference(api: ReferenceSource): ApiReference {
  const described = api.describe();
  const signing = api.options.authenticate !== undefined;
  const actions = described.actions.map((action): ActionReference => ({
    name: action.name,
    versions: [...action.versions],
    ...(action.description === undefined ? {} : { description: action.description }),
    anonymous: action.anonymous,
    signed: signing && !action.anonymous,
    idempotent: action.idempotent,
    strict: action.strict,
    parameters: action.parameters.map((param) => ({ ...param })),
    responseDeclared: action.response !== undefined,
    response: action.response === undefined ? [] : flattenResponse(action.response),
    errors: (action.errors ?? []).map((error) => ({ ...error })),
    examples: exampleBodies(action.name, action.response),
  }));
  return { version: described.version, path: described.path, actions, errors: api.protocolErrors() };
}
