/**
 * Turning a handler's success data into text that can be stored (in memory or Redis) and back, so
 * that a replay renders exactly the bytes the first answer rendered, in JSON and in XML.
 *
 * The data is first reduced to what the envelope renderers (lib/core/render) make of it:
 * - strings, booleans and finite numbers stay; non-finite numbers become `null` (both renderers
 *   treat them like `null`: `null` in JSON, no element in XML);
 * - a `Date` becomes its rendered text `YYYY-MM-DDThh:mm:ssZ` (the renderers write a Date and that
 *   string identically);
 * - a `bigint` is stored as its digits, and its position is recorded, so the replay gets a bigint
 *   again (rendered as an exact number, not a string);
 * - `undefined`, functions and symbols are left out (in arrays too), as the renderers do;
 * - an object with `toJSON()` is replaced by its result, as the renderers do;
 * - every other object contributes its own enumerable keys, in order.
 *
 * The snapshot is `{"d":<data>,"b":[<paths of bigints>]}` in JSON (`"b"` only when there are
 * bigints; a path is the list of keys and array indexes leading to the value).
 */
import { formatDate } from '../core/render/scalars.js';
import { ResponseDataError } from '../core/render/response-data-error.js';

/** Deeper than anything the renderers accept (they stop at 64 levels): a cycle, not data. */
const MAX_SNAPSHOT_DEPTH = 256;
const OMIT = Symbol('omit');

type Path = Array<string | number>;

/**
 * The storable text of `data`. Throws a `ResponseDataError` for data the renderers could not render
 * either (an invalid Date, a cycle, a `toJSON()` that returns no object).
 *
 * @example
 * snapshotData({ InstanceId: 'i-1', Quota: 9007199254740993n, CreatedAt: new Date(0) });
 * // '{"d":{"InstanceId":"i-1","Quota":"9007199254740993","CreatedAt":"1970-01-01T00:00:00Z"},"b":[["Quota"]]}'
 */
export function snapshotData(data: object): string {
  const bigints: Path[] = [];
  const tree = snapshotObject(data, 0, [], bigints);
  return bigints.length === 0 ? JSON.stringify({ d: tree }) : JSON.stringify({ d: tree, b: bigints });
}

/**
 * The data a snapshot was made from, as a fresh plain object (every call returns a new one).
 * Throws a `SyntaxError` or `TypeError` for text that is not a snapshot.
 *
 * @example
 * restoreData(snapshotData({ Quota: 1n })); // { Quota: 1n }
 */
export function restoreData(text: string): object {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !isRecord(parsed.d) || Array.isArray(parsed.d)) throw new TypeError('not a stored result');
  const data = parsed.d;
  if (parsed.b !== undefined) {
    if (!Array.isArray(parsed.b)) throw new TypeError('not a stored result');
    for (const path of parsed.b as unknown[]) restoreBigint(data, path);
  }
  return data;
}

function snapshotValue(value: unknown, depth: number, path: Path, bigints: Path[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      bigints.push(path.slice());
      return value.toString();
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) return snapshotArray(value, depth + 1, path, bigints);
      if (value instanceof Date) return formatDate(value);
      return snapshotObject(value, depth + 1, path, bigints);
    default:
      return OMIT; // undefined, function, symbol
  }
}

function snapshotArray(items: readonly unknown[], depth: number, path: Path, bigints: Path[]): unknown[] {
  if (depth > MAX_SNAPSHOT_DEPTH) throw new ResponseDataError('the response data is nested too deeply (or has a cycle)');
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    path.push(out.length);
    const item = snapshotValue(items[i], depth, path, bigints);
    path.pop();
    if (item !== OMIT) out.push(item);
  }
  return out;
}

function snapshotObject(value: object, depth: number, path: Path, bigints: Path[]): object {
  if (depth > MAX_SNAPSHOT_DEPTH) throw new ResponseDataError('the response data is nested too deeply (or has a cycle)');
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const replaced: unknown = toJSON.call(value);
    if (replaced === null || typeof replaced !== 'object') throw new ResponseDataError('toJSON() of a nested object must return an object');
    return snapshotObject(replaced, depth + 1, path, bigints);
  }
  // Null prototype: a key such as "__proto__" stays an ordinary member.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    path.push(key);
    const member = snapshotValue((value as Record<string, unknown>)[key], depth, path, bigints);
    path.pop();
    if (member !== OMIT) out[key] = member;
  }
  return out;
}

function restoreBigint(root: Record<string, unknown>, path: unknown): void {
  if (!Array.isArray(path) || path.length === 0) throw new TypeError('not a stored result');
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) node = child(node, path[i]);
  const last: unknown = path[path.length - 1];
  const digits = child(node, last);
  if (typeof digits !== 'string' || !/^-?\d+$/.test(digits)) throw new TypeError('not a stored result');
  // defineProperty: an own "__proto__" member (JSON.parse makes it an own property) stays one.
  Object.defineProperty(node, last as string | number, { value: BigInt(digits), writable: true, enumerable: true, configurable: true });
}

function child(node: unknown, step: unknown): unknown {
  if (Array.isArray(node) && typeof step === 'number' && Number.isInteger(step) && step >= 0 && step < node.length) return node[step];
  if (isRecord(node) && !Array.isArray(node) && typeof step === 'string' && Object.hasOwn(node, step)) return node[step];
  throw new TypeError('not a stored result');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
