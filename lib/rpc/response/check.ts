/**
 * The development-time check of a handler's data against its compiled response declaration.
 * A mismatch is a server bug: the API throws {@link ResponseMismatchError}, the adapters answer
 * `InternalError` and report it through the app's `error` event.
 */
import type { ListShape, ResponseShape, ScalarShape, StructShape } from './shape.js';

/** Thrown (and reported, never rendered) when a handler's data does not match its declaration. */
export class ResponseMismatchError extends TypeError {
  /** The action whose handler returned the data. */
  readonly action: string;
  /** Where in the data: `Instances.Instance.2.Status` (list items counted from 1, as on the wire). */
  readonly path: string;

  constructor(action: string, path: string, reason: string) {
    super(`action ${action} returned data that does not match its response declaration: ${path === '' ? 'the data' : path} ${reason}`);
    this.name = 'ResponseMismatchError';
    this.action = action;
    this.path = path;
  }
}

/** A mismatch found by the walk: where and why. */
export interface Mismatch {
  readonly path: string;
  readonly reason: string;
}

const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      re = new RegExp(source);
    }
    if (patterns.size < 1024) patterns.set(source, re);
  }
  return re;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function join(path: string, name: string | number): string {
  return path === '' ? String(name) : `${path}.${name}`;
}

function checkBounds(value: number | bigint, shape: ScalarShape): string | undefined {
  const big = typeof value === 'bigint';
  if (shape.min !== undefined && (big ? value < BigInt(shape.min) : value < Number(shape.min))) return `is less than ${shape.min}`;
  if (shape.max !== undefined && (big ? value > BigInt(shape.max) : value > Number(shape.max))) return `is greater than ${shape.max}`;
  return undefined;
}

function checkScalar(shape: ScalarShape, value: unknown): string | undefined {
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') return `is ${typeof value}, not a string`;
      const length = [...value].length;
      if (shape.minLength !== undefined && length < shape.minLength) return `is shorter than ${shape.minLength} characters`;
      if (shape.maxLength !== undefined && length > shape.maxLength) return `is longer than ${shape.maxLength} characters`;
      if (shape.enum !== undefined && !shape.enum.includes(value)) return `is not one of ${shape.enum.join(', ')}`;
      if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value)) return `does not match ${shape.pattern}`;
      return undefined;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'is not an integer';
      return checkBounds(value, shape);
    case 'long':
      if (typeof value === 'bigint') return checkBounds(value, shape);
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'is not an integer (number or bigint)';
      return checkBounds(BigInt(value), shape);
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'is not a finite number';
      return checkBounds(value, shape);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'is not a boolean';
    case 'datetime':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'is an invalid Date' : undefined;
      return typeof value === 'string' ? undefined : 'is not a Date';
    default:
      return 'has an unknown kind';
  }
}

function checkList(shape: ListShape, value: unknown, path: string): Mismatch | undefined {
  if (!Array.isArray(value)) return { path, reason: 'is not an array' };
  if (shape.minItems !== undefined && value.length < shape.minItems) return { path, reason: `has fewer than ${shape.minItems} items` };
  if (shape.maxItems !== undefined && value.length > shape.maxItems) return { path, reason: `has more than ${shape.maxItems} items` };
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const itemPath = join(path, i + 1);
    if (item === undefined || item === null) return { path: itemPath, reason: 'is missing (null or undefined in a list)' };
    const found = checkShape(shape.item, item, itemPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

function checkStruct(shape: StructShape, value: unknown, path: string): Mismatch | undefined {
  if (!isPlainObject(value)) return { path, reason: 'is not a plain object' };
  const declared = new Set<string>();
  for (const field of shape.fields) {
    declared.add(field.name);
    const member = Object.prototype.hasOwnProperty.call(value, field.name) ? value[field.name] : undefined;
    const fieldPath = join(path, field.name);
    if (member === null) return { path: fieldPath, reason: 'is null (null is written in JSON but not in XML: leave the field out)' };
    if (member === undefined) {
      if (field.required) return { path: fieldPath, reason: 'is missing' };
      continue;
    }
    const found = checkShape(field.shape, member, fieldPath);
    if (found !== undefined) return found;
  }
  for (const key of Object.keys(value)) {
    if (declared.has(key) || value[key] === undefined || (path === '' && key === 'RequestId')) continue;
    return { path: join(path, key), reason: 'is not declared' };
  }
  return undefined;
}

function checkShape(shape: ResponseShape, value: unknown, path: string): Mismatch | undefined {
  if (shape.kind === 'struct') return checkStruct(shape, value, path);
  if (shape.kind === 'list') return checkList(shape, value, path);
  const reason = checkScalar(shape, value);
  return reason === undefined ? undefined : { path, reason };
}

/**
 * The first place where `data` does not match `shape`, or undefined. An optional field may be
 * absent or `undefined`; `null` is a mismatch (JSON would show it, XML would not), and so is an
 * undeclared field with a value.
 *
 * @example
 * checkResponse({ kind: 'struct', fields: [{ name: 'InstanceId', required: true, shape: { kind: 'string' } }] }, {});
 * // { path: 'InstanceId', reason: 'is missing' }
 */
export function checkResponse(shape: StructShape, data: object): Mismatch | undefined {
  return checkStruct(shape, data, '');
}
