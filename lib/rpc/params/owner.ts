/**
 * The hidden owner parameters of ECS/RDS-style APIs (`OwnerId`, `OwnerAccount`, `ResourceOwnerId`,
 * `ResourceOwnerAccount`, docs/protocol.md §3.1). Aliyun refuses `OwnerId` together with
 * `OwnerAccount` (seed: InvalidOwner, "OwnerId and OwnerAccount can't be used at one API access").
 */
import type { FlatParams } from './spec.js';

/** The owner parameter names. */
export const OWNER_PARAMETERS: readonly string[] = Object.freeze(['OwnerId', 'OwnerAccount', 'ResourceOwnerId', 'ResourceOwnerAccount']);

function isSent(flat: FlatParams, name: string): boolean {
  if (!Object.prototype.hasOwnProperty.call(flat, name)) return false;
  const value = flat[name];
  return typeof value === 'string' ? value !== '' : value !== undefined && value.length > 0;
}

/**
 * True when both `OwnerId` and `OwnerAccount` are sent with a non-empty value (an empty value counts
 * as not sent). The caller maps `true` to `InvalidOwner`.
 *
 * @example
 * hasOwnerIdAndOwnerAccount({ OwnerId: '123', OwnerAccount: 'a@b' }); // true
 * hasOwnerIdAndOwnerAccount({ OwnerId: '123' });                      // false
 */
export function hasOwnerIdAndOwnerAccount(flat: FlatParams): boolean {
  return isSent(flat, 'OwnerId') && isSent(flat, 'OwnerAccount');
}
