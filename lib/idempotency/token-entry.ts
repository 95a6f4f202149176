/**
 * The value stored under a ClientToken key: a reservation while the first request runs, then the
 * stored result. Text, so that every Store can hold it:
 *
 * - `p1.<digest>.<owner>`: reserved by `owner` (unique per request) for parameters `<digest>`;
 * - `d1.<digest>.<status>.<snapshot>`: done, with the HTTP status and the result snapshot
 *   (lib/idempotency/result-snapshot.ts).
 *
 * Digests and owners are base64url (no `.`), so the first fields split unambiguously.
 */

/** A parsed entry. */
export type TokenEntry =
  | { readonly kind: 'pending'; readonly digest: string; readonly owner: string }
  | { readonly kind: 'done'; readonly digest: string; readonly status: number; readonly snapshot: string };

const PENDING = /^p1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const DONE = /^d1\.([A-Za-z0-9_-]+)\.(2\d\d)\./;

/**
 * The reservation value.
 *
 * @example
 * pendingEntry('digest', 'owner-1'); // 'p1.digest.owner-1'
 */
export function pendingEntry(digest: string, owner: string): string {
  return `p1.${digest}.${owner}`;
}

/**
 * The stored-result value.
 *
 * @example
 * doneEntry('digest', 200, '{"d":{}}'); // 'd1.digest.200.{"d":{}}'
 */
export function doneEntry(digest: string, status: number, snapshot: string): string {
  return `d1.${digest}.${status}.${snapshot}`;
}

/**
 * Parse a stored value; undefined when it is not one of ours (another application's key, a
 * format from a future version, a damaged value).
 *
 * @example
 * parseTokenEntry('p1.digest.owner-1'); // { kind: 'pending', digest: 'digest', owner: 'owner-1' }
 */
export function parseTokenEntry(text: string): TokenEntry | undefined {
  const pending = PENDING.exec(text);
  if (pending !== null) return { kind: 'pending', digest: pending[1] as string, owner: pending[2] as string };
  const done = DONE.exec(text);
  if (done !== null) {
    return { kind: 'done', digest: done[1] as string, status: Number(done[2]), snapshot: text.slice(done[0].length) };
  }
  return undefined;
}
