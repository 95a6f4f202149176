/**
 * The hash and HMAC primitives of the signature checks, made cheap for the per-request path:
 * one-shot hashing (`crypto.hash`, Node >= 20.12; a `createHash` object otherwise) and HMAC as two
 * one-shot hashes over pads prepared once per secret (RFC 2104), which spares creating an `Hmac` object
 * (and OpenSSL's per-call algorithm lookup) on every request. The hashes are Node's own.
 */
import * as crypto from 'node:crypto';

/** Output encodings used by the signatures. */
export type DigestEncoding = 'hex' | 'base64' | 'base64url';

type OneShotHash = (algorithm: string, data: string | Buffer, encoding: DigestEncoding | 'latin1') => string;
/** `crypto.hash` is several times cheaper than a `createHash` object for small inputs (Node >= 20.12). */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/**
 * The digest of `data` (a string is hashed as its UTF-8 bytes, like `Hash#update`).
 *
 * @example
 * digest('sha256', '', 'hex'); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export const digest: (algorithm: string, data: string | Buffer, encoding: DigestEncoding) => string =
  typeof oneShot === 'function'
    ? (algorithm, data, encoding) => oneShot(algorithm, data, encoding)
    : (algorithm, data, encoding) => crypto.createHash(algorithm).update(data).digest(encoding);

/** Most HMAC keys kept prepared per algorithm; the oldest is dropped beyond this (bounded memory). */
export const PREPARED_HMAC_KEYS = 256;

/**
 * Digest length in bytes of the hashes whose block is 64 bytes, the ones the signatures use. HMAC with
 * these is computed from two one-shot hashes (RFC 2104: `H((K ^ opad) || H((K ^ ipad) || data))`);
 * any other algorithm goes to `createHmac`.
 */
const BLOCK_64_DIGEST_BYTES: ReadonlyMap<string, number> = new Map([['sha1', 20], ['sha256', 32], ['sm3', 32], ['md5', 16]]);
const BLOCK = 64;

/** A secret made ready for HMAC: the padded key XOR ipad, and XOR opad with room for the inner digest. */
interface PreparedKey {
  readonly innerPad: Buffer;
  /** `K ^ opad` followed by the inner digest (written there on each use). */
  readonly outer: Buffer;
}

/**
 * Prepared keys by algorithm (at most the four of BLOCK_64_DIGEST_BYTES) then secret (a secret longer
 * than a block is first hashed with the algorithm).
 */
const preparedKeys = new Map<string, Map<string, PreparedKey>>();

function prepareKey(algorithm: string, secret: string, digestBytes: number): PreparedKey {
  let key = Buffer.from(secret, 'utf8');
  if (key.length > BLOCK) key = crypto.createHash(algorithm).update(key).digest();
  const innerPad = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK + digestBytes, 0);
  outer.fill(0x5c, 0, BLOCK);
  for (let i = 0; i < key.length; i++) {
    innerPad[i] = (key[i] as number) ^ 0x36;
    outer[i] = (key[i] as number) ^ 0x5c;
  }
  return { innerPad, outer };
}

function preparedKey(algorithm: string, secret: string, digestBytes: number): PreparedKey {
  let keys = preparedKeys.get(algorithm);
  if (keys === undefined) preparedKeys.set(algorithm, (keys = new Map()));
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= PREPARED_HMAC_KEYS) keys.delete(keys.keys().next().value as string);
    key = prepareKey(algorithm, secret, digestBytes);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Where the inner hash's input is assembled: `K ^ ipad` then the UTF-8 bytes of the data. Texts that may
 * not fit (more than {@link INNER_TEXT_MAX} UTF-16 units, at most 3 bytes each) take `createHmac`.
 */
const inner = Buffer.alloc(8192);
const INNER_TEXT_MAX = Math.floor((inner.length - BLOCK) / 3);
/** The prepared key whose `K ^ ipad` is in `inner` now (rewritten only when the key changes). */
let innerKey: PreparedKey | undefined;

/**
 * `createHmac(algorithm, secret).update(data, 'utf8').digest(encoding)`, with the key prepared once per
 * secret (at most {@link PREPARED_HMAC_KEYS} secrets are kept, in this process's memory only). For the
 * 64-byte-block hashes (SHA-1, SHA-256, SM3) it is two one-shot hashes over the prepared pads: the
 * same bytes as `createHmac`, without creating an `Hmac` object per call.
 *
 * @example
 * hmac('sha1', 'testsecret&', stringToSign, 'base64'); // the V1 signature
 */
export function hmac(algorithm: string, secret: string, data: string, encoding: DigestEncoding): string {
  const digestBytes = BLOCK_64_DIGEST_BYTES.get(algorithm);
  if (oneShot === undefined || digestBytes === undefined || data.length > INNER_TEXT_MAX) {
    return crypto.createHmac(algorithm, secret).update(data, 'utf8').digest(encoding);
  }
  const key = preparedKey(algorithm, secret, digestBytes);
  if (innerKey !== key) {
    key.innerPad.copy(inner, 0);
    innerKey = key;
  }
  const length = BLOCK + inner.write(data, BLOCK, 'utf8');
  // 'latin1': the digest's bytes one per character, written back as the same bytes
  key.outer.write(oneShot(algorithm, inner.subarray(0, length), 'latin1'), BLOCK, 'latin1');
  return oneShot(algorithm, key.outer, encoding);
}
