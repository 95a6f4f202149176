/**
 * `parseParams`: flat wire parameters → the typed object a handler receives, or the first problem
 * as a `ParamIssue` naming the wire parameter (`Tag.3.Key`).
 *
 * One reader does both: the scan (scan.ts) places the declared wire strings, then one walk over the
 * declaration reads each leaf and builds the handler's object, stopping at the first problem.
 *
 * Which problem is "first" (deterministic, independent of the order names arrived in):
 *   1. a name with a `__proto__` / `constructor` / `prototype` segment (smallest such name);
 *   2. strict mode only: an undeclared business name (smallest such name) — reported before
 *      declared parameters so a misspelt name is named as such rather than as a missing one;
 *   3. declared parameters in declaration order; within one, structural problems (bad list index,
 *      wrong shape, repeated name; smallest such name) before value problems, then struct fields in
 *      declaration order; in a list, too many items first, then the items in wire-index order, then
 *      too few items (the order zod 4 reports them in, kept from when zod validated parameters).
 *
 * Objects are fresh `{}` with the declared keys in declaration order (absent optional keys left out,
 * absent defaulted keys set to their default); lists are fresh arrays in wire-index order.
 */
import { CompiledParams, compileParams, type CompiledNode } from './compile.js';
import type { ListBuilder } from './list-builder.js';
import { Refusal } from './scalars.js';
import { scanParams, type Scan, type Slots } from './scan.js';
import type { Declaration, FlatParams, InferParams, ListDef, ParamIssue, ParamSpec, ParseResult, Presence } from './spec.js';
import { echoName, FORBIDDEN_NAME_REASON } from './wire-names.js';

type AnySpec = ParamSpec<unknown, Presence>;

/** Options of `parseParams`. */
export interface ParseOptions {
  /**
   * Report undeclared business parameters as `unsupported`. Common parameters, `RegionId` and the
   * owner parameters are always tolerated unless declared.
   */
  readonly strict?: boolean;
}

/**
 * The wire name to report when `spec` (at `name`) is absent: descends into a list's first item
 * and a struct's first required field, so a client learns the exact name to send.
 *
 * @example
 * missingName(p.list(p.struct({ Key: p.string({ required: true }) })), 'Tag'); // 'Tag.1.Key'
 */
export function missingName(spec: AnySpec, name: string): string {
  const def = spec.def;
  if (def.kind === 'list') return missingName(def.item, `${name}.1`);
  if (def.kind === 'struct') {
    for (const field of Object.keys(def.fields)) {
      const fieldSpec = def.fields[field] as AnySpec;
      if (fieldSpec.presence === 'required') return missingName(fieldSpec, `${name}.${field}`);
    }
  }
  return name;
}

/**
 * A value problem found while assembling; `name` is relative to the container being assembled.
 * A Refusal too, so that one `instanceof Refusal` tells a value from a problem of either kind.
 */
class Problem extends Refusal {
  constructor(
    readonly kind: 'missing' | 'invalid',
    public name: string,
    reason: string,
  ) {
    super(reason);
  }

  /** The same problem seen from the parent container (`segment` is the field name or wire index). */
  under(segment: string): Problem {
    this.name = `${segment}.${this.name}`;
    return this;
  }
}

/** The problem of a refused leaf or a container's problem, seen from the container holding it at `segment`. */
function problemAt(refusal: Refusal, segment: string): Problem {
  return refusal instanceof Problem ? refusal.under(segment) : new Problem('invalid', segment, refusal.message);
}

/** Checks in this order: the item count against maxItems, the items in wire-index order, the count against minItems. */
function assembleList(node: CompiledNode, builder: ListBuilder): unknown {
  const { minItems, maxItems } = node.spec.def as ListDef;
  if (maxItems !== undefined && builder.size > maxItems) {
    return new Problem('invalid', String(builder.wireIndex(maxItems)), `must have at most ${maxItems} items`);
  }
  const items = builder.toValues();
  const item = node.item as CompiledNode;
  const read = item.read;
  for (let i = 0; i < items.length; i++) {
    const value = read === undefined ? assemble(item, items[i]) : read(items[i] as string);
    if (value instanceof Refusal) return problemAt(value, String(builder.wireIndex(i)));
    items[i] = value;
  }
  if (minItems !== undefined && items.length < minItems) {
    return new Problem('missing', String(builder.wireIndex(items.length - 1) + 1), `must have at least ${minItems} items`);
  }
  return items;
}

/** The value of a collected list or struct, or the first problem in it. */
function assemble(node: CompiledNode, collected: unknown): unknown {
  return node.kind === 'list' ? assembleList(node, collected as ListBuilder) : assembleFields(node.fieldList, collected as Slots, node.fieldList.length);
}

/** The object of the first `count` fields, or the first problem in them. */
function assembleFields(fields: readonly CompiledNode[], slots: Slots, count: number): unknown {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const node = fields[i] as CompiledNode;
    const collected = slots[i];
    if (collected === undefined) {
      if (node.required) return new Problem('missing', missingName(node.spec, node.name), 'is required');
      if (node.fallback !== undefined) out[node.name] = node.fallback;
      continue;
    }
    const read = node.read;
    const value = read === undefined ? assemble(node, collected) : read(collected as string);
    if (value instanceof Refusal) return problemAt(value, node.name);
    out[node.name] = value;
  }
  return out;
}

function failure(kind: ParamIssue['kind'], name: string, reason: string): ParseResult<never> {
  return { ok: false, issue: { kind, name: echoName(name), reason } };
}

/** The handler's object from a scan, or the first problem (see the order above). */
function readScan(compiled: CompiledParams, scan: Scan): ParseResult<unknown> {
  if (scan.forbidden !== undefined) return failure('invalid', scan.forbidden, FORBIDDEN_NAME_REASON);
  if (scan.unsupported !== undefined) return failure('unsupported', scan.unsupported, 'is not a parameter of this API');
  const structural = scan.structural;
  const fields = compiled.rootNodes;
  // A structural problem of a parameter comes after the value problems of earlier parameters only.
  const value = assembleFields(fields, scan.slots, structural === undefined ? fields.length : structural.rank);
  if (value instanceof Problem) return failure(value.kind, value.name, value.message);
  if (structural !== undefined) return failure('invalid', structural.key, structural.reason);
  return { ok: true, value };
}

/**
 * Parse flat wire parameters against a declaration. Undeclared names are ignored unless
 * `strict`; absent optional parameters are left out of `value`; defaults are applied.
 *
 * @example
 * const decl = {
 *   InstanceId: p.list(p.string({ pattern: /^i-/ }), { required: true, maxItems: 100 }),
 *   Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 }),
 *   PageSize: p.integer({ min: 1, max: 100, default: 10 }),
 * };
 * const result = parseParams(decl, { 'InstanceId.1': 'i-a', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });
 * // result.ok && result.value → { InstanceId: ['i-a'], Tag: [{ Key: 'env', Value: 'prod' }], PageSize: 10 }
 * parseParams(decl, { 'InstanceId.1': 'i-a', 'Tag.3.Value': 'x' });
 * // { ok: false, issue: { kind: 'missing', name: 'Tag.3.Key', reason: 'is required' } }
 */
export function parseParams<D extends Declaration>(
  declaration: D | CompiledParams<D>,
  flat: FlatParams,
  options: ParseOptions = {},
): ParseResult<InferParams<D>> {
  const compiled = declaration instanceof CompiledParams ? declaration : compileParams(declaration);
  return readScan(compiled, scanParams(compiled, flat, options.strict === true)) as ParseResult<InferParams<D>>;
}
