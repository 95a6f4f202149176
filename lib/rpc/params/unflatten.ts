/**
 * `unflatten`: flat wire names into a nested tree, either guided by a declaration or generically
 * (a segment that starts with a digit, `+` or `-` is a list index, anything else a struct field).
 *
 * Safety rules (both modes): a `__proto__` / `constructor` / `prototype` segment is refused; a list
 * index must be 1..maxListIndex written without sign, exponent or leading zeros; lists never become
 * sparse arrays — gaps (`Tag.1`, `Tag.4`, as openapi-util produces for null items) are compacted in
 * index order (`listWireIndexes` recovers the wire indexes); a repeated name is refused; objects
 * are null-prototype.
 */
import { CompiledParams, compileParams, type CompiledNode } from './compile.js';
import { ListBuilder } from './list-builder.js';
import { scanParams, type Slots } from './scan.js';
import type { Declaration, FlatParams, ParamIssue } from './spec.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_LIST_INDEX,
  echoName,
  FORBIDDEN_NAME_REASON,
  hasForbiddenSegment,
  listIndexReason,
  parseListIndex,
} from './wire-names.js';

/** A nested parameter tree: wire strings, arrays and (null-prototype) objects. */
export type ParamTree = string | readonly ParamTree[] | { readonly [name: string]: ParamTree };

/** Options of `unflatten`. */
export interface UnflattenOptions {
  /** Largest accepted list index, default 1000. */
  readonly maxListIndex?: number;
  /** Most segments in one name (generic mode), default 8. */
  readonly maxDepth?: number;
  /** Guide the shape by this declaration; undeclared names are then left out. */
  readonly declaration?: Declaration | CompiledParams;
}

/** Result of `unflatten`. */
export type UnflattenResult =
  | { readonly ok: true; readonly value: { readonly [name: string]: ParamTree } }
  | { readonly ok: false; readonly issue: ParamIssue };

type Node = Record<string, unknown>;

function invalid(name: string, reason: string): UnflattenResult {
  return { ok: false, issue: { kind: 'invalid', name: echoName(name), reason } };
}

function finishGeneric(node: unknown): unknown {
  if (node instanceof ListBuilder) {
    node.mapItems(finishGeneric);
    return node.toArray();
  }
  if (typeof node === 'object' && node !== null) {
    const record = node as Node;
    for (const key of Object.keys(record)) record[key] = finishGeneric(record[key]);
  }
  return node;
}

function isIndexLike(text: string, at: number): boolean {
  const first = text.charCodeAt(at);
  return (first >= 48 && first <= 57) || first === 43 || first === 45; // digit, '+', '-'
}

function childOf(parent: Node | ListBuilder, slot: string | number): unknown {
  return parent instanceof ListBuilder ? parent.get(slot as number) : parent[slot as string];
}

function setChild(parent: Node | ListBuilder, slot: string | number, child: unknown): void {
  if (parent instanceof ListBuilder) parent.set(slot as number, child);
  else parent[slot as string] = child;
}

const CONFLICT = 'is sent both as a value and as a list or struct, or as both a list and a struct';

/** A refused name: the problem reported is the one with the smallest name. */
interface NameProblem {
  readonly name: string;
  readonly reason: string;
}

/** The problem of a whole name, before its segments are walked: unsafe, too deep, or repeated. */
function nameProblem(key: string, value: string | readonly string[] | undefined, maxDepth: number): NameProblem | undefined {
  if (hasForbiddenSegment(key)) return { name: key, reason: FORBIDDEN_NAME_REASON };
  let depth = 1;
  for (let at = key.indexOf('.'); at !== -1; at = key.indexOf('.', at + 1)) depth++;
  if (depth > maxDepth) return { name: key, reason: `must have at most ${maxDepth} dot-separated parts` };
  if (typeof value !== 'string') return { name: key, reason: 'must not be repeated' };
  return undefined;
}

/**
 * Step into the container below `slot` for the segment `key[start, end)`: a list when the segment
 * starts like a number (digit, `+`, `-`), else a struct. Creates the container when absent; answers
 * a problem when the segment is empty, a bad index, or disagrees with what is already there.
 */
function descend(parent: Node | ListBuilder, slot: string | number, key: string, start: number, end: number, maxIndex: number): [Node | ListBuilder, string | number] | NameProblem {
  if (start === end) return { name: key, reason: 'must not contain an empty part' };
  const existing = childOf(parent, slot);
  if (isIndexLike(key, start)) {
    const index = parseListIndex(key, maxIndex, start, end);
    if (index === 0) return { name: key, reason: listIndexReason(maxIndex) };
    if (existing !== undefined && !(existing instanceof ListBuilder)) return { name: key.slice(0, start - 1), reason: CONFLICT };
    const builder = (existing as ListBuilder | undefined) ?? new ListBuilder();
    if (existing === undefined) setChild(parent, slot, builder);
    return [builder, index];
  }
  if (existing !== undefined && (typeof existing !== 'object' || existing instanceof ListBuilder)) return { name: key.slice(0, start - 1), reason: CONFLICT };
  const record = (existing as Node | undefined) ?? (Object.create(null) as Node);
  if (existing === undefined) setChild(parent, slot, record);
  return [record, key.slice(start, end)];
}

/** Place one wire value at its name in the tree, creating lists and structs on the way. */
function insert(tree: Node, key: string, value: string, maxIndex: number): NameProblem | undefined {
  let dot = key.indexOf('.');
  let parent: Node | ListBuilder = tree;
  let slot: string | number = dot === -1 ? key : key.slice(0, dot);
  while (dot !== -1) {
    const start = dot + 1;
    dot = key.indexOf('.', start);
    const step = descend(parent, slot, key, start, dot === -1 ? key.length : dot, maxIndex);
    if (!Array.isArray(step)) return step;
    [parent, slot] = step;
  }
  if (childOf(parent, slot) !== undefined) return { name: key, reason: CONFLICT };
  setChild(parent, slot, value);
  return undefined;
}

function unflattenGeneric(flat: FlatParams, maxIndex: number, maxDepth: number): UnflattenResult {
  const tree = Object.create(null) as Node;
  let first: NameProblem | undefined;
  for (const key of Object.keys(flat)) {
    const value = flat[key];
    const problem = nameProblem(key, value, maxDepth) ?? insert(tree, key, value as string, maxIndex);
    if (problem !== undefined && (first === undefined || problem.name < first.name)) first = problem;
  }
  if (first !== undefined) return invalid(first.name, first.reason);
  finishGeneric(tree);
  return { ok: true, value: tree as { readonly [name: string]: ParamTree } };
}

/** The tree of a scan: null-prototype objects with the sent fields in declaration order, wire strings, arrays. */
function treeOf(node: CompiledNode, collected: unknown): unknown {
  if (node.read !== undefined) return collected;
  if (node.kind === 'list') {
    const builder = collected as ListBuilder;
    builder.mapItems((item) => treeOf(node.item as CompiledNode, item));
    return builder.toArray();
  }
  return treeOfFields(node.fieldList, collected as Slots);
}

function treeOfFields(fields: readonly CompiledNode[], slots: Slots): Node {
  const out = Object.create(null) as Node;
  fields.forEach((field, i) => {
    if (slots[i] !== undefined) out[field.name] = treeOf(field, slots[i]);
  });
  return out;
}

/**
 * Turn flat wire parameters into a nested tree.
 *
 * @example
 * unflatten({ 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod', 'InstanceId.2': 'i-b', 'InstanceId.1': 'i-a' });
 * // { ok: true, value: { Tag: [{ Key: 'env', Value: 'prod' }], InstanceId: ['i-a', 'i-b'] } }
 * unflatten({ 'Tag.0.Key': 'x' });
 * // { ok: false, issue: { kind: 'invalid', name: 'Tag.0.Key', reason: 'list index must be …' } }
 */
export function unflatten(flat: FlatParams, options: UnflattenOptions = {}): UnflattenResult {
  const maxIndex = options.maxListIndex ?? DEFAULT_MAX_LIST_INDEX;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxIndex) || maxIndex < 1) throw new TypeError('maxListIndex must be a positive integer');
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) throw new TypeError('maxDepth must be a positive integer');
  const declaration = options.declaration;
  if (declaration === undefined) return unflattenGeneric(flat, maxIndex, maxDepth);

  let compiled: CompiledParams;
  if (declaration instanceof CompiledParams) compiled = declaration;
  else compiled = options.maxListIndex === undefined ? compileParams(declaration) : compileParams(declaration, { maxListIndex: maxIndex });
  const scan = scanParams(compiled, flat, false);
  if (scan.forbidden !== undefined) return invalid(scan.forbidden, FORBIDDEN_NAME_REASON);
  if (scan.structural !== undefined) return invalid(scan.structural.key, scan.structural.reason);
  return { ok: true, value: treeOfFields(compiled.rootNodes, scan.slots) as { readonly [name: string]: ParamTree } };
}
