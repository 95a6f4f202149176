/**
 * Compile a declaration once: the zod schema for the whole un-flattened tree, the root-name lookup
 * and the declaration order used to pick the first problem. `parseParams` compiles lazily and
 * caches per declaration object; call `compileParams` yourself to pay the cost at start-up.
 */
import { z } from 'zod';
import { checkDeclarationNames } from './builders.js';
import { scalarSchema } from './scalar-schemas.js';
import type { Declaration, InferParams, ParamKind, ParamSpec, Presence } from './spec.js';
import { DEFAULT_MAX_LIST_INDEX } from './wire-names.js';

/** Options fixed at compile time. */
export interface CompileOptions {
  /** Largest accepted list index (`Name.N`), default 1000. */
  readonly maxListIndex?: number;
}

type AnySpec = ParamSpec<unknown, Presence>;

/** A declared parameter prepared for the un-flattening walk. */
export interface CompiledNode {
  readonly spec: AnySpec;
  readonly kind: ParamKind;
  /** The item node of a list. */
  readonly item: CompiledNode | undefined;
  /** The field nodes of a struct (a Map: no prototype lookups). */
  readonly fields: ReadonlyMap<string, CompiledNode> | undefined;
  /** A list occurs somewhere inside (including this node). */
  readonly hasList: boolean;
}

/** A root parameter as the parser sees it. */
export interface CompiledRoot {
  readonly name: string;
  readonly spec: AnySpec;
  readonly node: CompiledNode;
  /** Position in the declaration (problems are reported in this order). */
  readonly rank: number;
}

/** Where a dotted wire name goes: below `root`, one step per segment after the first. */
export interface ResolvedName {
  readonly root: CompiledRoot;
  /** List indexes (numbers) and struct field names (strings). */
  readonly steps: readonly (string | number)[];
  /** For each step, whether the container it indexes into is a list or a struct. */
  readonly containers: readonly ('list' | 'struct')[];
}

/** Most wire names whose resolution a compiled declaration remembers (bounded memory). */
export const RESOLVED_NAME_CACHE_SIZE = 4096;

function compileNode(spec: AnySpec): CompiledNode {
  const def = spec.def;
  if (def.kind === 'list') {
    const item = compileNode(def.item);
    return { spec, kind: def.kind, item, fields: undefined, hasList: true };
  }
  if (def.kind === 'struct') {
    const fields = new Map<string, CompiledNode>();
    let nested = false;
    for (const name of Object.keys(def.fields)) {
      const field = compileNode(def.fields[name] as AnySpec);
      nested ||= field.hasList;
      fields.set(name, field);
    }
    return { spec, kind: def.kind, item: undefined, fields, hasList: nested };
  }
  return { spec, kind: def.kind, item: undefined, fields: undefined, hasList: false };
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

/**
 * A declaration compiled for fast parsing. Obtain with `compileParams`.
 *
 * @example
 * const compiled = new CompiledParams({ RegionId: p.string({ required: true }) }, { maxListIndex: 100 });
 * parseParams(compiled, { RegionId: 'cn-hangzhou' });
 */
export class CompiledParams<D extends Declaration = Declaration> {
  /** The declaration this was compiled from. */
  readonly declaration: D;
  /** zod schema of the un-flattened tree (wire strings in, typed values out). */
  readonly schema: z.ZodType<InferParams<D>>;
  /** Largest accepted list index. */
  readonly maxListIndex: number;
  /** Root parameters by wire name. */
  readonly roots: ReadonlyMap<string, CompiledRoot>;
  /**
   * Resolutions of dotted wire names seen before (`Tag.1.Key` → Tag, [1, 'Key']), so the same
   * names in later requests skip the checks. Holds only names that resolved to a declared leaf;
   * stops growing at RESOLVED_NAME_CACHE_SIZE entries.
   */
  readonly resolvedNames = new Map<string, ResolvedName>();

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
      const spec = declaration[name] as AnySpec;
      roots.set(name, { name, spec, node: compileNode(spec), rank });
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
