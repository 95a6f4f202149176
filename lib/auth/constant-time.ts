import { timingSafeEqual } from 'node:crypto';

/**
 * Two scratch buffers the compared strings are written into, and a view of each for every byte
 * length, made once (signatures and hashes are 28-64 characters): comparing then allocates nothing.
 * Longer strings (more than SCRATCH_TEXT_MAX UTF-16 units, up to 3 UTF-8 bytes each) are encoded
 * into their own buffers.
 */
const SCRATCH_BYTES = 256;
const SCRATCH_TEXT_MAX = Math.floor(SCRATCH_BYTES / 3);
const received = Buffer.alloc(SCRATCH_BYTES);
const expected = Buffer.alloc(SCRATCH_BYTES);
const receivedViews: Buffer[] = [];
const expectedViews: Buffer[] = [];
for (let length = 0; length <= SCRATCH_BYTES; length++) {
  receivedViews.push(received.subarray(0, length));
  expectedViews.push(expected.subarray(0, length));
}

/**
 * Compare two strings in time that depends only on their lengths, never on where they differ.
 * A length mismatch returns `false` (after a dummy comparison) instead of throwing like
 * `crypto.timingSafeEqual` does.
 *
 * @param receivedText the value sent by the client
 * @param expectedText the value computed by the server
 * @returns whether the UTF-8 bytes are identical
 * @example
 * constantTimeEqual('OLeaidS1JvxuMvnyHOwuJ+uX5qY=', 'OLeaidS1JvxuMvnyHOwuJ+uX5qY='); // true
 * constantTimeEqual('short', 'longer value');                                 // false
 */
export function constantTimeEqual(receivedText: string, expectedText: string): boolean {
  let a: Buffer;
  let b: Buffer;
  if (receivedText.length <= SCRATCH_TEXT_MAX && expectedText.length <= SCRATCH_TEXT_MAX) {
    // both fit: at most 3 bytes per UTF-16 unit, as Buffer.from encodes them (lone surrogates as U+FFFD)
    a = receivedViews[received.write(receivedText, 0, 'utf8')] as Buffer;
    b = expectedViews[expected.write(expectedText, 0, 'utf8')] as Buffer;
  } else {
    a = Buffer.from(receivedText, 'utf8');
    b = Buffer.from(expectedText, 'utf8');
  }
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
