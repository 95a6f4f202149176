/**
 * The fast path of `parseParams`: one pass over the flat wire parameters that reads each value with
 * its zod-free leaf reader as it is placed, then assembles the handler's object, without building
 * the intermediate tree or running zod. It serves only requests that the reference path
 * (`unflattenGuided` + the compiled zod schema, the schema of record) accepts, and gives the very
 * same value; at the first thing that reference path would report or refuse it answers
 * {@link NOT_ACCEPTED}, and `parseParams` runs the reference path, which picks and words the issue.
 *
 * Why the value is the same (test/rpc/params-fast-path.test.ts compares both paths on random
 * declarations and requests):
 * - the same names are ignored (undeclared, not strict) and every name the reference path would
 *   report (`__proto__`…, unsupported in strict mode, bad index, wrong shape, repeated) stops here;
 * - names resolve through the same `resolveDottedName` (and its bounded cache);
 * - list items are ordered by the same `ListBuilder` (by wire index, gaps compacted);
 * - objects are built as zod 4's `z.object` builds them: a fresh `{}`, declared keys in declaration
 *   order, absent optional keys left out, absent defaulted keys set to their default, an absent
 *   required key refused; lists as `z.array(...).min().max()`: a fresh array, item count checked;
 * - leaves are read by `leaf-readers.ts`, which accepts what the zod scalar schemas accept. A leaf read
 *   as `undefined` (possible only from a user's JSON schema) is left to the reference path.
 */
import type { CompiledNode, CompiledParams, ResolvedName } from './compile.js';
import * as leafReaders from './leaf-readers.js';
import * as listBuilder from './list-builder.js';
import * as resolveName from './resolve-name.js';
import type { FlatParams } from './spec.js';
import * as unflattenGuided from './unflatten-guided.js';
import * as wireNames from './wire-names.js';

/*
 * Imported bindings used for every parameter are read once into module constants: under tsx (the test
 * and benchmark runner) each read of an imported binding is a getter call, ~20 ns in a hot loop.
 * The published bundle is one scope and does not care.
 */
/** Answered when the fast path steps aside (re-exported from leaf-readers.ts). */
export const NOT_ACCEPTED: typeof leafReaders.NOT_ACCEPTED = leafReaders.NOT_ACCEPTED;
const ListBuilder = listBuilder.ListBuilder;
type ListBuilder = listBuilder.ListBuilder;
const resolveDottedName = resolveName.resolveDottedName;
const isTolerated = unflattenGuided.isTolerated;
const isForbiddenSegment = wireNames.isForbiddenSegment;

/** Values collected for a struct (or the declaration), by field position; `undefined` = absent. */
type Slots = unknown[];
type Holder = Slots | ListBuilder;

function read(node: CompiledNode, value: unknown): unknown {
  const result = (node.read as (value: unknown) => unknown)(value);
  return result === undefined ? NOT_ACCEPTED : result;
}

/** Put a read leaf value where `resolved` says, creating lists and structs on the way. */
function place(rootSlots: Slots, resolved: ResolvedName, value: unknown): void {
  const slots = resolved.slots;
  let holder: Holder = rootSlots;
  let at = resolved.root.rank;
  let node = resolved.root.node;
  for (let i = 0; i < slots.length; i++) {
    let child = holder instanceof ListBuilder ? holder.get(at) : holder[at];
    if (child === undefined) {
      child = node.kind === 'list' ? new ListBuilder() : new Array<unknown>(node.fieldList.length);
      if (holder instanceof ListBuilder) holder.set(at, child);
      else holder[at] = child;
    }
    holder = child as Holder;
    at = slots[i] as number;
    node = node.kind === 'list' ? (node.item as CompiledNode) : (node.fieldList[at] as CompiledNode);
  }
  if (holder instanceof ListBuilder) holder.set(at, value);
  else holder[at] = value;
}

/** The handler's value of a collected list or struct (leaves are already read). */
function assemble(node: CompiledNode, collected: unknown): unknown {
  if (node.kind === 'list') {
    const builder = collected as ListBuilder;
    const def = node.spec.def as { readonly minItems?: number; readonly maxItems?: number };
    const count = builder.size;
    if ((def.minItems !== undefined && count < def.minItems) || (def.maxItems !== undefined && count > def.maxItems)) return NOT_ACCEPTED;
    const items = builder.toValues();
    const item = node.item as CompiledNode;
    if (item.read === undefined) {
      for (let i = 0; i < count; i++) {
        const value = assemble(item, items[i]);
        if (value === NOT_ACCEPTED) return NOT_ACCEPTED;
        items[i] = value;
      }
    }
    return items;
  }
  if (node.kind === 'struct') return assembleObject(node.fieldList, collected as Slots);
  return collected;
}

function assembleObject(fields: readonly CompiledNode[], slots: Slots): unknown {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const node = fields[i] as CompiledNode;
    const collected = slots[i];
    if (collected === undefined) {
      if (node.required) return NOT_ACCEPTED;
      if (node.fallback !== undefined) out[node.name] = node.fallback;
      continue;
    }
    const value = node.read === undefined ? assemble(node, collected) : collected;
    if (value === NOT_ACCEPTED) return NOT_ACCEPTED;
    out[node.name] = value;
  }
  return out;
}

/**
 * The typed parameters of an acceptable request, or {@link NOT_ACCEPTED} (then use the reference path).
 *
 * @example
 * const value = fastParse(compiled, { RegionId: 'cn-hangzhou', 'Tag.1.Key': 'env' }, false);
 * if (value !== NOT_ACCEPTED) handler(value);
 */
export function fastParse(compiled: CompiledParams, flat: FlatParams, strict: boolean): unknown {
  const roots = compiled.roots;
  const rootSlots: Slots = new Array<unknown>(compiled.rootNodes.length);
  for (const key of Object.keys(flat)) {
    const value = flat[key];
    const dot = key.indexOf('.');
    if (dot === -1) {
      const root = roots.get(key);
      if (root === undefined) {
        if (isForbiddenSegment(key) || (strict && !isTolerated(key))) return NOT_ACCEPTED;
        continue;
      }
      if (root.node.read === undefined) return NOT_ACCEPTED; // a list or struct sent without sub-names
      const leaf = read(root.node, value);
      if (leaf === NOT_ACCEPTED) return NOT_ACCEPTED;
      rootSlots[root.rank] = leaf;
      continue;
    }
    const resolved = resolveDottedName(compiled, key, dot);
    if ('kind' in resolved) {
      if (resolved.kind === 'forbidden' || resolved.kind === 'structural' || strict) return NOT_ACCEPTED;
      continue; // undeclared root or struct field: ignored
    }
    const leaf = read(resolved.leaf, value);
    if (leaf === NOT_ACCEPTED) return NOT_ACCEPTED;
    place(rootSlots, resolved, leaf);
  }
  return assembleObject(compiled.rootNodes, rootSlots);
}
