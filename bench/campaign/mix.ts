/**
 * The request mix of the load and soak runs: formats (XML, JSON, V3 → JSON), actions, valid and
 * invalid signatures, each request signed afresh (new nonce and timestamp), each with the statuses
 * it may be answered with.
 */
import { randomUUID } from 'node:crypto';
import { call, toRawRequest, type HostileRequest } from '../../test/hostile/case.js';

/** One kind of request in the mix. */
export interface RequestKind {
  readonly name: string;
  /** Relative frequency. */
  readonly weight: number;
  /** Statuses a correct service may answer with. */
  readonly statuses: readonly number[];
  /** Whether it carries a valid signature (a fresh nonce the service must remember). */
  readonly signed: boolean;
  build(): HostileRequest;
}

const REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const format = () => pick(['JSON', 'XML']);

export const MIX: readonly RequestKind[] = [
  { name: 'DescribeRegions V1 JSON', weight: 15, statuses: [200], signed: true, build: () => ({ query: call('DescribeRegions', ['Format', 'JSON']), sign: { version: 'V1' } }) },
  { name: 'DescribeRegions V1 XML', weight: 15, statuses: [200], signed: true, build: () => ({ query: call('DescribeRegions', ['Format', 'XML']), sign: { version: 'V1' } }) },
  { name: 'DescribeRegions V3', weight: 10, statuses: [200], signed: true, build: () => ({ query: call('DescribeRegions'), sign: { version: 'V3' } }) },
  {
    name: 'DescribeInstances V1',
    weight: 15,
    statuses: [200],
    signed: true,
    build: () => ({ query: call('DescribeInstances', ['RegionId', pick(REGIONS)], ['PageSize', '10'], ['Format', format()]), sign: { version: 'V1' } }),
  },
  {
    name: 'CreateInstance V1 POST + ClientToken',
    weight: 3,
    // 403 QuotaExceed.Instance once a region holds its 1000 instances.
    statuses: [200, 403],
    signed: true,
    build: () => ({
      method: 'POST',
      query: call('CreateInstance', ['Format', format()]),
      form: [['RegionId', pick(REGIONS)], ['InstanceType', 'ecs.g7.large'], ['ClientToken', randomUUID()], ['Tag.1.Key', 'load'], ['Tag.1.Value', '<&]]>']],
      sign: { version: 'V1' },
    }),
  },
  { name: 'StartInstance unknown id', weight: 5, statuses: [404], signed: true, build: () => ({ query: call('StartInstance', ['InstanceId', 'i-missing'], ['Format', format()]), sign: { version: 'V1' } }) },
  { name: 'invalid parameter', weight: 5, statuses: [400], signed: true, build: () => ({ query: call('DescribeInstances', ['RegionId', 'cn-hangzhou'], ['PageSize', '0'], ['Format', format()]), sign: { version: 'V1' } }) },
  { name: 'unknown Action', weight: 4, statuses: [403], signed: true, build: () => ({ query: call('DescribeNothing', ['Format', format()]), sign: { version: 'V1' } }) },
  { name: 'wrong V1 signature', weight: 10, statuses: [400], signed: false, build: () => ({ query: call('DescribeRegions', ['Format', format()]), sign: { version: 'V1', secret: 'wrong' } }) },
  { name: 'wrong V3 signature', weight: 5, statuses: [400], signed: false, build: () => ({ query: call('DescribeRegions'), sign: { version: 'V3', secret: 'wrong' } }) },
  { name: 'expired timestamp', weight: 3, statuses: [400], signed: false, build: () => ({ query: call('DescribeRegions'), sign: { version: 'V1', timestamp: '2020-01-01T00:00:00Z' } }) },
  { name: 'unsigned', weight: 5, statuses: [400], signed: false, build: () => ({ query: call('DescribeRegions', ['Format', format()]) }) },
  { name: 'malformed percent-encoding', weight: 5, statuses: [400], signed: false, build: () => ({ query: { raw: 'Action=DescribeRegions&Version=%ZZ' } }) },
];

const TOTAL_WEIGHT = MIX.reduce((sum, kind) => sum + kind.weight, 0);

/**
 * A kind drawn by weight.
 *
 * @example
 * const kind = drawKind();
 */
export function drawKind(): RequestKind {
  let at = Math.random() * TOTAL_WEIGHT;
  for (const kind of MIX) {
    at -= kind.weight;
    if (at < 0) return kind;
  }
  return MIX[MIX.length - 1] as RequestKind;
}

/** A request as autocannon takes it. */
export interface CannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/**
 * Build and sign one request of `kind` for 127.0.0.1:`port`.
 *
 * @example
 * const request = cannonRequest(drawKind(), port);
 */
export function cannonRequest(kind: RequestKind, port: number): CannonRequest {
  const raw = toRawRequest(kind.build(), port);
  const headers: Record<string, string> = { host: `127.0.0.1:${port}` };
  for (const [name, value] of raw.headers) headers[name] = value;
  return { method: raw.method, path: raw.target, headers, ...(raw.body === undefined ? {} : { body: raw.body }) };
}
