/**
 * Where a dotted wire name (`Tag.1.Key`) goes in a compiled declaration, checked once and then
 * remembered (the same names come back in every request).
 */
import { RESOLVED_NAME_CACHE_SIZE, type CompiledNode, type CompiledParams, type CompiledRoot, type ResolvedName } from './compile.js';
import { hasForbiddenSegment, listIndexReason, parseListIndex } from './wire-names.js';

/** A dotted name that does not lead to a declared leaf. */
export type UnresolvedName =
  /** A segment is `__proto__`, `constructor` or `prototype`. */
  | { readonly kind: 'forbidden' }
  /** The root is not declared (undeclared names are ignored unless strict). */
  | { readonly kind: 'undeclared-root' }
  /** A struct field on the way is not declared (ignored unless strict). */
  | { readonly kind: 'undeclared-field'; readonly root: CompiledRoot }
  /** A structural problem of a declared parameter: bad list index, or the wrong shape. */
  | { readonly kind: 'structural'; readonly root: CompiledRoot; readonly reason: string };

const FORBIDDEN: UnresolvedName = { kind: 'forbidden' };
const UNDECLARED_ROOT: UnresolvedName = { kind: 'undeclared-root' };

/**
 * The reason given when a name has sub-names its parameter cannot take, or stops at a list or struct.
 *
 * @example
 * shapeReason('list'); // 'is a repeat list: send Name.1, Name.2, …'
 */
export function shapeReason(kind: CompiledNode['kind']): string {
  switch (kind) {
    case 'list':
      return 'is a repeat list: send Name.1, Name.2, …';
    case 'struct':
      return 'is a struct: send Name.Field';
    default:
      return 'has sub-names but the parameter is not a list or struct';
  }
}

/**
 * Resolve a dotted wire name (`dot` is the index of its first `.`) against the declaration: the
 * whole name is checked before anything is created, so an ignored name leaves nothing behind.
 * A name that reaches a declared leaf is remembered in `compiled.resolvedNames` (bounded), where
 * the scan looks first.
 *
 * @example
 * const resolved = resolveDottedName(compiled, 'Tag.1.Key', 3);
 * // { root: <Tag>, slots: [1, 0], leaf: <Key> } (list index 1, field position 0)
 */
export function resolveDottedName(compiled: CompiledParams, key: string, dot: number): ResolvedName | UnresolvedName {
  if (hasForbiddenSegment(key)) return FORBIDDEN;
  const root = compiled.roots.get(key.slice(0, dot));
  if (root === undefined) return UNDECLARED_ROOT;

  const maxIndex = compiled.maxListIndex;
  const slots: number[] = [];
  let node = root.node;
  while (dot !== -1) {
    const start = dot + 1;
    dot = key.indexOf('.', start);
    const end = dot === -1 ? key.length : dot;
    if (node.kind === 'list') {
      const index = parseListIndex(key, maxIndex, start, end);
      if (index === 0) return { kind: 'structural', root, reason: listIndexReason(maxIndex) };
      slots.push(index);
      node = node.item as CompiledNode;
    } else if (node.kind === 'struct') {
      const segment = key.slice(start, end);
      const field = (node.fields as ReadonlyMap<string, CompiledNode>).get(segment);
      if (field === undefined) return { kind: 'undeclared-field', root };
      slots.push(field.position);
      node = field;
    } else {
      return { kind: 'structural', root, reason: shapeReason(node.kind) };
    }
  }
  if (node.kind === 'list' || node.kind === 'struct') return { kind: 'structural', root, reason: shapeReason(node.kind) };
  const resolved: ResolvedName = { root, slots, leaf: node };
  if (compiled.resolvedNames.size < RESOLVED_NAME_CACHE_SIZE) compiled.resolvedNames.set(key, resolved);
  return resolved;
}
