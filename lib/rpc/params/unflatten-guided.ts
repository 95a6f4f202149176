/**
 * Declaration-guided un-flattening: flat wire names (`Tag.1.Key`) into the nested tree the
 * compiled zod schema validates. Only declared names create nodes; the declaration decides whether
 * a segment is a list index or a struct field, so `Tag.x.Key` (Tag is a list) is invalid rather
 * than a struct.
 *
 * Problems found here are collected, not thrown; the parser picks the one to report.
 */
import type { CompiledParams, CompiledRoot } from './compile.js';
import { hasList } from './compile.js';
import { ListBuilder } from './list-builder.js';
import type { FlatParams, ParamIssue, ParamSpec, Presence } from './spec.js';
import {
  COMMON_PARAMETERS,
  echoName,
  isForbiddenSegment,
  listIndexReason,
  parseListIndex,
  SILENTLY_ACCEPTED_PARAMETERS,
} from './wire-names.js';

type AnySpec = ParamSpec<unknown, Presence>;
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

function isTolerated(name: string): boolean {
  return COMMON_PARAMETERS.has(name) || SILENTLY_ACCEPTED_PARAMETERS.has(name);
}

function shapeReason(spec: AnySpec): string {
  switch (spec.def.kind) {
    case 'list':
      return 'is a repeat list: send Name.1, Name.2, …';
    case 'struct':
      return 'is a struct: send Name.Field';
    default:
      return 'has sub-names but the parameter is not a list or struct';
  }
}

function finish(spec: AnySpec, node: unknown): unknown {
  const def = spec.def;
  if (def.kind === 'list') {
    const builder = node as ListBuilder;
    if (hasList(def.item)) builder.mapItems((item) => finish(def.item, item));
    return builder.toArray();
  }
  if (def.kind === 'struct') {
    const struct = node as Node;
    for (const name of Object.keys(struct)) {
      const field = def.fields[name] as AnySpec;
      if (hasList(field)) struct[name] = finish(field, struct[name]);
    }
  }
  return node;
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
  const maxIndex = compiled.maxListIndex;
  let forbidden: string | undefined;
  let unsupported: string | undefined;
  let structural: RankedIssue | undefined;
  const problem = (root: CompiledRoot, key: string, reason: string): void => {
    structural = earlier(structural, { kind: 'invalid', name: echoName(key), reason, rank: root.rank, key });
  };

  for (const key of Object.keys(flat)) {
    const value = flat[key];
    if (key.indexOf('.') === -1) {
      const root = roots.get(key);
      if (root === undefined) {
        if (isForbiddenSegment(key)) forbidden = smaller(forbidden, key);
        else if (strict && !isTolerated(key)) unsupported = smaller(unsupported, key);
        continue;
      }
      const kind = root.spec.def.kind;
      if (kind === 'list' || kind === 'struct') problem(root, key, shapeReason(root.spec));
      else if (typeof value !== 'string') problem(root, key, 'must not be repeated');
      else tree[key] = value;
      continue;
    }

    const segments = key.split('.');
    if (segments.some(isForbiddenSegment)) {
      forbidden = smaller(forbidden, key);
      continue;
    }
    const root = roots.get(segments[0] as string);
    if (root === undefined) {
      if (strict) unsupported = smaller(unsupported, key);
      continue;
    }

    let spec: AnySpec = root.spec;
    let parent: Node | ListBuilder = tree;
    let slot: string | number = root.name;
    let failed = false;
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i] as string;
      const def = spec.def;
      if (def.kind === 'list') {
        const index = parseListIndex(segment, maxIndex);
        if (index === 0) {
          problem(root, key, listIndexReason(maxIndex));
          failed = true;
          break;
        }
        let builder = (parent instanceof ListBuilder ? parent.get(slot as number) : parent[slot]) as ListBuilder | undefined;
        if (builder === undefined) {
          builder = new ListBuilder();
          if (parent instanceof ListBuilder) parent.set(slot as number, builder);
          else parent[slot] = builder;
        }
        parent = builder;
        slot = index;
        spec = def.item;
      } else if (def.kind === 'struct') {
        const field = def.fields[segment];
        if (field === undefined || !Object.prototype.hasOwnProperty.call(def.fields, segment)) {
          if (strict) unsupported = smaller(unsupported, key);
          failed = true;
          break;
        }
        let struct = (parent instanceof ListBuilder ? parent.get(slot as number) : parent[slot]) as Node | undefined;
        if (struct === undefined) {
          struct = Object.create(null) as Node;
          if (parent instanceof ListBuilder) parent.set(slot as number, struct);
          else parent[slot] = struct;
        }
        parent = struct;
        slot = segment;
        spec = field;
      } else {
        problem(root, key, shapeReason(spec));
        failed = true;
        break;
      }
    }
    if (failed) continue;
    const kind = spec.def.kind;
    if (kind === 'list' || kind === 'struct') {
      problem(root, key, shapeReason(spec));
    } else if (typeof value !== 'string') {
      problem(root, key, 'must not be repeated');
    } else if (parent instanceof ListBuilder) {
      parent.set(slot as number, value);
    } else {
      parent[slot] = value;
    }
  }

  if (forbidden === undefined && unsupported === undefined) {
    for (const name of Object.keys(tree)) {
      const spec = (roots.get(name) as CompiledRoot).spec;
      if (hasList(spec)) tree[name] = finish(spec, tree[name]);
    }
  }
  return { tree, forbidden, unsupported, structural };
}
