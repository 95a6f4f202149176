/**
 * The hash and HMAC primitives of the signature checks, made cheap for the per-request path:
 * one-shot hashing (`crypto.hash`, Node >= 20.12; a `createHash` object otherwise) and HMAC keys
 * prepared once per secret (a `KeyObject`), which spares `createHmac` converting the secret on every
 * request. The digests are Node's own; only the set-up work is saved.
 */
import * as crypto from 'node:crypto';

/** Output encodings used by the signatures. */
export type DigestEncoding = 'hex' | 'base64' | 'base64url';

type OneShotHash = (algorithm: string, data: string | Buffer, encoding: DigestEncoding) => string;
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

/** Most HMAC keys kept prepared; the oldest is dropped beyond this (bounded memory). */
export const PREPARED_HMAC_KEYS = 256;

const preparedKeys = new Map<string, crypto.KeyObject>();

/** The secret as a prepared HMAC key (the same key bytes `createHmac` derives from the string: UTF-8). */
function preparedKey(secret: string): crypto.KeyObject {
  let key = preparedKeys.get(secret);
  if (key === undefined) {
    if (preparedKeys.size >= PREPARED_HMAC_KEYS) preparedKeys.delete(preparedKeys.keys().next().value as string);
    key = crypto.createSecretKey(Buffer.from(secret, 'utf8'));
    preparedKeys.set(secret, key);
  }
  return key;
}

/**
 * `createHmac(algorithm, secret).update(data, 'utf8').digest(encoding)`, with the key prepared once per
 * secret (at most {@link PREPARED_HMAC_KEYS} secrets are kept, in this process's memory only).
 *
 * @example
 * hmac('sha1', 'testsecret&', stringToSign, 'base64'); // the V1 signature
 */
export function hmac(algorithm: string, secret: string, data: string, encoding: DigestEncoding): string {
  return crypto.createHmac(algorithm, preparedKey(secret)).update(data, 'utf8').digest(encoding);
}
