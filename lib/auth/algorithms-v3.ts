/**
 * The V3 signature algorithms this server can verify and their hash functions (docs/protocol.md §5.2 step 7).
 */
import { getHashes } from 'node:crypto';
import { digest, hmac } from './digests.js';

/** Algorithm names that may appear at the start of an `Authorization` header. */
export type V3Algorithm = 'ACS3-HMAC-SHA256' | 'ACS3-HMAC-SM3';

const HASH_OF: Readonly<Record<V3Algorithm, string>> = {
  'ACS3-HMAC-SHA256': 'sha256',
  'ACS3-HMAC-SM3': 'sm3',
};

const available = new Set(getHashes());

/**
 * Whether this Node build can verify `name`. `ACS3-HMAC-SHA256` always; `ACS3-HMAC-SM3` only when the
 * linked OpenSSL offers `sm3`; `ACS3-RSA-SHA256` and anything else never (it would need the client's
 * public key, which this library does not manage).
 *
 * @example
 * isSupportedV3Algorithm('ACS3-HMAC-SHA256'); // true
 * isSupportedV3Algorithm('ACS3-RSA-SHA256');  // false
 */
export function isSupportedV3Algorithm(name: string): name is V3Algorithm {
  if (name === 'ACS3-HMAC-SHA256') return true;
  if (name === 'ACS3-HMAC-SM3') return available.has('sm3');
  return false;
}

/**
 * The algorithms {@link isSupportedV3Algorithm} accepts on this Node build.
 *
 * @example
 * supportedV3Algorithms(); // ['ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3'] when OpenSSL has SM3
 */
export function supportedV3Algorithms(): V3Algorithm[] {
  return (Object.keys(HASH_OF) as V3Algorithm[]).filter((name) => isSupportedV3Algorithm(name));
}

/**
 * Lower-case hex digest of `data` with the algorithm's hash (SHA-256 or SM3).
 *
 * @example
 * hashHexV3(Buffer.alloc(0)); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export function hashHexV3(data: Buffer | string, algorithm: V3Algorithm = 'ACS3-HMAC-SHA256'): string {
  return digest(HASH_OF[algorithm], data, 'hex');
}

/**
 * Lower-case hex HMAC of `data` keyed with `key` (the raw AccessKeySecret for V3, no `&`).
 *
 * @example
 * hmacHexV3('YourAccessKeySecret', 'ACS3-HMAC-SHA256\n7ea0…'); // '06563a9e…'
 */
export function hmacHexV3(key: string, data: string, algorithm: V3Algorithm = 'ACS3-HMAC-SHA256'): string {
  return hmac(HASH_OF[algorithm], key, data, 'hex');
}
