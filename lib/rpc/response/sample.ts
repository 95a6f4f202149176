/**
 * A sample success body generated from a compiled response declaration, for the reference and the
 * OpenAPI examples: every field present (optional ones too), one item per list (or `minItems`),
 * values that satisfy the declared constraints where they can be derived (enum, bounds, lengths,
 * zod `.meta({ examples })`). The same input always gives the same sample.
 */
import type { ResponseShape, ScalarShape, StructShape } from './shape.js';

/** The instant every sample `datetime` shows. */
const SAMPLE_DATE = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

function sampleString(shape: ScalarShape, name: string): string {
  if (shape.enum !== undefined && shape.enum.length > 0) return shape.enum[0] as string;
  let text = name === '' ? 'string' : name;
  if (shape.minLength !== undefined) while ([...text].length < shape.minLength) text += 'x';
  if (shape.maxLength !== undefined && [...text].length > shape.maxLength) text = [...text].slice(0, shape.maxLength).join('');
  return text;
}

function sampleNumber(shape: ScalarShape): number | bigint {
  const min = shape.min === undefined ? undefined : Number(shape.min);
  const max = shape.max === undefined ? undefined : Number(shape.max);
  let value = shape.kind === 'float' ? 1.5 : 1;
  if (min !== undefined && value < min) value = min;
  if (max !== undefined && value > max) value = max;
  return shape.kind === 'long' ? BigInt(Math.trunc(value)) : value;
}

function sampleScalar(shape: ScalarShape, name: string): unknown {
  if (shape.example !== undefined) return shape.example;
  switch (shape.kind) {
    case 'string':
      return sampleString(shape, name);
    case 'integer':
    case 'long':
    case 'float':
      return sampleNumber(shape);
    case 'boolean':
      return true;
    case 'datetime':
      return new Date(SAMPLE_DATE.getTime());
    default:
      return undefined;
  }
}

function sampleShape(shape: ResponseShape, name: string): unknown {
  switch (shape.kind) {
    case 'struct':
      return sampleStruct(shape);
    case 'list': {
      const count = Math.max(1, Math.min(shape.minItems ?? 1, 3));
      return Array.from({ length: shape.maxItems === 0 ? 0 : count }, () => sampleShape(shape.item, name));
    }
    default:
      return sampleScalar(shape, name);
  }
}

function sampleStruct(shape: StructShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of shape.fields) out[field.name] = sampleShape(field.shape, field.name);
  return out;
}

/**
 * Sample data for a response declaration (what a handler could return).
 *
 * @example
 * sampleResponse({ kind: 'struct', fields: [{ name: 'InstanceId', required: true, shape: { kind: 'string' } }] });
 * // { InstanceId: 'InstanceId' }
 */
export function sampleResponse(shape: StructShape): Record<string, unknown> {
  return sampleStruct(shape);
}
