/**
 * Compile a declaration once: the zod schema for the whole un-flattened tree, the root-name lookup
 * and the declaration order used to pick the first problem. `parseParams` compiles lazily and
 * caches per declaration object; call `compileParams` yourself to pay the cost at start-up.
 */
import { z } from 'zod';
import { checkDeclarationNames } from './builders.js';
import { scalarSchema } from './scalar-schemas.js';
import type { Declaration, InferParams, ParamSpec, Presence } from './spec.js';
import { DEFAULT_MAX_LIST_INDEX } from './wire-names.js';

/** Options fixed at compile time. */
export interface CompileOptions {
  /** Largest accepted list index (`Name.N`), default 1000. */
  readonly maxListIndex?: number;
}

type AnySpec = ParamSpec<unknown, Presence>;

/** A root parameter as the parser sees it. */
export interface CompiledRoot {
  readonly name: string;
  readonly spec: AnySpec;
  /** Position in the declaration (problems are reported in this order). */
  readonly rank: number;
}

const containsList = new WeakMap<AnySpec, boolean>();

/**
 * True when a list occurs anywhere inside `spec` (including `spec` itself).
 *
 * @example
 * hasList(p.struct({ Ids: p.list(p.string()) })); // true
 */
export function hasList(spec: AnySpec): boolean {
  const known = containsList.get(spec);
  if (known !== undefined) return known;
  const def = spec.def;
  let found = false;
  if (def.kind === 'list') found = true;
  else if (def.kind === 'struct') found = Object.values(def.fields).some(hasList);
  containsList.set(spec, found);
  return found;
}

function listSchema(spec: AnySpec & { def: { kind: 'list' } }): z.ZodType {
  const def = spec.def;
  let schema = z.array(valueSchema(def.item));
  if (def.minItems !== undefined) schema = schema.min(def.minItems, { error: `must have at least ${def.minItems} items` });
  if (def.maxItems !== undefined) schema = schema.max(def.maxItems, { error: `must have at most ${def.maxItems} items` });
  return schema;
}

function valueSchema(spec: AnySpec): z.ZodType {
  const def = spec.def;
  switch (def.kind) {
    case 'list':
      return listSchema(spec as AnySpec & { def: typeof def });
    case 'struct':
      return objectSchema(def.fields);
    default:
      return scalarSchema(def);
  }
}

function withPresence(spec: AnySpec, schema: z.ZodType): z.ZodType {
  if (spec.presence === 'required') return schema;
  const def = spec.def;
  if (spec.presence === 'defaulted' && 'default' in def && def.default !== undefined) {
    return schema.optional().default(def.default as never);
  }
  return schema.optional();
}

function objectSchema(fields: Declaration): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const name of Object.keys(fields)) {
    const spec = fields[name] as AnySpec;
    shape[name] = withPresence(spec, valueSchema(spec));
  }
  return z.object(shape);
}

/** A declaration compiled for fast parsing. Obtain with `compileParams`. */
export class CompiledParams<D extends Declaration = Declaration> {
  /** The declaration this was compiled from. */
  readonly declaration: D;
  /** zod schema of the un-flattened tree (wire strings in, typed values out). */
  readonly schema: z.ZodType<InferParams<D>>;
  /** Largest accepted list index. */
  readonly maxListIndex: number;
  /** Root parameters by wire name. */
  readonly roots: ReadonlyMap<string, CompiledRoot>;

  constructor(declaration: D, options: CompileOptions = {}) {
    if (declaration === null || typeof declaration !== 'object') {
      throw new TypeError('Invalid parameter declaration: expected an object of p.*() specs');
    }
    checkDeclarationNames(declaration);
    const maxListIndex = options.maxListIndex ?? DEFAULT_MAX_LIST_INDEX;
    if (!Number.isSafeInteger(maxListIndex) || maxListIndex < 1) {
      throw new TypeError('Invalid parameter declaration: maxListIndex must be a positive integer');
    }
    this.declaration = declaration;
    this.maxListIndex = maxListIndex;
    const roots = new Map<string, CompiledRoot>();
    Object.keys(declaration).forEach((name, rank) => {
      roots.set(name, { name, spec: declaration[name] as AnySpec, rank });
    });
    this.roots = roots;
    this.schema = objectSchema(declaration) as z.ZodType<InferParams<D>>;
  }
}

const cache = new WeakMap<Declaration, CompiledParams>();

/**
 * Compile a declaration (validating it). Without options the result is cached per declaration
 * object, so repeated calls are free.
 *
 * @example
 * const compiled = compileParams({ InstanceId: p.list(p.string(), { required: true, maxItems: 100 }) });
 * parseParams(compiled, flat);
 */
export function compileParams<D extends Declaration>(declaration: D, options?: CompileOptions): CompiledParams<D> {
  if (options !== undefined) return new CompiledParams(declaration, options);
  const cached = cache.get(declaration);
  if (cached !== undefined) return cached as CompiledParams<D>;
  const compiled = new CompiledParams(declaration);
  cache.set(declaration, compiled);
  return compiled;
}
