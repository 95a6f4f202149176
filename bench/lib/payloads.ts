/**
 * Response data used by the benchmarks: deterministic, shaped like real ECS answers.
 *
 * Each payload comes twice: `data` is what a handler behind `envelope()` sets as `ctx.body`, and
 * `bareBody` is what a bare Koa handler sets: the same data with a constant `RequestId` of the same
 * length first, so both contestants send the same number of bytes and only the envelope's own work
 * (a fresh RequestId, format choice, rendering) differs.
 */

/** A RequestId-shaped constant for the bare contestants (36 characters, like a UUID). */
export const CONSTANT_REQUEST_ID = '4C467B38-3910-447D-87BC-AC049166F216';

/** One tag on a resource. */
export interface Tag {
  TagKey: string;
  TagValue: string;
}

/** A DescribeRegions-like body with two regions: about 300 bytes as JSON. */
export function describeRegionsData(): { Regions: { Region: Array<Record<string, string>> } } {
  return {
    Regions: {
      Region: [
        { RegionId: 'cn-hangzhou', RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com', LocalName: '华东1（杭州）', Status: 'available' },
        { RegionId: 'cn-shanghai', RegionEndpoint: 'ecs.cn-shanghai.aliyuncs.com', LocalName: '华东2（上海）', Status: 'available' },
      ],
    },
  };
}

const STATUSES = ['Running', 'Stopped', 'Running', 'Starting'];
const TYPES = ['ecs.g7.large', 'ecs.c7.xlarge', 'ecs.r7.2xlarge', 'ecs.t6-c1m1.large'];

/** A DescribeInstances-like instance: scalars, a nested list and 2 tags (about 360 bytes as JSON). */
function instance(i: number): Record<string, unknown> {
  const n = String(i).padStart(4, '0');
  const tags: Tag[] = [
    { TagKey: 'env', TagValue: i % 3 === 0 ? 'production' : 'staging' },
    { TagKey: 'team', TagValue: `team-${i % 7}` },
  ];
  return {
    InstanceId: `i-bp1${n}abcdefghijk`,
    InstanceName: `web-${n}`,
    ZoneId: `cn-hangzhou-${'hijk'[i % 4]}`,
    Status: STATUSES[i % STATUSES.length],
    InstanceType: TYPES[i % TYPES.length],
    Cpu: 2 << i % 3,
    Memory: 4096 << i % 3,
    CreationTime: '2024-03-01T08:00Z',
    VpcAttributes: { PrivateIpAddress: { IpAddress: [`172.16.${i >> 8}.${i & 255}`] } },
    Tags: { Tag: tags },
  };
}

/** A DescribeInstances-like page of `count` instances (200 give about 72 KB as JSON). */
export function describeInstancesData(count = 200): Record<string, unknown> {
  const instances: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) instances.push(instance(i));
  return { TotalCount: 1000, PageNumber: 1, PageSize: count, Instances: { Instance: instances } };
}

/** `data` with a constant RequestId first, as a bare handler would send it. */
export function withConstantRequestId<T extends object>(data: T): { RequestId: string } & T {
  return { RequestId: CONSTANT_REQUEST_ID, ...data };
}
