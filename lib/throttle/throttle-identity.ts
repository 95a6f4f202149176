/**
 * Who a throttling counter belongs to: the caller's AccessKeyId, or the client address for
 * anonymous requests, combined with the Action.
 */
import { createHash } from 'node:crypto';
import type { RpcRequest, ThrottleKey } from '../rpc/pipeline.js';

/** Identities longer than this are hashed, so a forwarded address cannot make a key arbitrarily long. */
const MAX_PLAIN_IDENTITY = 128;

/**
 * The default identity: `ak:<AccessKeyId>` for an authenticated caller, `ip:<address>` otherwise.
 *
 * @example
 * defaultIdentity(request, { caller: { accessKeyId: 'ak1', signatureVersion: 'V1' }, action: 'RunInstances' }); // 'ak:ak1'
 * defaultIdentity(request, { caller: undefined, action: 'DescribeRegions' });                                 // 'ip:127.0.0.1'
 */
export function defaultIdentity(request: RpcRequest, key: ThrottleKey): string {
  return key.caller === undefined ? `ip:${request.clientIp}` : `ak:${key.caller.accessKeyId}`;
}

/**
 * The counter key of `identity` for `action`: `<Action>:<identity>`. Action names have no `:`, so
 * the split is unambiguous; long identities become `#` + base64url(SHA-256).
 *
 * @example
 * counterKey('RunInstances', 'ak:my-ak'); // 'RunInstances:ak:my-ak'
 */
export function counterKey(action: string, identity: string): string {
  const id = identity.length <= MAX_PLAIN_IDENTITY ? identity : `#${createHash('sha256').update(identity, 'utf8').digest('base64url')}`;
  return `${action}:${id}`;
}
