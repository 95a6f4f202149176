import { timingSafeEqual } from 'node:crypto';

/**
 * Compare two strings in time that depends only on their lengths, never on where they differ.
 * A length mismatch returns `false` (after a dummy comparison) instead of throwing like
 * `crypto.timingSafeEqual` does.
 *
 * @param received the value sent by the client
 * @param expected the value computed by the server
 * @returns whether the UTF-8 bytes are identical
 * @example
 * constantTimeEqual('OLeaidS1JvxuMvnyHOwuJ+uX5qY=', 'OLeaidS1JvxuMvnyHOwuJ+uX5qY='); // true
 * constantTimeEqual('short', 'longer value');                                 // false
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
