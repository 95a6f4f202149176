/**
 * The DescribeInstances-like declaration and request shared by the RPC dispatch scenario
 * (bench/scenarios/rpc-dispatch.ts) and the in-process hot-path benchmark (bench/hotpath.ts):
 * a subset of the real ECS declaration with the same shapes, and a request with a 10-item repeat
 * list and 5 tags.
 */
import type { p as P } from '../../lib/rpc/params/index.js';

/** The API version both use. */
export const DESCRIBE_INSTANCES_VERSION = '2014-05-26';

/**
 * An ECS DescribeInstances-like declaration (a subset of the real one, same shapes), built with `p`
 * (the built package's for the HTTP scenario, the sources' for the in-process bench).
 */
export function describeInstancesDeclaration(p: typeof P) {
  return {
    RegionId: p.string({ required: true, maxLength: 64 }),
    VpcId: p.string({ maxLength: 64 }),
    ZoneId: p.string({ maxLength: 64 }),
    InstanceId: p.list(p.string({ pattern: /^i-[a-z0-9]+$/ }), { maxItems: 100 }),
    Status: p.enum(['Pending', 'Running', 'Starting', 'Stopping', 'Stopped']),
    InstanceChargeType: p.enum(['PrePaid', 'PostPaid']),
    Tag: p.list(p.struct({ Key: p.string({ required: true, maxLength: 128 }), Value: p.string({ maxLength: 128 }) }), { maxItems: 20 }),
    PageNumber: p.integer({ min: 1, default: 1 }),
    PageSize: p.integer({ min: 1, max: 100, default: 10 }),
    DryRun: p.boolean({ default: false }),
    OwnerId: p.long(),
  };
}

/** The request's decoded name/value pairs, common parameters included. */
export function describeInstancesPairs(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [
    ['Action', 'DescribeInstances'],
    ['Version', DESCRIBE_INSTANCES_VERSION],
    ['Format', 'JSON'],
    ['RegionId', 'cn-hangzhou'],
    ['VpcId', 'vpc-bp1opxu1zkhn00gzv26cq'],
    ['Status', 'Running'],
    ['PageSize', '10'],
    ['DryRun', 'false'],
  ];
  for (let i = 1; i <= 10; i++) pairs.push([`InstanceId.${i}`, `i-bp67acfmxazb4p${String(i).padStart(4, '0')}`]);
  for (let i = 1; i <= 5; i++) pairs.push([`Tag.${i}.Key`, `key-${i}`], [`Tag.${i}.Value`, `value ${i}`]);
  return pairs;
}
