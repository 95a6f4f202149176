/**
 * A reference interpreter of parameter declarations, the oracle of test/rpc/params-oracle.test.ts.
 * Written for obviousness, not speed, and sharing no code with the reader in lib/rpc/params: names
 * are split on dots and walked against the declaration, values are kept in plain Maps, and every
 * rule of docs/rpc.md is spelt out once more below with its exact reason text.
 */
import type { z } from 'zod';
import type { Declaration, ParamDef, ParamIssue, ParamSpec, ParseResult, Presence } from '../../lib/rpc/params/index.js';

type AnySpec = ParamSpec<unknown, Presence>;
type Scalar = Exclude<ParamDef, { kind: 'list' | 'struct' }>;
/** A collected value: a wire string, a list (wire index → value) or a struct (field → value). */
type Collected = string | Map<number, Collected> | Map<string, Collected>;

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const TOLERATED = [
  ...['Format', 'Version', 'Action', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce'],
  ...['SignatureType', 'Timestamp', 'TimeStamp', 'SecurityToken', 'BearerToken'],
  ...['RegionId', 'OwnerId', 'OwnerAccount', 'ResourceOwnerId', 'ResourceOwnerAccount'],
];

/** Why a scalar wire value is refused, or undefined when it is accepted. */
export class Refused {
  constructor(readonly reason: string) {}
}

function range(value: number | bigint, min: number | bigint | undefined, max: number | bigint | undefined): Refused | undefined {
  if ((min === undefined || value >= min) && (max === undefined || value <= max)) return undefined;
  if (min !== undefined && max !== undefined) return new Refused(`must be between ${min} and ${max}`);
  return new Refused(min !== undefined ? `must be at least ${min}` : `must be at most ${max}`);
}

function oneOf(values: readonly string[], text: string): Refused | undefined {
  if (values.includes(text)) return undefined;
  return new Refused(values.length <= 20 ? `must be one of: ${values.join(', ')}` : 'must be one of the allowed values');
}

function jsonIssueReason(issue: z.core.$ZodIssue): string {
  if (issue.path.length === 0) return issue.code === 'custom' ? issue.message : `JSON value: ${issue.message}`;
  const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return `JSON value at ${where.replace(/^\./, '')}: ${issue.message}`;
}

function readJson(def: Extract<ParamDef, { kind: 'json' }>, text: string): unknown {
  if (def.maxLength !== undefined && text.length > def.maxLength) return new Refused(`must be at most ${def.maxLength} characters of JSON`);
  let forbiddenKey = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      forbiddenKey ||= FORBIDDEN.includes(key);
      return value;
    });
  } catch {
    return new Refused('must be valid JSON');
  }
  if (forbiddenKey) return new Refused('JSON keys __proto__, constructor and prototype are not allowed');
  const result = def.schema.safeParse(parsed);
  return result.success ? result.data : new Refused(jsonIssueReason(result.error.issues[0] as z.core.$ZodIssue));
}

/**
 * The value of one scalar wire text, or a `Refused`.
 *
 * @example
 * readScalar({ kind: 'integer', min: 1, max: 10 }, '07'); // 7
 */
export function readScalar(def: Scalar, text: string): unknown {
  switch (def.kind) {
    case 'string': {
      const length = [...text].length; // code points; a lone surrogate counts as one
      if (def.minLength !== undefined && length < def.minLength) return new Refused(`must be at least ${def.minLength} characters long`);
      if (def.maxLength !== undefined && length > def.maxLength) return new Refused(`must be at most ${def.maxLength} characters long`);
      if (def.pattern !== undefined && !new RegExp(def.pattern.source, def.pattern.flags).test(text)) return new Refused(`must match ${String(def.pattern)}`);
      return (def.enum === undefined ? undefined : oneOf(def.enum, text)) ?? text;
    }
    case 'enum':
      return oneOf(def.values, text) ?? text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : new Refused('must be true or false');
    case 'integer':
      if (!/^[+-]?[0-9]+$/.test(text)) return new Refused('must be an integer');
      return range(BigInt(text), BigInt(def.min), BigInt(def.max)) ?? Number(text) + 0; // + 0 turns -0 into 0
    case 'long':
      if (!/^[+-]?[0-9]+$/.test(text)) return new Refused('must be an integer');
      // Texts over 24 characters are out of range whatever their value (bounds the BigInt work).
      if (text.length > 24) return range(def.max + 1n, def.min, def.max);
      return range(BigInt(text), def.min, def.max) ?? BigInt(text);
    case 'float': {
      if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return new Refused('must be a decimal number');
      const value = Number(text);
      if (!Number.isFinite(value)) return new Refused('must be a finite number');
      return range(value, def.min, def.max) ?? value;
    }
    case 'json':
      return readJson(def, text);
  }
}

interface Found {
  forbidden: string[];
  unsupported: string[];
  /** Structural problems by root name. */
  structural: Map<string, { key: string; reason: string }[]>;
  tree: Map<string, Collected>;
}

function ownSpec(fields: Declaration, name: string): AnySpec | undefined {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
}

function shapeOf(kind: ParamDef['kind']): string {
  if (kind === 'list') return 'is a repeat list: send Name.1, Name.2, …';
  if (kind === 'struct') return 'is a struct: send Name.Field';
  return 'has sub-names but the parameter is not a list or struct';
}

/** Walk one wire name; returns a structural reason, 'undeclared', or where to store the value. */
function walk(declaration: Declaration, parts: string[], maxListIndex: number): string | (string | number)[] {
  let spec = ownSpec(declaration, parts[0] as string) as AnySpec;
  const path: (string | number)[] = [parts[0] as string];
  for (const part of parts.slice(1)) {
    const def = spec.def;
    if (def.kind === 'list') {
      if (!/^[1-9][0-9]*$/.test(part) || Number(part) > maxListIndex) {
        return `list index must be an integer from 1 to ${maxListIndex} without leading zeros`;
      }
      path.push(Number(part));
      spec = def.item;
    } else if (def.kind === 'struct') {
      const field = ownSpec(def.fields, part);
      if (field === undefined) return 'undeclared';
      path.push(part);
      spec = field;
    } else {
      return shapeOf(def.kind);
    }
  }
  if (spec.def.kind === 'list' || spec.def.kind === 'struct') return shapeOf(spec.def.kind);
  return path;
}

function store(tree: Map<string, Collected>, path: (string | number)[], value: string): void {
  let map = tree as Map<string | number, Collected>;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as string | number;
    if (!map.has(step)) map.set(step, new Map());
    map = map.get(step) as Map<string | number, Collected>;
  }
  map.set(path[path.length - 1] as string | number, value);
}

function collect(declaration: Declaration, flat: Readonly<Record<string, string | readonly string[]>>, strict: boolean, maxListIndex: number): Found {
  const found: Found = { forbidden: [], unsupported: [], structural: new Map(), tree: new Map() };
  for (const key of Object.keys(flat)) {
    const parts = key.split('.');
    if (parts.some((part) => FORBIDDEN.includes(part))) {
      found.forbidden.push(key);
      continue;
    }
    if (ownSpec(declaration, parts[0] as string) === undefined) {
      if (strict && (parts.length > 1 || !TOLERATED.includes(key))) found.unsupported.push(key);
      continue;
    }
    const value = flat[key];
    const where = walk(declaration, parts, maxListIndex);
    const problem = where === 'undeclared' ? undefined : typeof where === 'string' ? where : typeof value === 'string' ? undefined : 'must not be repeated';
    if (where === 'undeclared') {
      if (strict) found.unsupported.push(key);
    } else if (problem !== undefined) {
      const list = found.structural.get(parts[0] as string) ?? [];
      list.push({ key, reason: problem });
      found.structural.set(parts[0] as string, list);
    } else {
      store(found.tree, where as (string | number)[], value as string);
    }
  }
  return found;
}

class Problem {
  constructor(readonly issue: ParamIssue) {}
}

function firstMissing(spec: AnySpec, name: string): string {
  const def = spec.def;
  if (def.kind === 'list') return firstMissing(def.item, `${name}.1`);
  if (def.kind !== 'struct') return name;
  const required = Object.keys(def.fields).find((field) => def.fields[field]?.presence === 'required');
  return required === undefined ? name : firstMissing(def.fields[required] as AnySpec, `${name}.${required}`);
}

/** The typed value of a present collected value, or the first Problem inside it. */
function check(spec: AnySpec, collected: Collected, name: string): unknown {
  const def = spec.def;
  if (def.kind === 'list') {
    const items = collected as Map<number, Collected>;
    const indexes = [...items.keys()].sort((a, b) => a - b);
    if (def.maxItems !== undefined && indexes.length > def.maxItems) {
      return new Problem({ kind: 'invalid', name: `${name}.${indexes[def.maxItems]}`, reason: `must have at most ${def.maxItems} items` });
    }
    const out: unknown[] = [];
    for (const index of indexes) {
      const value = check(def.item, items.get(index) as Collected, `${name}.${index}`);
      if (value instanceof Problem) return value;
      out.push(value);
    }
    if (def.minItems !== undefined && indexes.length < def.minItems) {
      return new Problem({ kind: 'missing', name: `${name}.${(indexes[indexes.length - 1] as number) + 1}`, reason: `must have at least ${def.minItems} items` });
    }
    return out;
  }
  if (def.kind === 'struct') return checkFields(def.fields, collected as Map<string, Collected>, `${name}.`);
  const value = readScalar(def, collected as string);
  return value instanceof Refused ? new Problem({ kind: 'invalid', name, reason: value.reason }) : value;
}

function checkFields(fields: Declaration, values: Map<string, Collected>, prefix: string): unknown {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(fields)) {
    const spec = fields[field] as AnySpec;
    const collected = values.get(field);
    if (collected === undefined) {
      if (spec.presence === 'required') return new Problem({ kind: 'missing', name: firstMissing(spec, `${prefix}${field}`), reason: 'is required' });
      const def = spec.def as { default?: unknown };
      if (spec.presence === 'defaulted' && def.default !== undefined) out[field] = def.default;
      continue;
    }
    const value = check(spec, collected, `${prefix}${field}`);
    if (value instanceof Problem) return value;
    out[field] = value;
  }
  return out;
}

function cut(name: string): string {
  return name.length <= 200 ? name : `${name.slice(0, 200)}…`;
}

function smallest(names: string[]): string {
  return [...names].sort()[0] as string;
}

/**
 * What parseParams should answer for `flat` under `declaration`.
 *
 * @example
 * referenceParse({ N: p.integer() }, { N: 'x' }, false, 1000); // { ok: false, issue: { kind: 'invalid', name: 'N', … } }
 */
export function referenceParse(
  declaration: Declaration,
  flat: Readonly<Record<string, string | readonly string[]>>,
  strict: boolean,
  maxListIndex: number,
): ParseResult<unknown> {
  const found = collect(declaration, flat, strict, maxListIndex);
  if (found.forbidden.length > 0) {
    return { ok: false, issue: { kind: 'invalid', name: cut(smallest(found.forbidden)), reason: 'names containing __proto__, constructor or prototype are not allowed' } };
  }
  if (found.unsupported.length > 0) {
    return { ok: false, issue: { kind: 'unsupported', name: cut(smallest(found.unsupported)), reason: 'is not a parameter of this API' } };
  }
  // Parameter by parameter: its name problems first, then its value.
  const value: Record<string, unknown> = {};
  for (const name of Object.keys(declaration)) {
    const structural = found.structural.get(name);
    if (structural !== undefined) {
      const first = structural.reduce((a, b) => (b.key < a.key ? b : a));
      return { ok: false, issue: { kind: 'invalid', name: cut(first.key), reason: first.reason } };
    }
    const checked = checkFields({ [name]: declaration[name] as AnySpec }, found.tree, '');
    if (checked instanceof Problem) return { ok: false, issue: { ...checked.issue, name: cut(checked.issue.name) } };
    Object.assign(value, checked);
  }
  return { ok: true, value };
}
