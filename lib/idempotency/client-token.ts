/**
 * The ClientToken rule (ECS, docs/protocol.md §3.4): client-generated, case-sensitive, at most 64 ASCII
 * characters. Here "ASCII" means printable ASCII (U+0020 to U+007E): control characters and
 * anything beyond ASCII are refused with `InvalidParameter` "ClientToken".
 */

/** The longest accepted ClientToken. */
export const MAX_CLIENT_TOKEN_LENGTH = 64;

const CLIENT_TOKEN = /^[\x20-\x7E]{1,64}$/;

/**
 * True when `token` is a well-formed ClientToken: 1 to 64 printable ASCII characters.
 *
 * @example
 * isValidClientToken('0c593ea1-3bea-11e9-b96b-88e9fe637760'); // true
 * isValidClientToken('x'.repeat(65));                         // false
 * isValidClientToken('jeton-é');                              // false
 */
export function isValidClientToken(token: unknown): token is string {
  return typeof token === 'string' && CLIENT_TOKEN.test(token);
}
