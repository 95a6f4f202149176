/**
 * `api.openapi()`: the API as an OpenAPI 3.1 document, built from the same declarations as the
 * dispatch, the reference (lib/reference) and the example's README. How the RPC protocol is
 * modelled (one POST operation per Action on `<path>#Action=<Action>`) is in docs/reference.md.
 */
import { renderError, renderSuccess } from '../core/render/envelope.js';
import type { RpcApi } from '../rpc/api.js';
import type { DeclaredError } from '../rpc/response/errors.js';
import { sampleResponse } from '../rpc/response/sample.js';
import { SAMPLE_REQUEST_ID } from '../reference/model.js';
import { requestSchema } from './request-schema.js';
import { errorSchema, successSchema } from './response-schema.js';
import type { OpenApiDocument, OpenApiOptions, SchemaObject } from './types.js';

/** What the document is built from: an RpcApi (any context type). */
export type OpenApiSource = Pick<RpcApi<never>, 'describe' | 'protocolErrors' | 'options'>;

/** The HostId of the sample error bodies. */
const SAMPLE_HOST_ID = 'api.example.com';

const DEFAULT_DESCRIPTION = [
  'An Alibaba Cloud OpenAPI (POP RPC) service. Every action is one operation: a POST of an',
  '`application/x-www-form-urlencoded` body carrying `Action`, `Version` and the parameters to the',
  'endpoint path (the `#Action=…` part of each path only tells operations apart: HTTP clients do not',
  'send it). The same parameters are accepted in the query string of a GET. `Format=JSON` or `XML`',
  'chooses the response format; repeat lists travel flattened (`Tag.1.Key`, `Tag.2.Key`, …).',
].join(' ');

const SECURITY_SCHEMES: Record<string, SchemaObject> = {
  SignatureV1: {
    type: 'apiKey',
    in: 'query',
    name: 'Signature',
    description:
      'Signature V1 (HMAC-SHA1): the AccessKeyId, SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, SignatureNonce, Timestamp and Signature parameters, in the query string or the form body. Signature = base64(HMAC-SHA1(AccessKeySecret + "&", HTTP method + "&%2F&" + the percent-encoded, sorted parameters)).',
  },
  SignatureV3: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'Signature V3: `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>` over the canonical request, with the x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce and x-acs-content-sha256 headers (ACS3-HMAC-SM3 too where OpenSSL has SM3).',
  },
};

function errorExamples(errors: readonly DeclaredError[]): { json: Record<string, SchemaObject>; xml: Record<string, SchemaObject> } {
  const json: Record<string, SchemaObject> = {};
  const xml: Record<string, SchemaObject> = {};
  for (const error of errors) {
    const input = { requestId: SAMPLE_REQUEST_ID, hostId: SAMPLE_HOST_ID };
    const summary = `${error.code}: ${error.message}`;
    json[error.code] = { summary, value: JSON.parse(renderError('JSON', error, input).body) };
    xml[error.code] = { summary, value: renderError('XML', error, input).body };
  }
  return { json, xml };
}

/** Error responses by status: the action's declared errors and the protocol's own. */
function errorResponses(declared: readonly DeclaredError[], protocol: readonly DeclaredError[]): Record<string, SchemaObject> {
  const byStatus = new Map<number, DeclaredError[]>();
  const seen = new Set<string>();
  for (const error of [...declared, ...protocol]) {
    const key = `${error.code} ${error.status}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byStatus.get(error.status) ?? [];
    list.push(error);
    byStatus.set(error.status, list);
  }
  const out: Record<string, SchemaObject> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const errors = byStatus.get(status) as DeclaredError[];
    const examples = errorExamples(errors);
    const ref = { $ref: '#/components/schemas/ErrorResponse' };
    out[String(status)] = {
      description: errors.map((error) => `\`${error.code}\`: ${error.message}`).join('\n\n'),
      content: {
        'application/json': { schema: ref, examples: examples.json },
        'text/xml': { schema: ref, examples: examples.xml },
      },
    };
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of an API (also `api.openapi(options)`).
 *
 * @example
 * const doc = buildOpenApi(api, { title: 'ECS', servers: [{ url: 'https://ecs.example.com' }] });
 * writeFileSync('openapi.json', JSON.stringify(doc, null, 2));
 */
export function buildOpenApi(api: OpenApiSource, options: OpenApiOptions): OpenApiDocument {
  if (typeof options?.title !== 'string' || options.title.length === 0) throw new TypeError('openapi: title is required');
  const described = api.describe();
  const signed = options.signed ?? api.options.authenticate !== undefined;
  const protocol = api.protocolErrors();
  const schemas: Record<string, SchemaObject> = { ErrorResponse: errorSchema() };
  const paths: OpenApiDocument['paths'] = {};
  for (const action of described.actions) {
    const responseName = `${action.name}Response`;
    schemas[responseName] = successSchema(action.name, action.response);
    const data = action.response === undefined ? {} : sampleResponse(action.response);
    const ref = { $ref: `#/components/schemas/${responseName}` };
    const operation: SchemaObject = {
      operationId: action.name,
      ...(action.description !== undefined && { summary: action.description }),
      description: [
        action.description ?? '',
        `Versions: ${action.versions.join(', ')}.`,
        action.idempotent ? 'Idempotent with `ClientToken`: a retry with the same token gets the first result.' : '',
      ]
        .filter(Boolean)
        .join(' '),
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: requestSchema({ action: action.name, versions: action.versions, defaultVersion: described.version, parameters: action.parameters, strict: action.strict }),
          },
        },
      },
      responses: {
        '200': {
          description: `Success (Format=JSON or XML).${action.response === undefined ? ' The response is not declared.' : ''}`,
          content: {
            'application/json': { schema: ref, example: JSON.parse(renderSuccess('JSON', action.name, SAMPLE_REQUEST_ID, data, 200).body) },
            'text/xml': { schema: ref, example: renderSuccess('XML', action.name, SAMPLE_REQUEST_ID, data, 200).body },
          },
        },
        ...errorResponses(action.errors ?? [], protocol),
      },
      ...(signed && action.anonymous && { security: [] }),
    };
    paths[`${described.path}#Action=${action.name}`] = { post: operation };
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version ?? described.version, description: options.description ?? DEFAULT_DESCRIPTION },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    ...(options.servers !== undefined && { servers: options.servers.map((server) => ({ ...server })) }),
    paths,
    components: { schemas, securitySchemes: { ...SECURITY_SCHEMES } },
    ...(signed && { security: [{ SignatureV1: [] }, { SignatureV3: [] }] }),
  };
  return document;
}
