/**
 * Compile a declaration once into the tree the reader walks: one node per declared parameter, with
 * the scalar reader of each leaf, the root-name lookup and the declaration order used to pick the
 * first problem. `parseParams` compiles lazily and caches per declaration object; call
 * `compileParams` yourself to pay the cost at start-up.
 */
import type { z } from 'zod';
import { checkDeclarationNames, defaultOf } from './builders.js';
import { scalarReader, type ScalarReader } from './scalars.js';
import type { Declaration, InferParams, ParamKind, ParamSpec, Presence } from './spec.js';
import { toZod } from './to-zod.js';
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
  /** The name under its struct or declaration (`''` for a list item). */
  readonly name: string;
  /** Position under its struct or declaration, in declaration order (0 for a list item). */
  readonly position: number;
  /** The field nodes of a struct in declaration order (empty for other kinds). */
  readonly fieldList: readonly CompiledNode[];
  /** Absent is refused (a `required` parameter or struct field). */
  readonly required: boolean;
  /** The value of an absent parameter or field: its default, or `undefined` (left out). */
  readonly fallback: unknown;
  /** The reader of a scalar (undefined for lists and structs). */
  readonly read: ScalarReader | undefined;
}

/** A root parameter as the parser sees it. */
export interface CompiledRoot {
  readonly name: string;
  readonly spec: AnySpec;
  readonly node: CompiledNode;
  /** Position in the declaration (problems are reported in this order). */
  readonly rank: number;
}

/** Where a wire name goes: below `root`, one step per segment after the first (none for a scalar root). */
export interface ResolvedName {
  readonly root: CompiledRoot;
  /** For each segment after the first, the list index or the struct field's position. */
  readonly slots: readonly number[];
  /** The declared scalar the name reaches. */
  readonly leaf: CompiledNode;
}

/** Most wire names whose resolution a compiled declaration remembers (bounded memory). */
export const RESOLVED_NAME_CACHE_SIZE = 4096;

function compileNode(spec: AnySpec, name: string, position: number): CompiledNode {
  const def = spec.def;
  const common = { spec, kind: def.kind, name, position, required: spec.presence === 'required', fallback: defaultOf(spec) };
  if (def.kind === 'list') {
    const item = compileNode(def.item, '', 0);
    return { ...common, item, fields: undefined, fieldList: [], read: undefined };
  }
  if (def.kind === 'struct') {
    const fields = new Map<string, CompiledNode>();
    const fieldList: CompiledNode[] = [];
    for (const field of Object.keys(def.fields)) {
      const node = compileNode(def.fields[field] as AnySpec, field, fieldList.length);
      fields.set(field, node);
      fieldList.push(node);
    }
    return { ...common, item: undefined, fields, fieldList, read: undefined };
  }
  return { ...common, item: undefined, fields: undefined, fieldList: [], read: scalarReader(def) };
}

/**
 * A declaration compiled for parsing. Obtain with `compileParams`.
 *
 * @example
 * const compiled = new CompiledParams({ RegionId: p.string({ required: true }) }, { maxListIndex: 100 });
 * parseParams(compiled, { RegionId: 'cn-hangzhou' });
 */
export class CompiledParams<D extends Declaration = Declaration> {
  /** The declaration this was compiled from. */
  readonly declaration: D;
  /** The root parameters' nodes in declaration order (`rootNodes[rank]`). */
  readonly rootNodes: readonly CompiledNode[];
  /** Largest accepted list index. */
  readonly maxListIndex: number;
  /** Root parameters by wire name. */
  readonly roots: ReadonlyMap<string, CompiledRoot>;
  /**
   * Wire names known to reach a declared leaf, with where they go: every scalar root parameter
   * (`RegionId`) from the start, and the dotted names seen before (`Tag.1.Key` → Tag, [1, 0]), so
   * the same names in later requests take one lookup. Stops growing at RESOLVED_NAME_CACHE_SIZE
   * entries.
   */
  readonly resolvedNames = new Map<string, ResolvedName>();
  private zodSchema: z.ZodType<InferParams<D>> | undefined;

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
      roots.set(name, { name, spec, node: compileNode(spec, name, rank), rank });
    });
    for (const root of roots.values()) {
      if (root.node.read !== undefined) this.resolvedNames.set(root.name, { root, slots: [], leaf: root.node });
    }
    this.roots = roots;
    this.rootNodes = [...roots.values()].map((root) => root.node);
  }

  /**
   * A zod schema of the un-flattened tree (wire strings in, typed values out), for users who want
   * one; built on first use. `parseParams` does not use it.
   */
  get schema(): z.ZodType<InferParams<D>> {
    this.zodSchema ??= toZod(this.declaration);
    return this.zodSchema;
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
