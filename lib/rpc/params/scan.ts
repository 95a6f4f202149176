/**
 * The first half of reading parameters: one pass over the flat wire names that puts every declared
 * value (still the wire string) where the declaration says, and notes the problems of the names
 * themselves. `parseParams` then reads the values; the declaration-guided `unflatten` builds a tree.
 *
 * Only declared names are placed; the declaration decides whether a segment is a list index or a
 * struct field, so `Tag.x.Key` (Tag is a list) is a bad index rather than a struct. Lists collect in
 * `ListBuilder`s (by wire index, never a sparse array), structs and the declaration in slot arrays
 * (by field position).
 */
import type { CompiledNode, CompiledParams, CompiledRoot, ResolvedName } from './compile.js';
import { ListBuilder } from './list-builder.js';
import { resolveDottedName, shapeReason } from './resolve-name.js';
import type { FlatParams } from './spec.js';
import { COMMON_PARAMETERS, isForbiddenSegment, SILENTLY_ACCEPTED_PARAMETERS } from './wire-names.js';

/** Values collected for a struct (or the declaration) by field position; `undefined` = absent. */
export type Slots = unknown[];

/** A problem with the names of one declared root parameter: bad list index, wrong shape, repeated name. */
export interface StructuralIssue {
  readonly rank: number;
  /** The full wire name that caused it (ties are broken by this, for determinism). */
  readonly key: string;
  readonly reason: string;
}

/** What one pass over the wire names found. */
export interface Scan {
  /**
   * The declared values by root rank: a wire string for a scalar, a `ListBuilder` for a list, the
   * field `Slots` for a struct (and so on down).
   */
  readonly slots: Slots;
  /** Smallest wire name with a refused segment (`__proto__`, `constructor`, `prototype`). */
  readonly forbidden: string | undefined;
  /** Smallest undeclared wire name (strict mode only). */
  readonly unsupported: string | undefined;
  /** Earliest structural problem (by root rank, then wire name). */
  readonly structural: StructuralIssue | undefined;
}

const REPEATED = 'must not be repeated';

/**
 * True for a business name strict mode accepts undeclared: a common parameter or one real SDKs add.
 *
 * @example
 * isTolerated('RegionId'); // true
 */
function isTolerated(name: string): boolean {
  return COMMON_PARAMETERS.has(name) || SILENTLY_ACCEPTED_PARAMETERS.has(name);
}

function smaller(current: string | undefined, candidate: string): string {
  return current === undefined || candidate < current ? candidate : current;
}

function earlier(current: StructuralIssue | undefined, root: CompiledRoot, key: string, reason: string): StructuralIssue {
  if (current !== undefined && (current.rank < root.rank || (current.rank === root.rank && current.key < key))) return current;
  return { rank: root.rank, key, reason };
}

function containerOf(node: CompiledNode): Slots | ListBuilder {
  return node.kind === 'list' ? new ListBuilder() : new Array<unknown>(node.fieldList.length);
}

/** Put a wire value where `resolved` says, creating lists and structs on the way. */
function place(rootSlots: Slots, resolved: ResolvedName, value: string): void {
  const path = resolved.slots;
  const last = path.length - 1;
  let node = resolved.root.node;
  let holder = (rootSlots[resolved.root.rank] ??= containerOf(node)) as Slots | ListBuilder;
  for (let i = 0; i < last; i++) {
    const at = path[i] as number;
    if (node.kind === 'list') {
      node = node.item as CompiledNode;
      const list = holder as ListBuilder;
      let item = list.get(at) as Slots | ListBuilder | undefined;
      if (item === undefined) list.set(at, (item = containerOf(node)));
      holder = item;
    } else {
      node = node.fieldList[at] as CompiledNode;
      holder = ((holder as Slots)[at] ??= containerOf(node)) as Slots | ListBuilder;
    }
  }
  if (node.kind === 'list') (holder as ListBuilder).set(path[last] as number, value);
  else (holder as Slots)[path[last] as number] = value;
}

/**
 * Place the declared values of `flat` and note the problems of its names.
 *
 * @example
 * const { slots, structural } = scanParams(compileParams(decl), { 'Tag.1.Key': 'env' }, false);
 */
export function scanParams(compiled: CompiledParams, flat: FlatParams, strict: boolean): Scan {
  const roots = compiled.roots;
  const names = compiled.resolvedNames;
  const slots: Slots = new Array<unknown>(compiled.rootNodes.length);
  let forbidden: string | undefined;
  let unsupported: string | undefined;
  let structural: StructuralIssue | undefined;

  for (const key of Object.keys(flat)) {
    const value = flat[key];
    const known = names.get(key); // the common case: a name that reached a declared leaf before
    if (known !== undefined) {
      if (typeof value !== 'string') structural = earlier(structural, known.root, key, REPEATED);
      else if (known.slots.length === 0) slots[known.root.rank] = value;
      else place(slots, known, value);
      continue;
    }
    const dot = key.indexOf('.');
    if (dot === -1) {
      const root = roots.get(key); // a declared root here is a list or struct sent as a value
      if (root !== undefined) structural = earlier(structural, root, key, shapeReason(root.node.kind));
      else if (isForbiddenSegment(key)) forbidden = smaller(forbidden, key);
      else if (strict && !isTolerated(key)) unsupported = smaller(unsupported, key);
      continue;
    }
    const resolved = resolveDottedName(compiled, key, dot);
    if ('leaf' in resolved) {
      if (typeof value === 'string') place(slots, resolved, value);
      else structural = earlier(structural, resolved.root, key, REPEATED);
    } else if (resolved.kind === 'forbidden') {
      forbidden = smaller(forbidden, key);
    } else if (resolved.kind === 'structural') {
      structural = earlier(structural, resolved.root, key, resolved.reason);
    } else if (strict) {
      unsupported = smaller(unsupported, key); // an undeclared root or struct field
    }
  }
  return { slots, forbidden, unsupported, structural };
}
