/**
 * Micro-benchmark of parseParams on a DescribeInstances-like request (10 instance ids, 5 tags,
 * a few scalars) plus a failing request and the generic unflatten.
 *
 *   npx tsx bench/params.ts
 */
import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';
import { compileParams, p, parseParams, unflatten } from '../lib/rpc/params/index.js';

const DescribeInstances = {
  RegionId: p.string({ required: true, maxLength: 64 }),
  VpcId: p.string({ maxLength: 64 }),
  ZoneId: p.string(),
  InstanceIds: p.json(z.array(z.string()).max(100)),
  InstanceId: p.list(p.string({ pattern: /^i-[a-z0-9]+$/ }), { maxItems: 100 }),
  Status: p.enum(['Pending', 'Running', 'Starting', 'Stopping', 'Stopped']),
  InstanceChargeType: p.enum(['PrePaid', 'PostPaid']),
  Tag: p.list(p.struct({ Key: p.string({ required: true, maxLength: 128 }), Value: p.string({ maxLength: 128 }) }), { maxItems: 20 }),
  PageNumber: p.integer({ min: 1, default: 1 }),
  PageSize: p.integer({ min: 1, max: 100, default: 10 }),
  DryRun: p.boolean({ default: false }),
  OwnerId: p.long(),
  MaxResults: p.integer({ min: 1, max: 100 }),
  NextToken: p.string(),
  AdditionalAttributes: p.list(p.string(), { maxItems: 20 }),
};

const request: Record<string, string> = Object.create(null);
request.RegionId = 'cn-hangzhou';
request.VpcId = 'vpc-abc';
request.Status = 'Running';
request.PageNumber = '2';
request.PageSize = '50';
request.DryRun = 'false';
request.OwnerId = '1234567890123456';
// clients sort names lexicographically: InstanceId.1, InstanceId.10, InstanceId.2, …
const names: Array<[string, string]> = [];
for (let i = 1; i <= 10; i++) names.push([`InstanceId.${i}`, `i-bp1instance${i}`]);
for (let i = 1; i <= 5; i++) {
  names.push([`Tag.${i}.Key`, `key${i}`]);
  names.push([`Tag.${i}.Value`, `value${i}`]);
}
names.sort((a, b) => (a[0] < b[0] ? -1 : 1));
for (const [name, value] of names) request[name] = value;

const failing: Record<string, string> = { ...request, 'Tag.3.Key': 'x'.repeat(200) };

const compiled = compileParams(DescribeInstances);

/**
 * Runs `fn` for about 1.5 s and returns operations per CPU-second of this process (user + system
 * time, so other processes on a shared machine distort it less than wall-clock time would).
 */
function measure(label: string, fn: () => unknown): number {
  for (let i = 0; i < 20_000; i++) fn(); // warm-up
  let ops = 0;
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  while (Number(process.hrtime.bigint() - wallStart) < 1.5e9) {
    for (let i = 0; i < 1000; i++) fn();
    ops += 1000;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMicros = cpu.user + cpu.system;
  const perSecond = Math.round((ops / cpuMicros) * 1e6);
  console.log(`${label.padEnd(52)} ${perSecond.toLocaleString('en-US').padStart(12)} ops/s  ${(cpuMicros / ops).toFixed(2).padStart(7)} µs/op`);
  return perSecond;
}

const check = parseParams(compiled, request);
if (!check.ok) throw new Error(`benchmark request does not parse: ${JSON.stringify(check.issue)}`);
const checkFail = parseParams(compiled, failing);
if (checkFail.ok || checkFail.issue.name !== 'Tag.3.Key') throw new Error('failing request should name Tag.3.Key');

// Baseline: decoding the same parameters from their urlencoded wire form, which every request pays
// anyway. The ratio below is steadier than absolute figures on a shared machine.
const wire = Object.entries(request)
  .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
  .join('&');

console.log(`node ${process.version}, ${Object.keys(request).length} wire parameters`);
const baseline = measure('baseline: querystring.parse of the same request', () => parseQuery(wire));
const parsed = measure('parseParams DescribeInstances (10 ids, 5 tags) ok', () => parseParams(compiled, request));
measure('parseParams same, strict mode', () => parseParams(compiled, request, { strict: true }));
measure('parseParams same, invalid Tag.3.Key', () => parseParams(compiled, failing));
measure('unflatten (generic, no declaration)', () => unflatten(request));
console.log(`parseParams costs ${(baseline / parsed).toFixed(2)}× a querystring.parse of the same request`);
