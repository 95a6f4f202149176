/**
 * RequestIds: an upper-case UUID (`8-4-4-4-12`, version 4, RFC 9562 variant), as the Alibaba Cloud
 * gateway sends.
 */
import { randomFillSync } from 'node:crypto';

/** UUIDs' worth of random bytes drawn from the CSPRNG at once (as `crypto.randomUUID` caches 128). */
const POOLED_IDS = 128;
const pool = Buffer.alloc(16 * POOLED_IDS);
let next = POOLED_IDS;

/** `HEX[b]`: the byte `b` as two upper-case hex digits (no `toUpperCase` per id). */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

/**
 * A new RequestId: 122 random bits from the CSPRNG, formatted as `randomUUID().toUpperCase()` is,
 * without the lower-case string and its upper-case copy.
 *
 * @example
 * createRequestId(); // '4C467B38-3910-447D-87BC-AC049166F216'
 */
export function createRequestId(): string {
  if (next === POOLED_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const o = 16 * next++;
  const p = pool;
  return (
    (HEX[p[o] as number] as string) +
    HEX[p[o + 1] as number] +
    HEX[p[o + 2] as number] +
    HEX[p[o + 3] as number] +
    '-' +
    HEX[p[o + 4] as number] +
    HEX[p[o + 5] as number] +
    '-' +
    HEX[((p[o + 6] as number) & 0x0f) | 0x40] + // version 4
    HEX[p[o + 7] as number] +
    '-' +
    HEX[((p[o + 8] as number) & 0x3f) | 0x80] + // variant 10xx
    HEX[p[o + 9] as number] +
    '-' +
    HEX[p[o + 10] as number] +
    HEX[p[o + 11] as number] +
    HEX[p[o + 12] as number] +
    HEX[p[o + 13] as number] +
    HEX[p[o + 14] as number] +
    HEX[p[o + 15] as number]
  );
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._=-]{0,127}$/;

/**
 * Wrap a custom generator so that whatever it returns is safe in a header and in XML: a value
 * that is not 1-128 characters of `[A-Za-z0-9._=-]` (or a throw) falls back to a UUID.
 *
 * @example
 * const next = safeRequestIdGenerator(() => myIdService.next());
 */
export function safeRequestIdGenerator(generate: () => string): () => string {
  return function nextRequestId(): string {
    try {
      const id = generate();
      return typeof id === 'string' && SAFE_ID.test(id) ? id : createRequestId();
    } catch {
      return createRequestId();
    }
  };
}
