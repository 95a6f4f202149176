/**
 * Who a throttling counter belongs to: the caller's AccessKeyId, or the client address for
 * anonymous requests; and the keys of its counters, which carry the identity as a Redis Cluster
 * hash tag so that every key of one caller (its counters and its nonces) lives in one slot.
 */
import { hashTag } from '../stores/hash-tag.js';
import type { RpcRequest, ThrottleKey } from '../rpc/pipeline.js';

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
 * The key of the counter of `identity` for one Action: `{<identity>}:<Action>`.
 *
 * @example
 * actionCounterKey('RunInstances', 'ak:my-ak'); // '{ak:my-ak}:RunInstances'
 */
export function actionCounterKey(action: string, identity: string): string {
  return `${hashTag(identity)}:${action}`;
}

/**
 * The key of the counter of `identity` across every Action: `{<identity>}`.
 *
 * @example
 * callerCounterKey('ak:my-ak'); // '{ak:my-ak}'
 */
export function callerCounterKey(identity: string): string {
  return hashTag(identity);
}
