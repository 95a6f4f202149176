/**
 * `parseParams`: flat wire parameters → the typed object a handler receives, or the first problem
 * as a `ParamIssue` naming the wire parameter (`Tag.3.Key`).
 *
 * Which problem is "first" (deterministic, independent of the order names arrived in):
 *   1. a name with a `__proto__` / `constructor` / `prototype` segment (smallest such name);
 *   2. strict mode only: an undeclared business name (smallest such name) — reported before
 *      declared parameters so a misspelt name is named as such rather than as a missing one;
 *   3. declared parameters in declaration order; within one, structural problems (bad list index,
 *      wrong shape, repeated name) before value problems, then struct fields in declaration order
 *      and list items in wire-index order.
 */
import type { z } from 'zod';
import { CompiledParams, compileParams } from './compile.js';
import { wireIndexAt } from './list-builder.js';
import type { Declaration, FlatParams, InferParams, ParamIssue, ParamSpec, ParseResult, Presence } from './spec.js';
import { fastParse, NOT_ACCEPTED } from './fast-parse.js';
import { unflattenGuided } from './unflatten-guided.js';
import { echoName } from './wire-names.js';

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

function describeInnerPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  return text.startsWith('.') ? text.slice(1) : text;
}

function toParamIssue(compiled: CompiledParams, tree: Record<string, unknown>, issue: z.core.$ZodIssue): ParamIssue {
  const path = issue.path;
  const rootName = String(path[0]);
  let spec = (compiled.roots.get(rootName) as { spec: AnySpec }).spec;
  let value: unknown = tree[rootName];
  let name = rootName;
  let depth = 1;
  for (; depth < path.length; depth++) {
    const segment = path[depth];
    const def = spec.def;
    if (def.kind === 'list' && typeof segment === 'number' && Array.isArray(value)) {
      name += `.${wireIndexAt(value, segment)}`;
      value = value[segment];
      spec = def.item;
    } else if (def.kind === 'struct' && typeof segment === 'string' && def.fields[segment] !== undefined) {
      name += `.${segment}`;
      value = value === undefined ? undefined : (value as Record<string, unknown>)[segment];
      spec = def.fields[segment] as AnySpec;
    } else {
      break;
    }
  }
  if (depth < path.length) {
    return { kind: 'invalid', name: echoName(name), reason: `JSON value at ${describeInnerPath(path.slice(depth))}: ${issue.message}` };
  }
  if (value === undefined) return { kind: 'missing', name: echoName(missingName(spec, name)), reason: 'is required' };
  if (spec.def.kind === 'list' && Array.isArray(value)) {
    if (issue.code === 'too_big') {
      return { kind: 'invalid', name: echoName(`${name}.${wireIndexAt(value, Number(issue.maximum))}`), reason: issue.message };
    }
    if (issue.code === 'too_small') {
      const next = value.length === 0 ? 1 : wireIndexAt(value, value.length - 1) + 1;
      return { kind: 'missing', name: echoName(`${name}.${next}`), reason: issue.message };
    }
  }
  const reason = spec.def.kind === 'json' && issue.code !== 'custom' ? `JSON value: ${issue.message}` : issue.message;
  return { kind: 'invalid', name: echoName(name), reason };
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
  const strict = options.strict === true;
  // The common case, without zod; anything it would not accept takes the reference path below, which
  // picks and words the issue (and gives the same value when the fast path merely stepped aside).
  const fast = fastParse(compiled, flat, strict);
  if (fast !== NOT_ACCEPTED) return { ok: true, value: fast as InferParams<D> };
  return parseWithZod(compiled, flat, strict);
}

/**
 * The reference path of {@link parseParams}: the guided un-flattening, then the compiled zod schema
 * (the schema of record). It gives every issue, and the same value as the fast path on success.
 *
 * @example
 * parseWithZod(compileParams(decl), { RegionId: 'cn-hangzhou' }, false); // { ok: true, value: { RegionId: 'cn-hangzhou' } }
 */
export function parseWithZod<D extends Declaration>(compiled: CompiledParams<D>, flat: FlatParams, strict: boolean): ParseResult<InferParams<D>> {
  const scan = unflattenGuided(compiled, flat, strict);
  if (scan.forbidden !== undefined) {
    return {
      ok: false,
      issue: { kind: 'invalid', name: echoName(scan.forbidden), reason: 'names containing __proto__, constructor or prototype are not allowed' },
    };
  }
  if (scan.unsupported !== undefined) {
    return { ok: false, issue: { kind: 'unsupported', name: echoName(scan.unsupported), reason: 'is not a parameter of this API' } };
  }
  const structural = scan.structural;
  const result = compiled.schema.safeParse(scan.tree);
  if (result.success && structural === undefined) return { ok: true, value: result.data };

  let bestRank = structural === undefined ? Number.POSITIVE_INFINITY : structural.rank;
  let best: z.core.$ZodIssue | undefined;
  if (!result.success) {
    for (const issue of result.error.issues) {
      const rank = compiled.roots.get(String(issue.path[0]))?.rank ?? Number.POSITIVE_INFINITY;
      if (rank < bestRank) {
        bestRank = rank;
        best = issue;
      }
    }
  }
  if (best !== undefined) return { ok: false, issue: toParamIssue(compiled, scan.tree, best) };
  if (structural !== undefined) return { ok: false, issue: { kind: structural.kind, name: structural.name, reason: structural.reason } };
  // Unreachable with a tree built by unflattenGuided (every issue path starts at a declared root).
  return { ok: false, issue: { kind: 'invalid', name: '', reason: 'parameters are not valid' } };
}
