/**
 * Store keys and parameter digests for ClientTokens: fixed-length SHA-256 digests, so that neither
 * a long AccessKeyId nor the business parameters make an entry large, and no separator can be
 * forged.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '../rpc/pipeline.js';

/**
 * The store key of (caller, Action, ClientToken): `prefix + base64url(SHA-256(...))`. Anonymous
 * callers share one namespace per Action.
 *
 * @example
 * tokenKey('ct:', { accessKeyId: 'ak', signatureVersion: 'V1' }, 'RunInstances', 'token-1'); // 'ct:' + 43 characters
 */
export function tokenKey(prefix: string, caller: Caller | undefined, action: string, clientToken: string): string {
  // The AccessKeyId is length-prefixed; Action names and ClientTokens contain no newline.
  const who = caller === undefined ? 'anonymous' : `ak:${caller.accessKeyId.length}:${caller.accessKeyId}`;
  return prefix + createHash('sha256').update(`${who}\n${action}\n${clientToken}`, 'utf8').digest('base64url');
}

/**
 * The digest of a call's business parameters (`IdempotentCall.fingerprint`), stored with the token
 * and compared on every retry.
 *
 * @example
 * fingerprintDigest('[["RegionId","cn-hangzhou"]]'); // 43 base64url characters
 */
export function fingerprintDigest(fingerprint: string): string {
  return createHash('sha256').update(fingerprint, 'utf8').digest('base64url');
}
