/**
 * The (JSON) types of the OpenAPI 3.1 document `api.openapi()` returns: only the parts it writes.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object (a member set to `undefined` is left out when serialised). */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** A JSON Schema 2020-12 object (the OpenAPI 3.1 dialect), with the OpenAPI `xml` keyword. */
export type SchemaObject = JsonObject;

/** A server of the document. */
export interface ServerObject {
  url: string;
  description?: string;
}

/** Options of `api.openapi()`. */
export interface OpenApiOptions {
  /** `info.title`. */
  title: string;
  /** `info.version`. Default: the API's version. */
  version?: string;
  /** `info.description` (Markdown). Default: a paragraph on how the RPC protocol is modelled. */
  description?: string;
  /** Where the API is served, e.g. `[{ url: 'https://ecs.example.com' }]`. */
  servers?: readonly ServerObject[];
  /**
   * Require Signature V1 or V3 on every action that is not anonymous. Default: true when the API
   * has an authentication step.
   */
  signed?: boolean;
}

/** The document. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  jsonSchemaDialect: string;
  servers?: ServerObject[];
  paths: { [path: string]: { post: SchemaObject } };
  components: { schemas: { [name: string]: SchemaObject }; securitySchemes: { [name: string]: SchemaObject } };
  security?: Array<{ [scheme: string]: string[] }>;
}
