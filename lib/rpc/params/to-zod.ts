/**
 * `toZod`: a declaration as a zod schema of the un-flattened tree (`unflatten(flat, { declaration })`
 * gives that tree: wire strings, arrays, objects), for users who want to compose a schema. Scalars
 * go through the same readers as `parseParams`, so the schema accepts and converts what it does;
 * `parseParams` itself does not use zod (only `p.json` contents are zod schemas).
 */
import { z } from 'zod';
import { defaultOf } from './builders.js';
import { Refusal, scalarReader } from './scalars.js';
import type { Declaration, InferParams, ParamSpec, Presence } from './spec.js';

type AnySpec = ParamSpec<unknown, Presence>;

function valueSchema(spec: AnySpec): z.ZodType {
  const def = spec.def;
  if (def.kind === 'struct') return toZod(def.fields);
  if (def.kind === 'list') {
    let schema = z.array(valueSchema(def.item));
    if (def.minItems !== undefined) schema = schema.min(def.minItems, { error: `must have at least ${def.minItems} items` });
    if (def.maxItems !== undefined) schema = schema.max(def.maxItems, { error: `must have at most ${def.maxItems} items` });
    return schema;
  }
  const read = scalarReader(def);
  return z.string().transform((raw, ctx) => {
    const value = read(raw);
    if (!(value instanceof Refusal)) return value;
    ctx.issues.push({ code: 'custom', message: value.message, input: raw });
    return z.NEVER;
  });
}

function withPresence(spec: AnySpec, schema: z.ZodType): z.ZodType {
  if (spec.presence === 'required') return schema;
  const fallback = defaultOf(spec);
  return fallback === undefined ? schema.optional() : schema.optional().default(fallback as never);
}

/**
 * The zod schema of a declaration's un-flattened tree: wire strings in, the handler's values out.
 *
 * @example
 * const schema = toZod({ PageSize: p.integer({ default: 10 }), Tag: p.list(p.struct({ Key: p.string() })) });
 * schema.parse({ Tag: [{ Key: 'env' }] }); // { PageSize: 10, Tag: [{ Key: 'env' }] }
 */
export function toZod<D extends Declaration>(declaration: D): z.ZodType<InferParams<D>> {
  const shape: Record<string, z.ZodType> = {};
  for (const name of Object.keys(declaration)) {
    const spec = declaration[name] as AnySpec;
    shape[name] = withPresence(spec, valueSchema(spec));
  }
  return z.object(shape) as unknown as z.ZodType<InferParams<D>>;
}
