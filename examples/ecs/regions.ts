/**
 * The regions this example serves. Every action that takes a `RegionId` checks it here, so an
 * unknown one is `InvalidRegionId.NotFound` everywhere.
 */
import { InvalidRegionIdNotFound } from './errors.js';

/** One region, as DescribeRegions returns it. */
export interface Region {
  readonly RegionId: string;
  readonly LocalName: string;
  readonly RegionEndpoint: string;
}

/** The served regions, in the order DescribeRegions lists them. */
export const REGIONS: readonly Region[] = Object.freeze([
  { RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）', RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com' },
  { RegionId: 'cn-shanghai', LocalName: '华东2（上海）', RegionEndpoint: 'ecs.cn-shanghai.aliyuncs.com' },
  { RegionId: 'cn-beijing', LocalName: '华北2（北京）', RegionEndpoint: 'ecs.cn-beijing.aliyuncs.com' },
  { RegionId: 'ap-southeast-1', LocalName: '新加坡', RegionEndpoint: 'ecs.ap-southeast-1.aliyuncs.com' },
]);

const REGION_IDS = new Set(REGIONS.map((region) => region.RegionId));

/**
 * The RegionId itself when it is served; otherwise throws `InvalidRegionId.NotFound` (404).
 *
 * @example
 * const regionId = servedRegion(params.RegionId); // throws for 'mars-1'
 */
export function servedRegion(regionId: string): string {
  if (!REGION_IDS.has(regionId)) throw new InvalidRegionIdNotFound();
  return regionId;
}
