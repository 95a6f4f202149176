/**
 * `describeParams`: a declaration as plain JSON (for introspection endpoints and generated docs).
 * One entry per wire-name pattern, depth first in declaration order: a list `Tag` gives `Tag.N`,
 * its struct items give `Tag.N.Key`; nested lists give `Name.N.N`.
 */
import { z } from 'zod';
import type { Declaration, ParamKind, ParamSpec, Presence } from './spec.js';

type AnySpec = ParamSpec<unknown, Presence>;

/** JSON-safe description of one wire-name pattern. bigint values are written as decimal strings. */
export interface ParamDescription {
  /** Wire-name pattern: `RegionId`, `InstanceId.N`, `Tag.N.Key`, `SystemDisk.Size`. */
  readonly name: string;
  readonly type: ParamKind;
  /** Must be sent (for a field of a struct or list item: whenever its parent is sent). */
  readonly required: boolean;
  readonly default?: string | number | boolean;
  readonly description?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Source of the declared RegExp, e.g. `^i-[a-z0-9]+$`. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly min?: number | string;
  readonly max?: number | string;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** JSON Schema of a JSON-string parameter's content, when zod can express it. */
  readonly jsonSchema?: unknown;
}

function jsonSchemaOf(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  } catch {
    return undefined;
  }
}

function bound(value: number | bigint | undefined): number | string | undefined {
  return typeof value === 'bigint' ? value.toString() : value;
}

function describeSpec(spec: AnySpec, name: string, out: ParamDescription[]): void {
  const def = spec.def;
  const entry: Record<string, unknown> = { name, type: def.kind, required: spec.presence === 'required' };
  if (spec.description !== undefined) entry.description = spec.description;
  switch (def.kind) {
    case 'string':
      if (def.minLength !== undefined) entry.minLength = def.minLength;
      if (def.maxLength !== undefined) entry.maxLength = def.maxLength;
      if (def.pattern !== undefined) entry.pattern = def.pattern.source;
      if (def.enum !== undefined) entry.enum = [...def.enum];
      break;
    case 'enum':
      entry.enum = [...def.values];
      break;
    case 'integer':
    case 'long':
    case 'float':
      if (def.min !== undefined) entry.min = bound(def.min);
      if (def.max !== undefined) entry.max = bound(def.max);
      break;
    case 'json': {
      if (def.maxLength !== undefined) entry.maxLength = def.maxLength;
      const schema = jsonSchemaOf(def.schema);
      if (schema !== undefined) entry.jsonSchema = schema;
      break;
    }
    case 'list':
      if (def.minItems !== undefined) entry.minItems = def.minItems;
      if (def.maxItems !== undefined) entry.maxItems = def.maxItems;
      break;
    default:
      break;
  }
  if ('default' in def && def.default !== undefined) {
    entry.default = typeof def.default === 'bigint' ? def.default.toString() : def.default;
  }
  out.push(entry as unknown as ParamDescription);
  if (def.kind === 'list') describeSpec(def.item, `${name}.N`, out);
  if (def.kind === 'struct') describeFields(def.fields, name, out);
}

function describeFields(fields: Declaration, prefix: string, out: ParamDescription[]): void {
  for (const field of Object.keys(fields)) {
    describeSpec(fields[field] as AnySpec, prefix === '' ? field : `${prefix}.${field}`, out);
  }
}

/**
 * Describe a declaration as plain JSON.
 *
 * @example
 * describeParams({ Tag: p.list(p.struct({ Key: p.string({ required: true }) }), { maxItems: 20 }) });
 * // [ { name: 'Tag', type: 'list', required: false, maxItems: 20 },
 * //   { name: 'Tag.N', type: 'struct', required: false },
 * //   { name: 'Tag.N.Key', type: 'string', required: true } ]
 */
export function describeParams(declaration: Declaration): ParamDescription[] {
  const out: ParamDescription[] = [];
  describeFields(declaration, '', out);
  return out;
}
