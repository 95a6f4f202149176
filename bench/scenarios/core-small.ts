/**
 * Core envelope, small payload: a DescribeRegions-like answer (2 regions, about 330 bytes).
 */
import { defineScenario } from '../lib/scenario.js';
import { coreContestants } from '../lib/core-contestants.js';
import { describeRegionsData } from '../lib/payloads.js';

export const scenario = defineScenario({
  title: 'Core envelope, small payload (DescribeRegions, 2 regions): bare Koa JSON vs envelope() JSON and XML',
  baseline: 'koa-json',
  contestants: coreContestants('DescribeRegions', describeRegionsData, '<RegionId>cn-hangzhou</RegionId>'),
  targets: [
    { contestant: 'envelope-json', minRatio: 0.95, source: 'issue 11' },
    { contestant: 'envelope-xml', minRatio: 0.75, source: 'issue 2' },
  ],
});
