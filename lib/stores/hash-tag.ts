/**
 * Redis Cluster hash tags: keys whose first `{…}` holds the same text live in the same slot, so
 * one Lua script may touch them all (docs/scaling.md).
 */
import { createHash } from 'node:crypto';

/** Longer identities are hashed, so that a forwarded address cannot make a key arbitrarily long. */
const MAX_PLAIN_TAG = 128;

/**
 * The hash tag of an identity: `{<identity>}`, or `{#<base64url SHA-256>}` when the identity is
 * long or contains a brace (which would end the tag early).
 *
 * @example
 * hashTag('ak:my-ak'); // '{ak:my-ak}'
 */
export function hashTag(identity: string): string {
  const plain = identity.length <= MAX_PLAIN_TAG && !identity.includes('{') && !identity.includes('}');
  return `{${plain ? identity : `#${createHash('sha256').update(identity, 'utf8').digest('base64url')}`}}`;
}

/**
 * What Redis Cluster hashes of `key`: the text of its first non-empty `{…}`, else the whole key.
 *
 * @example
 * slotText('aom:nonce:{ak:a}Xb3'); // 'ak:a'
 */
function slotText(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
}

/**
 * True when every key hashes to the same Redis Cluster slot by its tag (or is the same key).
 *
 * @example
 * sameSlot(['n:{ak:a}x', 't:{ak:a}:RunInstances']); // true
 */
export function sameSlot(keys: readonly string[]): boolean {
  if (keys.length === 0) return true;
  const first = slotText(keys[0] as string);
  return keys.every((key) => slotText(key) === first);
}
