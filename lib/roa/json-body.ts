/**
 * JSON request bodies of ROA routes: parsing the raw bytes safely and checking the value against a
 * `p.*` declaration (the same DSL as RPC parameters, read as JSON types instead of strings).
 * docs/roa.md §Declaring routes (JSON bodies).
 */
import { errors } from '../core/errors/index.js';
import { issueError } from '../rpc/api.js';
import { defaultOf } from '../rpc/params/builders.js';
import type { Declaration, ParamIssue, ParamSpec, Presence } from '../rpc/params/spec.js';

type AnySpec = ParamSpec<unknown, Presence>;

/** Deepest nesting of objects and arrays accepted in a JSON body. */
const MAX_JSON_DEPTH = 64;

/**
 * Parse JSON body bytes. Refuses (InvalidParameter, never an exception of its own) invalid UTF-8,
 * invalid JSON and nesting deeper than {@link MAX_JSON_DEPTH}. Keys such as `__proto__` stay plain
 * own properties (JSON.parse never sets a prototype) and are never copied onto other objects here.
 *
 * @example
 * parseJsonBody(Buffer.from('{"name":"a"}')); // { name: 'a' }
 */
export function parseJsonBody(raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new errors.InvalidParameter({ parameter: 'Body', message: 'The request body is not valid UTF-8.' });
  }
  if (nestingTooDeep(text)) {
    throw new errors.InvalidParameter({ parameter: 'Body', message: `The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels.` });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new errors.InvalidParameter({ parameter: 'Body', message: 'The request body is not valid JSON.' });
  }
}

/** Scan brackets outside strings: cheap, and bounds the work JSON.parse and the checks below do. */
function nestingTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class IssueFound extends Error {
  constructor(readonly issue: ParamIssue) {
    super(issue.reason);
  }
}

function invalid(name: string, reason: string): never {
  throw new IssueFound({ kind: 'invalid', name, reason });
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function readLeaf(spec: AnySpec, value: unknown, name: string, strict: boolean): unknown {
  const def = spec.def;
  switch (def.kind) {
    case 'string': {
      if (typeof value !== 'string') invalid(name, 'must be a string');
      const length = codePoints(value);
      if (def.minLength !== undefined && length < def.minLength) invalid(name, 'is too short');
      if (def.maxLength !== undefined && length > def.maxLength) invalid(name, 'is too long');
      if (def.pattern !== undefined) {
        def.pattern.lastIndex = 0;
        if (!def.pattern.test(value)) invalid(name, 'does not match the expected pattern');
      }
      if (def.enum !== undefined && !def.enum.includes(value)) invalid(name, 'is not one of the allowed values');
      return value;
    }
    case 'enum':
      if (typeof value !== 'string' || !def.values.includes(value)) invalid(name, 'is not one of the allowed values');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < def.min || value > def.max) invalid(name, 'must be an integer in range');
      return value;
    case 'long': {
      // A JSON number past 2^53 has already lost digits: a 64-bit value must come as a safe integer or a digit string.
      let big: bigint | undefined;
      if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
      else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) big = BigInt(value);
      if (big === undefined || big < def.min || big > def.max) invalid(name, 'must be a 64-bit integer in range');
      return big;
    }
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) invalid(name, 'must be a number');
      if ((def.min !== undefined && value < def.min) || (def.max !== undefined && value > def.max)) invalid(name, 'is out of range');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') invalid(name, 'must be true or false');
      return value;
    case 'json': {
      const parsed = def.schema.safeParse(value);
      if (!parsed.success) invalid(name, 'does not have the expected shape');
      return parsed.data;
    }
    case 'list': {
      if (!Array.isArray(value)) invalid(name, 'must be an array');
      if (def.minItems !== undefined && value.length < def.minItems) invalid(name, 'has too few items');
      if (def.maxItems !== undefined && value.length > def.maxItems) invalid(name, 'has too many items');
      return value.map((item, i) => {
        if (item === null || item === undefined) invalid(`${name}.${i + 1}`, 'must not be null');
        return readLeaf(def.item, item, `${name}.${i + 1}`, strict);
      });
    }
    case 'struct':
      if (!isObject(value)) invalid(name, 'must be an object');
      return readObject(def.fields, value, `${name}.`, strict);
  }
}

function readObject(declaration: Declaration, value: Record<string, unknown>, prefix: string, strict: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of Object.keys(declaration)) {
    const spec = declaration[field] as AnySpec;
    const name = prefix + field;
    const present = Object.prototype.hasOwnProperty.call(value, field) ? value[field] : undefined;
    if (present === undefined || present === null) {
      if (spec.presence === 'required') throw new IssueFound({ kind: 'missing', name, reason: 'is required' });
      const fallback = defaultOf(spec);
      if (fallback !== undefined) out[field] = fallback;
      continue;
    }
    out[field] = readLeaf(spec, present, name, strict);
  }
  if (strict) {
    for (const key of Object.keys(value)) {
      if (!Object.prototype.hasOwnProperty.call(declaration, key)) throw new IssueFound({ kind: 'unsupported', name: prefix + key, reason: 'is not declared' });
    }
  }
  // Handlers get an ordinary object; the declared names were checked when the route was declared.
  return Object.assign({}, out);
}

/**
 * Check a parsed JSON body against a declaration: required fields present (null counts as absent),
 * JSON types as declared (`p.integer` a JSON integer, `p.long` a safe integer or a digit string,
 * `p.list` an array, `p.struct` an object …), defaults applied, undeclared fields refused when
 * `strict`. Nested names in errors are dotted with 1-based list indexes (`nodes.2.name`).
 *
 * @example
 * readJsonBody({ name: p.string({ required: true }) }, { name: 'k8s' }, false); // { name: 'k8s' }
 */
export function readJsonBody(declaration: Declaration, value: unknown, strict: boolean): Record<string, unknown> {
  if (!isObject(value)) throw new errors.InvalidParameter({ parameter: 'Body', message: 'The request body must be a JSON object.' });
  try {
    return readObject(declaration, value, '', strict);
  } catch (err) {
    if (err instanceof IssueFound) throw issueError(err.issue);
    throw err;
  }
}
