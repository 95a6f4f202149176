/**
 * Declaration-guided un-flattening: flat wire names (`Tag.1.Key`) into the nested tree the
 * compiled zod schema validates. Only declared names create nodes; the declaration decides whether
 * a segment is a list index or a struct field, so `Tag.x.Key` (Tag is a list) is invalid rather
 * than a struct.
 *
 * Problems found here are collected, not thrown; the parser picks the one to report.
 */
import type { CompiledNode, CompiledParams, CompiledRoot, ResolvedName } from './compile.js';
import { ListBuilder } from './list-builder.js';
import { resolveDottedName, shapeReason } from './resolve-name.js';
import type { FlatParams, ParamIssue } from './spec.js';
import { COMMON_PARAMETERS, echoName, isForbiddenSegment, SILENTLY_ACCEPTED_PARAMETERS } from './wire-names.js';

type Node = Record<string, unknown>;

/** A problem tied to a declared root parameter. */
export interface RankedIssue extends ParamIssue {
  readonly rank: number;
  /** The full wire name that caused it (ties are broken by this, for determinism). */
  readonly key: string;
}

/** Result of the guided scan. */
export interface GuidedTree {
  /** Null-prototype tree: strings, arrays and null-prototype objects, declared names only. */
  readonly tree: Node;
  /** Smallest wire name with a refused segment (`__proto__`, `constructor`, `prototype`). */
  readonly forbidden: string | undefined;
  /** Smallest undeclared wire name (strict mode only). */
  readonly unsupported: string | undefined;
  /** First structural problem of a declared parameter (bad index, wrong shape, repeated name). */
  readonly structural: RankedIssue | undefined;
}

function smaller(current: string | undefined, candidate: string): string {
  return current === undefined || candidate < current ? candidate : current;
}

function earlier(current: RankedIssue | undefined, candidate: RankedIssue): RankedIssue {
  if (current === undefined) return candidate;
  if (candidate.rank !== current.rank) return candidate.rank < current.rank ? candidate : current;
  return candidate.key < current.key ? candidate : current;
}

const REPEATED = 'must not be repeated';

function issueAt(root: CompiledRoot, key: string, reason: string): RankedIssue {
  return { kind: 'invalid', name: echoName(key), reason, rank: root.rank, key };
}

/**
 * True for a business name strict mode accepts undeclared: a common parameter or one real SDKs add.
 *
 * @example
 * isTolerated('RegionId'); // true
 */
export function isTolerated(name: string): boolean {
  return COMMON_PARAMETERS.has(name) || SILENTLY_ACCEPTED_PARAMETERS.has(name);
}

function finish(node: CompiledNode, value: unknown): unknown {
  if (node.kind === 'list') {
    const builder = value as ListBuilder;
    const item = node.item as CompiledNode;
    if (item.hasList) builder.mapItems((entry) => finish(item, entry));
    return builder.toArray();
  }
  if (node.kind === 'struct') {
    const struct = value as Node;
    for (const name of Object.keys(struct)) {
      const field = (node.fields as ReadonlyMap<string, CompiledNode>).get(name) as CompiledNode;
      if (field.hasList) struct[name] = finish(field, struct[name]);
    }
  }
  return value;
}

/** Put `value` where `resolved` says, creating lists and structs on the way. */
function place(tree: Node, resolved: ResolvedName, value: string): void {
  const { steps, containers } = resolved;
  let parent: Node | ListBuilder = tree;
  let slot: string | number = resolved.root.name;
  for (let i = 0; i < steps.length; i++) {
    let child = childOf(parent, slot);
    if (child === undefined) {
      child = containers[i] === 'list' ? new ListBuilder() : (Object.create(null) as Node);
      setChild(parent, slot, child);
    }
    parent = child as Node | ListBuilder;
    slot = steps[i] as string | number;
  }
  setChild(parent, slot, value);
}

function childOf(parent: Node | ListBuilder, slot: string | number): unknown {
  return parent instanceof ListBuilder ? parent.get(slot as number) : parent[slot as string];
}

function setChild(parent: Node | ListBuilder, slot: string | number, child: unknown): void {
  if (parent instanceof ListBuilder) parent.set(slot as number, child);
  else parent[slot as string] = child;
}

/**
 * Scan flat parameters against a compiled declaration.
 *
 * @example
 * const { tree, structural } = unflattenGuided(compileParams(decl), { 'Tag.1.Key': 'env' }, false);
 */
export function unflattenGuided(compiled: CompiledParams, flat: FlatParams, strict: boolean): GuidedTree {
  const tree = Object.create(null) as Node;
  const roots = compiled.roots;
  let forbidden: string | undefined;
  let unsupported: string | undefined;
  let structural: RankedIssue | undefined;

  for (const key of Object.keys(flat)) {
    const value = flat[key];
    const dot = key.indexOf('.');
    if (dot === -1) {
      const root = roots.get(key);
      if (root === undefined) {
        if (isForbiddenSegment(key)) forbidden = smaller(forbidden, key);
        else if (strict && !isTolerated(key)) unsupported = smaller(unsupported, key);
        continue;
      }
      const kind = root.node.kind;
      if (kind === 'list' || kind === 'struct') structural = earlier(structural, issueAt(root, key, shapeReason(kind)));
      else if (typeof value !== 'string') structural = earlier(structural, issueAt(root, key, REPEATED));
      else tree[key] = value;
      continue;
    }

    const resolved = resolveDottedName(compiled, key, dot);
    if ('kind' in resolved) {
      switch (resolved.kind) {
        case 'forbidden':
          forbidden = smaller(forbidden, key);
          break;
        case 'undeclared-root':
        case 'undeclared-field':
          if (strict) unsupported = smaller(unsupported, key);
          break;
        case 'structural':
          structural = earlier(structural, issueAt(resolved.root, key, resolved.reason));
          break;
      }
      continue;
    }
    if (typeof value === 'string') place(tree, resolved, value);
    else structural = earlier(structural, issueAt(resolved.root, key, REPEATED));
  }

  if (forbidden === undefined && unsupported === undefined) {
    for (const name of Object.keys(tree)) {
      const node = (roots.get(name) as CompiledRoot).node;
      if (node.hasList) tree[name] = finish(node, tree[name]);
    }
  }
  return { tree, forbidden, unsupported, structural };
}
