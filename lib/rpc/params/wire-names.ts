/**
 * Facts about wire names: which ones are protocol-level (common) parameters, which business names
 * real SDKs add on their own, which path segments are refused, and how a list index is read.
 */

/**
 * V1 common parameters (docs/protocol.md §3.1). The caller removes them before parsing business
 * parameters; `parseParams` also never reports them as unsupported.
 */
export const COMMON_PARAMETERS: ReadonlySet<string> = new Set([
  'Format',
  'Version',
  'Action',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'Timestamp',
  'TimeStamp',
  'SecurityToken',
  'BearerToken',
]);

/**
 * Business names that real SDKs send even to APIs that do not declare them: Python and PHP cores
 * add `RegionId` to every RPC call, generated SDKs expose the hidden owner parameters
 * (docs/protocol.md §3.1). Strict mode accepts them silently unless the declaration names them (then
 * they are validated like any declared parameter).
 */
export const SILENTLY_ACCEPTED_PARAMETERS: ReadonlySet<string> = new Set([
  'RegionId',
  'OwnerId',
  'OwnerAccount',
  'ResourceOwnerId',
  'ResourceOwnerAccount',
]);

/** Path segments refused anywhere in a wire name (prototype pollution guards). */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The reason given for a wire name with a refused segment. */
export const FORBIDDEN_NAME_REASON = 'names containing __proto__, constructor or prototype are not allowed';

/** Default largest accepted list index (`Name.1000`). */
export const DEFAULT_MAX_LIST_INDEX = 1000;

/** Default deepest accepted name (`A.1.B.2…`), in segments, for declaration-less `unflatten`. */
export const DEFAULT_MAX_DEPTH = 8;

/** Longest wire name echoed in an issue; longer names are cut and marked with `…`. */
const MAX_ECHOED_NAME = 200;

/**
 * True when `segment` may never appear in a wire name.
 *
 * @example
 * isForbiddenSegment('__proto__'); // true
 */
export function isForbiddenSegment(segment: string): boolean {
  return segment === '__proto__' || segment === 'constructor' || segment === 'prototype';
}

/**
 * True when some dot-separated segment of `name` is `__proto__`, `constructor` or `prototype`.
 * Scans without allocating.
 *
 * @example
 * hasForbiddenSegment('Tag.__proto__.Key'); // true
 * hasForbiddenSegment('Tag.1.Key');         // false
 */
export function hasForbiddenSegment(name: string): boolean {
  let start = 0;
  for (;;) {
    const dot = name.indexOf('.', start);
    const end = dot === -1 ? name.length : dot;
    const length = end - start;
    if (length === 9) {
      if (name.startsWith('__proto__', start) || name.startsWith('prototype', start)) return true;
    } else if (length === 11 && name.startsWith('constructor', start)) {
      return true;
    }
    if (dot === -1) return false;
    start = dot + 1;
  }
}

/**
 * Read a repeat-list index from `text[start, end)`: a positive decimal integer without sign,
 * leading zeros or exponent, at most `maxIndex`. Returns 0 when it is not such an index.
 *
 * @example
 * parseListIndex('3', 1000);   // 3
 * parseListIndex('03', 1000);  // 0 (leading zero)
 * parseListIndex('1e9', 1000); // 0
 * parseListIndex('Tag.12.Key', 1000, 4, 6); // 12
 */
export function parseListIndex(text: string, maxIndex: number, start = 0, end = text.length): number {
  const length = end - start;
  if (length <= 0 || length > 15) return 0;
  const first = text.charCodeAt(start);
  if (first < 49 || first > 57) return 0; // '1'..'9'
  let value = first - 48;
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return 0;
    value = value * 10 + (code - 48);
  }
  return value <= maxIndex ? value : 0;
}

/**
 * A wire name fit to appear in an error message: names longer than 200 characters are cut.
 *
 * @example
 * echoName('Tag.3.Key'); // 'Tag.3.Key'
 */
export function echoName(name: string): string {
  return name.length <= MAX_ECHOED_NAME ? name : `${name.slice(0, MAX_ECHOED_NAME)}…`;
}

/**
 * The reason given for a refused list index.
 *
 * @example
 * listIndexReason(1000); // 'list index must be an integer from 1 to 1000 without leading zeros'
 */
export function listIndexReason(maxIndex: number): string {
  return `list index must be an integer from 1 to ${maxIndex} without leading zeros`;
}
