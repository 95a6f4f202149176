/**
 * Core envelope, medium payload: a DescribeInstances-like page (200 instances with tags, about 72 KB).
 */
import { defineScenario } from '../lib/scenario.js';
import { coreContestants } from '../lib/core-contestants.js';
import { describeInstancesData } from '../lib/payloads.js';

export const scenario = defineScenario({
  title: 'Core envelope, medium payload (DescribeInstances, 200 instances, ~72 KB): bare Koa JSON vs envelope() JSON and XML',
  baseline: 'koa-json',
  contestants: coreContestants('DescribeInstances', () => describeInstancesData(200), '<TagKey>team</TagKey>'),
  targets: [{ contestant: 'envelope-json', minRatio: 0.9, source: 'issue 11' }],
});
