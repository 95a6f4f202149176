/**
 * Call every operation of the CS-like ROA example with the generated client `@alicloud/cs20151215`
 * (Signature V3, its default) and pop-core's `ROAClient` (ROA Signature V1), unmodified. Run by
 * `npm run example:client` after the ECS tour (examples/ecs/client.ts), against the same service.
 */
import { randomUUID } from 'node:crypto';
import PopCore from '@alicloud/pop-core';
import CsClient, * as $CS from '@alicloud/cs20151215';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { CS_VERSION } from './api.js';

/** The subset of pop-core's ROAClient used here. */
interface RoaClient {
  request(method: string, path: string, query?: Record<string, string>, body?: string, headers?: Record<string, string>): Promise<Record<string, unknown>>;
}

/**
 * Tour the CS example; resolves `true` when everything went as expected.
 *
 * @example
 * await csTour('http://127.0.0.1:3000', { accessKeyId: 'testid', secret: 'testsecret' }, console.log);
 */
export async function csTour(endpoint: string, key: { accessKeyId: string; secret: string }, print: (line: string) => void): Promise<boolean> {
  const Ctor = CsClient as unknown as new (config: $OpenApiUtil.Config) => CsClient;
  const url = new URL(endpoint);
  const cs = new Ctor(new $OpenApiUtil.Config({ accessKeyId: key.accessKeyId, accessKeySecret: key.secret, endpoint: url.host, protocol: url.protocol.replace(':', '') }));
  const ROAClient = (PopCore as unknown as { ROAClient: new (config: object) => RoaClient }).ROAClient;
  const roa = new ROAClient({ endpoint, apiVersion: CS_VERSION, accessKeyId: key.accessKeyId, accessKeySecret: key.secret });
  let ok = true;

  async function step<T>(title: string, run: () => Promise<T>, expect?: string): Promise<T | undefined> {
    try {
      const result = await run();
      print(`${title}\n  → ${JSON.stringify(result)}`);
      if (expect !== undefined) {
        ok = false;
        print(`  !! expected ${expect}`);
      }
      return result;
    } catch (err) {
      const e = err as { code?: string; message: string };
      print(`${title}\n  → ${e.code ?? 'Error'}: ${e.message}`);
      if (e.code !== expect) ok = false;
      return undefined;
    }
  }

  const created = await step('CS CreateCluster (cs20151215, V3)', async () =>
    (await cs.createCluster(new $CS.CreateClusterRequest({ name: 'demo', regionId: 'cn-hangzhou', clusterType: 'ManagedKubernetes', tags: [new $CS.Tag({ key: 'env', value: 'demo' })] }))).body,
  );
  const clusterId = created?.clusterId;
  if (clusterId === undefined) return false;
  await step(`CS DescribeClusterDetail ${clusterId}`, async () => (await cs.describeClusterDetail(clusterId)).body);
  await step('CS DescribeClustersV1 name=demo', async () => (await cs.describeClustersV1(new $CS.DescribeClustersV1Request({ name: 'demo', pageSize: 10 }))).body);
  const body = JSON.stringify({ name: 'demo-2', region_id: 'cn-hangzhou', cluster_type: 'Kubernetes', client_token: randomUUID() });
  const viaPop = await step('CS POST /clusters with client_token (pop-core ROAClient, acs V1)', () => roa.request('POST', '/clusters', {}, body, { 'content-type': 'application/json' }));
  const again = await step('  … the same request again (same cluster_id, nothing new created)', () => roa.request('POST', '/clusters', {}, body, { 'content-type': 'application/json' }));
  if (viaPop?.cluster_id === undefined || again?.cluster_id !== viaPop.cluster_id) ok = false;
  await step('CS GET /clusters (pop-core ROAClient)', () => roa.request('GET', '/clusters'));
  await step(`CS DeleteCluster ${clusterId}`, async () => (await cs.deleteCluster(clusterId, new $CS.DeleteClusterRequest({}))).body);
  if (typeof viaPop?.cluster_id === 'string') await step('CS DeleteCluster (the ClientToken one)', async () => (await cs.deleteCluster(String(viaPop.cluster_id), new $CS.DeleteClusterRequest({}))).body);
  await step(`CS DescribeClusterDetail ${clusterId} after deletion`, async () => (await cs.describeClusterDetail(clusterId)).body, 'ErrorClusterNotFound');
  return ok;
}
