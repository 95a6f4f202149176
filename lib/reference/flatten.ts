/**
 * A compiled response declaration flattened into rows, the way `describeParams` flattens
 * parameters: depth first in declaration order, a struct's fields as `Parent.Field`, a list's item
 * as `List.N` (`Instances.Instance.N.InstanceId`).
 */
import type { ResponseShape, StructShape } from '../rpc/response/shape.js';

/** One row of a flattened response. */
export interface ResponseFieldReference {
  /** Name path: `InstanceId`, `Instances.Instance`, `Instances.Instance.N.Tags.Tag.N.TagKey`. */
  name: string;
  /** `string`, `integer`, `long`, `float`, `boolean`, `datetime`, `struct` or `list`. */
  type: string;
  description?: string;
  /** True for a list (its items follow as `Name.N`). */
  list?: boolean;
  /** Always present when its parent is. */
  required: boolean;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  minItems?: number;
  maxItems?: number;
}

function row(name: string, shape: ResponseShape, required: boolean): ResponseFieldReference {
  const out: ResponseFieldReference = { name, type: shape.kind, required };
  if (shape.description !== undefined) out.description = shape.description;
  if (shape.kind === 'list') {
    out.list = true;
    if (shape.minItems !== undefined) out.minItems = shape.minItems;
    if (shape.maxItems !== undefined) out.maxItems = shape.maxItems;
  } else if (shape.kind !== 'struct') {
    if (shape.enum !== undefined) out.enum = [...shape.enum];
    if (shape.pattern !== undefined) out.pattern = shape.pattern;
    if (shape.minLength !== undefined) out.minLength = shape.minLength;
    if (shape.maxLength !== undefined) out.maxLength = shape.maxLength;
    if (shape.min !== undefined) out.min = shape.min;
    if (shape.max !== undefined) out.max = shape.max;
  }
  return out;
}

function walk(name: string, shape: ResponseShape, required: boolean, out: ResponseFieldReference[]): void {
  out.push(row(name, shape, required));
  if (shape.kind === 'list') walk(`${name}.N`, shape.item, true, out);
  if (shape.kind === 'struct') for (const field of shape.fields) walk(`${name}.${field.name}`, field.shape, field.required, out);
}

/**
 * The rows of a response declaration (the envelope's RequestId is not listed).
 *
 * @example
 * flattenResponse({ kind: 'struct', fields: [{ name: 'Regions', required: true, shape: { kind: 'struct', fields: [] } }] });
 * // [{ name: 'Regions', type: 'struct', required: true }]
 */
export function flattenResponse(shape: StructShape): ResponseFieldReference[] {
  const out: ResponseFieldReference[] = [];
  for (const field of shape.fields) walk(field.name, field.shape, field.required, out);
  return out;
}
