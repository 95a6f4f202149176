/**
 * JSON Schemas (with OpenAPI `xml` objects) of success and error envelopes, from the compiled
 * response declarations. The `xml` names follow the XML writer (lib/core/render/xml-writer.ts):
 * the root is `<Action>Response` (`Error` for errors), an object's members are child elements
 * named by their keys, an array is one element per item named by its key with no wrapper, and an
 * array item that is itself an array is one element named by the key holding its items.
 */
import { successRoot } from '../core/render/envelope.js';
import type { ResponseShape, ScalarShape, StructShape } from '../rpc/response/shape.js';
import type { SchemaObject } from './types.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = (-(2n ** 63n)).toString();
const INT64_MAX = (2n ** 63n - 1n).toString();

function withDescription(schema: SchemaObject, description: string | undefined): SchemaObject {
  return description === undefined ? schema : { ...schema, description };
}

/** A numeric bound as a JSON number, left out when it is the type's own limit. */
function numberBound(value: number | string | undefined, limit: string | number): number | undefined {
  if (value === undefined || String(value) === String(limit)) return undefined;
  return Number(value);
}

/**
 * The schema of one scalar (response field or parameter value).
 *
 * @example
 * scalarSchema({ kind: 'integer', min: 1, max: 100 }); // { type: 'integer', format: 'int32', minimum: 1, maximum: 100 }
 */
export function scalarSchema(shape: Omit<ScalarShape, 'kind'> & { kind: ScalarShape['kind'] }): SchemaObject {
  const out: SchemaObject = {};
  switch (shape.kind) {
    case 'string':
      out.type = 'string';
      if (shape.enum !== undefined) out.enum = [...shape.enum];
      if (shape.minLength !== undefined) out.minLength = shape.minLength;
      if (shape.maxLength !== undefined) out.maxLength = shape.maxLength;
      if (shape.pattern !== undefined) out.pattern = shape.pattern;
      break;
    case 'datetime':
      Object.assign(out, { type: 'string', format: 'date-time', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' });
      break;
    case 'integer':
      Object.assign(out, { type: 'integer', format: 'int32' });
      if (shape.min !== undefined && Number(shape.min) !== INT32_MIN) out.minimum = Number(shape.min);
      if (shape.max !== undefined && Number(shape.max) !== INT32_MAX) out.maximum = Number(shape.max);
      break;
    case 'long': {
      Object.assign(out, { type: 'integer', format: 'int64' });
      const min = numberBound(shape.min, INT64_MIN);
      const max = numberBound(shape.max, INT64_MAX);
      if (min !== undefined) out.minimum = min;
      if (max !== undefined) out.maximum = max;
      break;
    }
    case 'float':
      Object.assign(out, { type: 'number' });
      if (shape.min !== undefined) out.minimum = Number(shape.min);
      if (shape.max !== undefined) out.maximum = Number(shape.max);
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    default:
      break;
  }
  if (shape.example !== undefined) out.examples = [shape.example];
  return withDescription(out, shape.description);
}

/** The schema of a value rendered as element(s) named `name`. */
function valueSchema(shape: ResponseShape, name: string): SchemaObject {
  switch (shape.kind) {
    case 'struct':
      return structSchema(shape);
    case 'list': {
      const item = valueSchema(shape.item, name);
      // An item that is itself an array is one element named by the key, holding its items.
      const itemXml = shape.item.kind === 'list' ? { name, wrapped: true } : { name };
      const out: SchemaObject = { type: 'array', items: { ...item, xml: itemXml }, xml: { wrapped: false } };
      if (shape.minItems !== undefined) out.minItems = shape.minItems;
      if (shape.maxItems !== undefined) out.maxItems = shape.maxItems;
      return withDescription(out, shape.description);
    }
    default:
      return scalarSchema(shape);
  }
}

function structSchema(shape: StructShape): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const field of shape.fields) {
    properties[field.name] = valueSchema(field.shape, field.name);
    if (field.required) required.push(field.name);
  }
  const out: SchemaObject = { type: 'object', properties };
  if (required.length > 0) out.required = required;
  return withDescription(out, shape.description);
}

const REQUEST_ID: SchemaObject = { type: 'string', description: 'The request’s unique id (also in the error envelope); quote it when asking for support.' };

/**
 * The success envelope of an action: RequestId, then the declared fields (any fields when the
 * action declares no response), rooted at `<Action>Response` in XML.
 *
 * @example
 * successSchema('StartInstance', { kind: 'struct', fields: [] });
 */
export function successSchema(action: string, response: StructShape | undefined): SchemaObject {
  if (response === undefined) {
    return {
      type: 'object',
      description: 'The action does not declare its response: RequestId, then the handler’s data.',
      properties: { RequestId: REQUEST_ID },
      required: ['RequestId'],
      additionalProperties: true,
      xml: { name: successRoot(action) },
    };
  }
  const body = structSchema(response);
  const properties = { RequestId: REQUEST_ID, ...(body.properties as Record<string, SchemaObject>) };
  const required = ['RequestId', ...((body.required as string[] | undefined) ?? [])];
  return { type: 'object', properties, required, additionalProperties: false, xml: { name: successRoot(action) } };
}

/**
 * The error envelope (lib/core/render/envelope.ts): RequestId, HostId, Code, Message, an optional
 * Recommend, and the error's own data after them.
 *
 * @example
 * errorSchema().xml; // { name: 'Error' }
 */
export function errorSchema(): SchemaObject {
  return {
    type: 'object',
    description: 'The error envelope. Code is the error code, Message its text; fields of the error’s own data may follow.',
    properties: {
      RequestId: REQUEST_ID,
      HostId: { type: 'string', description: 'The host that answered (the request’s Host).' },
      Code: { type: 'string', description: 'The error code, e.g. InvalidParameter.' },
      Message: { type: 'string', description: 'What went wrong, in English.' },
      Recommend: { type: 'string', description: 'Where to read about the error, when the service sets it.' },
    },
    required: ['RequestId', 'HostId', 'Code', 'Message'],
    additionalProperties: true,
    xml: { name: 'Error' },
  };
}
