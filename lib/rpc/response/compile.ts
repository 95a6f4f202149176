/**
 * Compile a response declaration (`p.*` fields, zod fields, or one zod object) into the shape tree
 * of shape.ts, refusing at declaration time what a response cannot be: data that is not plain
 * (a function, a Map, a Set, a promise, a symbol), a field without declared structure (`z.any()`,
 * a record, a union of objects), a `p.json` field, or a `default` (meaningless in a response).
 * Zod schemas are read through `z.toJSONSchema` (zod's own, documented conversion).
 */
import { z } from 'zod';
import type { ParamDef, ParamSpec, Presence } from '../params/spec.js';
import { isXmlName } from '../../core/render/xml-name.js';
import type { FieldShape, ListShape, ResponseShape, ScalarShape, StructShape } from './shape.js';
import type { ResponseDeclaration, ResponseField } from './spec.js';

/** Zod types whose values are not data the renderers can write faithfully. */
const NOT_PLAIN = new Set(['function', 'map', 'set', 'promise', 'symbol', 'undefined', 'void', 'nan', 'custom', 'never', 'file']);

/** The error thrown for a bad declaration, naming the action and the field. */
function refuse(action: string, path: string, reason: string): TypeError {
  return new TypeError(`action ${action}: response field ${JSON.stringify(path)} ${reason}`);
}

/**
 * True for a zod schema (v4: every schema carries `_zod`).
 *
 * @example
 * isZodSchema(z.string()); // true
 * isZodSchema(p.string()); // false
 */
export function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function isParamSpec(value: unknown): value is ParamSpec<unknown, Presence> {
  return typeof value === 'object' && value !== null && typeof (value as { def?: { kind?: unknown } }).def?.kind === 'string' && 'presence' in value;
}

function withDescription<T extends ResponseShape>(shape: T, description: string | undefined): T {
  return description === undefined ? shape : { ...shape, description };
}

function bound(value: number | bigint | undefined): number | string | undefined {
  return typeof value === 'bigint' ? value.toString() : value;
}

function scalar(kind: ScalarShape['kind'], extra: Record<string, unknown>): ScalarShape {
  const out: Record<string, unknown> = { kind };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) out[key] = value;
  return out as unknown as ScalarShape;
}

function fromParamDef(action: string, path: string, def: ParamDef): ResponseShape {
  if ('default' in def && def.default !== undefined) throw refuse(action, path, 'has a default, which means nothing in a response');
  switch (def.kind) {
    case 'string':
      return scalar('string', { minLength: def.minLength, maxLength: def.maxLength, pattern: def.pattern?.source, enum: def.enum === undefined ? undefined : [...def.enum] });
    case 'enum':
      return scalar('string', { enum: [...def.values] });
    case 'integer':
    case 'long':
    case 'float':
      return scalar(def.kind, { min: bound(def.min), max: bound(def.max) });
    case 'boolean':
      return scalar('boolean', {});
    case 'json':
      throw refuse(action, path, 'is p.json(), which describes JSON text inside a request parameter: declare the structure with p.struct()/p.list() or zod');
    case 'list': {
      const item = fromField(action, `${path}.N`, def.item);
      const list: ListShape = { kind: 'list', item: item.shape, ...(def.minItems !== undefined && { minItems: def.minItems }), ...(def.maxItems !== undefined && { maxItems: def.maxItems }) };
      return list;
    }
    case 'struct':
      return fromRecord(action, path, def.fields as Readonly<Record<string, unknown>>);
    default:
      throw refuse(action, path, 'has an unknown kind');
  }
}

function fromRecord(action: string, path: string, fields: Readonly<Record<string, unknown>>): StructShape {
  const out: FieldShape[] = [];
  for (const name of Object.keys(fields)) {
    const fieldPath = path === '' ? name : `${path}.${name}`;
    if (!isXmlName(name) || name === 'RequestId') throw refuse(action, fieldPath, name === 'RequestId' ? 'is the envelope\'s own RequestId' : 'is not a name the renderers can write (an XML element name)');
    const { shape, required } = fromField(action, fieldPath, fields[name]);
    out.push({ name, required, shape });
  }
  return { kind: 'struct', fields: out };
}

function fromField(action: string, path: string, field: unknown): { shape: ResponseShape; required: boolean } {
  if (isZodSchema(field)) return fromZod(action, path, field);
  if (isParamSpec(field)) return { shape: withDescription(fromParamDef(action, path, field.def), field.description), required: field.presence === 'required' };
  throw refuse(action, path, 'is neither a p.*() spec nor a zod schema');
}

type JsonSchema = Readonly<Record<string, unknown>>;

function fromZod(action: string, path: string, schema: z.ZodType): { shape: ResponseShape; required: boolean } {
  const bad: string[] = [];
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => {
        const type = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
        const target = ctx.jsonSchema as Record<string, unknown>;
        if (type === 'date') Object.assign(target, { type: 'string', format: 'date-time' });
        else if (type === 'bigint') Object.assign(target, { type: 'integer', format: 'int64' });
        else if (NOT_PLAIN.has(type)) bad.push(`z.${type}()`);
      },
    }) as JsonSchema;
  } catch (err) {
    throw refuse(action, path, `cannot be described: ${(err as Error).message}`);
  }
  if (bad.length > 0) throw refuse(action, path, `is not plain data (${bad.join(', ')})`);
  const { shape } = fromJsonSchema(action, path, json, json);
  return { shape, required: !schema.safeParse(undefined).success };
}

function resolveRef(root: JsonSchema, node: JsonSchema): JsonSchema {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return node;
  const defs = root.$defs as Record<string, JsonSchema> | undefined;
  return defs?.[ref.slice('#/$defs/'.length)] ?? node;
}

const NULLABLE = 'is nullable: null is written in JSON but not in XML, so declare the field optional (.optional()) and leave it out';

function fromJsonSchema(action: string, path: string, input: JsonSchema, root: JsonSchema, depth = 0): { shape: ResponseShape } {
  if (depth > 32) throw refuse(action, path, 'is recursive or nested too deeply to describe');
  const node = resolveRef(root, input);
  const anyOf = node.anyOf as JsonSchema[] | undefined;
  if (anyOf !== undefined) {
    if (anyOf.some((s) => s.type === 'null')) throw refuse(action, path, NULLABLE);
    throw refuse(action, path, 'is a union: declare one structure');
  }
  let type = node.type;
  if (Array.isArray(type)) {
    if (type.includes('null')) throw refuse(action, path, NULLABLE);
    throw refuse(action, path, 'is a union: declare one type');
  }
  const description = typeof node.description === 'string' ? node.description : undefined;
  const examples = node.examples as unknown[] | undefined;
  const example = Array.isArray(examples) && ['string', 'number', 'boolean'].includes(typeof examples[0]) ? (examples[0] as string | number | boolean) : undefined;
  const enumValues = node.const !== undefined ? [node.const] : (node.enum as unknown[] | undefined);
  let shape: ResponseShape;
  switch (type) {
    case 'string':
      shape = scalar(node.format === 'date-time' ? 'datetime' : 'string', {
        minLength: node.minLength,
        maxLength: node.maxLength,
        pattern: node.pattern,
        enum: enumValues?.map(String),
        example,
      });
      break;
    case 'integer':
      shape = scalar(node.format === 'int64' ? 'long' : 'integer', { min: node.minimum, max: node.maximum, example });
      break;
    case 'number':
      shape = scalar('float', { min: node.minimum, max: node.maximum, example });
      break;
    case 'boolean':
      shape = scalar('boolean', { example });
      break;
    case 'array': {
      const items = node.items as JsonSchema | undefined;
      if (items === undefined || Array.isArray(items) || node.prefixItems !== undefined) throw refuse(action, path, 'is a tuple or an array without an item type');
      const item = fromJsonSchema(action, `${path}.N`, items, root, depth + 1).shape;
      shape = { kind: 'list', item, ...(typeof node.minItems === 'number' && { minItems: node.minItems }), ...(typeof node.maxItems === 'number' && { maxItems: node.maxItems }) };
      break;
    }
    case 'object': {
      const properties = node.properties as Record<string, JsonSchema> | undefined;
      if (properties === undefined || (node.additionalProperties !== undefined && node.additionalProperties !== false)) {
        throw refuse(action, path, 'is a record without declared fields: declare each field');
      }
      const required = new Set((node.required as string[] | undefined) ?? []);
      const fields: FieldShape[] = [];
      for (const name of Object.keys(properties)) {
        const fieldPath = path === '' ? name : `${path}.${name}`;
        if (!isXmlName(name)) throw refuse(action, fieldPath, 'is not a name the renderers can write (an XML element name)');
        const inner = fromJsonSchema(action, fieldPath, properties[name] as JsonSchema, root, depth + 1);
        fields.push({ name, required: required.has(name), shape: inner.shape });
      }
      shape = { kind: 'struct', fields };
      break;
    }
    default:
      throw refuse(action, path, 'has no declared type (z.any(), z.unknown() or a type a response cannot carry)');
  }
  return { shape: withDescription(shape, description) };
}

/**
 * Compile an action's response declaration, or throw a TypeError naming the action.
 *
 * @example
 * compileResponse('CreateInstance', { InstanceId: p.string({ required: true }) });
 * // { kind: 'struct', fields: [{ name: 'InstanceId', required: true, shape: { kind: 'string' } }] }
 */
export function compileResponse(action: string, declaration: ResponseDeclaration): StructShape {
  if (isZodSchema(declaration)) {
    const { shape } = fromZod(action, '', declaration);
    if (shape.kind !== 'struct') throw new TypeError(`action ${action}: a zod response must be z.object()`);
    for (const field of shape.fields) {
      if (field.name === 'RequestId') throw refuse(action, 'RequestId', "is the envelope's own RequestId");
    }
    return shape;
  }
  if (typeof declaration !== 'object' || declaration === null || Array.isArray(declaration)) {
    throw new TypeError(`action ${action}: response must be an object of p.*() / zod fields, or a z.object()`);
  }
  return fromRecord(action, '', declaration as Readonly<Record<string, ResponseField>>);
}
