/**
 * The form body of an action's operation as a JSON Schema: Action and Version (fixed for the
 * operation), the common parameters, and the business parameters under their wire names. A
 * repeat list is a pattern property per wire-name pattern (`Tag.N.Key` → `^Tag\.[1-9][0-9]*\.Key$`),
 * each carrying its pattern as `x-wire-name`.
 */
import type { ParamDescription } from '../rpc/params/describe.js';
import { scalarSchema } from './response-schema.js';
import type { JsonValue, SchemaObject } from './types.js';

/** The wire-name pattern's regular expression: each `N` is a list index (1, 2, …). */
function wirePattern(name: string): string {
  const parts = name.split('.').map((part) => (part === 'N' ? '[1-9][0-9]*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return `^${parts.join('\\.')}$`;
}

function valueSchema(param: ParamDescription): SchemaObject {
  switch (param.type) {
    case 'json': {
      const out: SchemaObject = { type: 'string', contentMediaType: 'application/json' };
      if (param.maxLength !== undefined) out.maxLength = param.maxLength;
      if (param.jsonSchema !== undefined && typeof param.jsonSchema === 'object' && param.jsonSchema !== null) {
        const { $schema: _dialect, ...content } = param.jsonSchema as Record<string, JsonValue>;
        out.contentSchema = content;
      }
      return out;
    }
    case 'enum':
      return scalarSchema({ kind: 'string', ...(param.enum !== undefined && { enum: param.enum }) });
    case 'string':
    case 'integer':
    case 'long':
    case 'float':
    case 'boolean':
      return scalarSchema({
        kind: param.type,
        ...(param.minLength !== undefined && { minLength: param.minLength }),
        ...(param.maxLength !== undefined && { maxLength: param.maxLength }),
        ...(param.pattern !== undefined && { pattern: param.pattern }),
        ...(param.enum !== undefined && { enum: param.enum }),
        ...(param.min !== undefined && { min: param.min }),
        ...(param.max !== undefined && { max: param.max }),
      });
    default:
      return {};
  }
}

/** The nearest enclosing list (`Tag` for `Tag.N.Key`), with its bounds, for the description. */
function enclosingLists(name: string, byName: ReadonlyMap<string, ParamDescription>): ParamDescription[] {
  const parts = name.split('.');
  const out: ParamDescription[] = [];
  for (let i = parts.length - 1; i > 0; i--) {
    if (parts[i] !== 'N') continue;
    const list = byName.get(parts.slice(0, i).join('.'));
    if (list !== undefined) out.push(list);
  }
  return out;
}

function describe(param: ParamDescription, byName: ReadonlyMap<string, ParamDescription>): string | undefined {
  const notes: string[] = [];
  if (param.description !== undefined) notes.push(param.description);
  for (const list of enclosingLists(param.name, byName)) {
    const bounds = [list.minItems !== undefined ? `at least ${list.minItems}` : '', list.maxItems !== undefined ? `at most ${list.maxItems}` : ''].filter(Boolean).join(', ');
    notes.push(`Repeat list ${list.name}.1, ${list.name}.2, …${bounds === '' ? '' : ` (${bounds} items)`}${list.description === undefined ? '.' : `: ${list.description}`}`);
  }
  if (param.name.includes('.') && param.required) notes.push(`Required whenever ${param.name.slice(0, param.name.lastIndexOf('.'))} is sent.`);
  return notes.length === 0 ? undefined : notes.join(' ');
}

/** Common parameters of every request (docs/rpc.md, Common parameters; docs/authentication.md). */
function commonProperties(action: string, versions: readonly string[], defaultVersion: string): Record<string, SchemaObject> {
  return {
    Action: { type: 'string', const: action, description: 'The action (or the x-acs-action header with Signature V3).' },
    Version: {
      type: 'string',
      enum: [...versions],
      ...(versions.includes(defaultVersion) && { default: defaultVersion }),
      description: 'The API version (or the x-acs-version header with Signature V3).',
    },
    Format: { type: 'string', enum: ['XML', 'JSON'], default: 'XML', description: 'The response format (case-insensitive).' },
    AccessKeyId: { type: 'string', description: 'Signature V1: the caller’s AccessKey ID.' },
    Signature: { type: 'string', description: 'Signature V1: base64 HMAC-SHA1 of the string to sign.' },
    SignatureMethod: { type: 'string', enum: ['HMAC-SHA1'], description: 'Signature V1.' },
    SignatureVersion: { type: 'string', enum: ['1.0'], description: 'Signature V1.' },
    SignatureNonce: { type: 'string', description: 'Signature V1: a unique value per request (replays are refused).' },
    Timestamp: { type: 'string', format: 'date-time', description: 'Signature V1: when the request was signed, UTC, e.g. 2026-01-01T12:00:00Z.' },
    SecurityToken: { type: 'string', description: 'An STS token, with temporary credentials.' },
  };
}

/** What the request schema is built from. */
export interface RequestSchemaInput {
  readonly action: string;
  readonly versions: readonly string[];
  readonly defaultVersion: string;
  readonly parameters: readonly ParamDescription[];
  /** Undeclared parameters are refused. */
  readonly strict: boolean;
}

/**
 * The `application/x-www-form-urlencoded` body schema of one action.
 *
 * @example
 * requestSchema({ action: 'StartInstance', versions: ['2014-05-26'], defaultVersion: '2014-05-26', parameters: describeParams(decl), strict: false });
 */
export function requestSchema(input: RequestSchemaInput): SchemaObject {
  const properties = commonProperties(input.action, input.versions, input.defaultVersion);
  const patternProperties: Record<string, SchemaObject> = {};
  const required = ['Action', 'Version'];
  const byName = new Map(input.parameters.map((param) => [param.name, param]));
  for (const param of input.parameters) {
    // Containers (`Tag`, `Tag.N`, `SystemDisk`) are not sent themselves: their leaves are.
    if (param.type === 'list' || param.type === 'struct') continue;
    const schema: SchemaObject = { ...valueSchema(param), 'x-wire-name': param.name };
    if (param.default !== undefined) schema.default = param.default;
    const description = describe(param, byName);
    if (description !== undefined) schema.description = description;
    if (param.name.split('.').includes('N')) {
      patternProperties[wirePattern(param.name)] = schema;
    } else {
      properties[param.name] = schema;
      if (param.required && !param.name.includes('.')) required.push(param.name);
    }
  }
  const out: SchemaObject = { type: 'object', properties, required };
  if (Object.keys(patternProperties).length > 0) out.patternProperties = patternProperties;
  // Strict mode refuses undeclared names, but still accepts those SDKs add on their own
  // (RegionId, OwnerId, …: docs/rpc.md, Strict mode), so the schema stays open.
  if (input.strict) out['x-strict'] = true;
  return out;
}
