/**
 * The CS-like ROA example driven by the official clients, unmodified: the generated
 * `@alicloud/cs20151215` (V3 by default, and V1 `acs` with `signatureAlgorithm: 'v2'`), pop-core's
 * `ROAClient`, `@alicloud/openapi-client` and `@alicloud/openapi-core` `callApi` with `style: 'ROA'`
 * (V1 and V3), on Koa and Express: what each client's user observes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import PopCore from '@alicloud/pop-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiCoreClient, * as $Core from '@alicloud/openapi-core';
import CsClient, * as $CS from '@alicloud/cs20151215';
import { KEY, startRoaService, type Framework, type RoaService } from './support.js';

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

type Outcome = { ok: true; body: unknown } | { ok: false; code: string; status: number | undefined; message: string };

interface Caller {
  readonly name: string;
  call(method: 'GET' | 'POST' | 'DELETE', path: string, action: string, options?: { query?: Record<string, string>; body?: object; array?: boolean }): Promise<Outcome>;
}

type Key = { accessKeyId: string; secret: string };

function failure(err: unknown): Outcome {
  const e = err as { code?: unknown; statusCode?: unknown; data?: { statusCode?: unknown }; message?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.data?.statusCode === 'number' ? e.data.statusCode : undefined;
  return { ok: false, code: String(e.code), status, message: String(e.message) };
}

const ROAClient = (PopCore as unknown as { ROAClient: new (c: object) => { request(m: string, p: string, q?: object, b?: string, h?: object): Promise<unknown> } }).ROAClient;

function popCore(endpoint: string, key: Key): Caller {
  const client = new ROAClient({ endpoint, apiVersion: '2015-12-15', accessKeyId: key.accessKeyId, accessKeySecret: key.secret });
  return {
    name: 'pop-core ROAClient',
    call: (method, path, _action, o = {}) =>
      client
        .request(method, path, o.query ?? {}, o.body === undefined ? '' : JSON.stringify(o.body), o.body === undefined ? {} : { 'content-type': 'application/json' })
        .then((body) => ({ ok: true as const, body }), failure),
  };
}

type CallApiClient = { callApi(p: unknown, r: unknown, rt: unknown): Promise<{ body?: unknown }> };

function openapiClient(endpoint: string, key: Key, v1: boolean): Caller {
  const Ctor = OpenApiClient as unknown as new (c: unknown) => CallApiClient;
  const client = new Ctor(new $OpenApi.Config({ accessKeyId: key.accessKeyId, accessKeySecret: key.secret, endpoint: endpoint.replace('http://', ''), protocol: 'http', ...(v1 ? { signatureAlgorithm: 'v2' } : {}) }));
  return {
    name: `openapi-client callApi ROA ${v1 ? 'V1 (acs)' : 'V3'}`,
    call: (method, path, action, o = {}) => {
      const params = new $OpenApi.Params({ action, version: '2015-12-15', protocol: 'HTTP', pathname: path, method, authType: 'AK', style: 'ROA', reqBodyType: 'json', bodyType: o.array ? 'array' : 'json' });
      const request = new $OpenApi.OpenApiRequest({ ...(o.query ? { query: o.query } : {}), ...(o.body ? { body: o.body } : {}) });
      return client.callApi(params, request, { autoretry: false }).then((r) => ({ ok: true as const, body: r.body }), failure);
    },
  };
}

function openapiCore(endpoint: string, key: Key, v1: boolean): Caller {
  const Ctor = OpenApiCoreClient as unknown as new (c: unknown) => CallApiClient;
  const client = new Ctor(new $Core.$OpenApiUtil.Config({ accessKeyId: key.accessKeyId, accessKeySecret: key.secret, endpoint: endpoint.replace('http://', ''), protocol: 'HTTP', ...(v1 ? { signatureAlgorithm: 'v2' } : {}) }));
  return {
    name: `openapi-core callApi ROA ${v1 ? 'V1 (acs)' : 'V3'}`,
    call: (method, path, action, o = {}) => {
      const params = new $Core.$OpenApiUtil.Params({ action, version: '2015-12-15', protocol: 'HTTP', pathname: path, method, authType: 'AK', style: 'ROA', reqBodyType: 'json', bodyType: o.array ? 'array' : 'json' });
      const request = new $Core.$OpenApiUtil.OpenApiRequest({ ...(o.query ? { query: o.query } : {}), ...(o.body ? { body: o.body } : {}) });
      return client.callApi(params, request, {}).then((r) => ({ ok: true as const, body: r.body }), failure);
    },
  };
}

const CALLERS = [
  (e: string, k: Key) => popCore(e, k),
  (e: string, k: Key) => openapiClient(e, k, true),
  (e: string, k: Key) => openapiClient(e, k, false),
  (e: string, k: Key) => openapiCore(e, k, true),
  (e: string, k: Key) => openapiCore(e, k, false),
];

function ok(outcome: Outcome, what: string): Record<string, unknown> {
  assert.ok(outcome.ok, `${what}: ${outcome.ok ? '' : `${outcome.code} ${outcome.message}`}`);
  return outcome.body as Record<string, unknown>;
}

function fails(outcome: Outcome, code: string, status: number, what: string): void {
  assert.ok(!outcome.ok, `${what}: expected ${code}, got success`);
  assert.equal(outcome.code, code, `${what}: ${outcome.message}`);
  if (outcome.status !== undefined) assert.equal(outcome.status, status, `${what}: HTTP status`);
}

const newCluster = (name: string) => ({ name, region_id: 'cn-hangzhou', cluster_type: 'ManagedKubernetes' });

for (const framework of ['koa', 'express'] as Framework[]) {
  describe(`roa/sdk: the CS example on ${framework}, through the official clients`, () => {
    let service: RoaService;
    before(async () => {
      service = await startRoaService(framework);
    });
    after(async () => {
      assert.deepEqual(service.reported, [], 'no server bugs reported');
      await service.close();
    });

    for (const make of CALLERS) {
      const probe = make('http://127.0.0.1:1', KEY).name;
      describe(probe, () => {
        let client: Caller;
        before(() => {
          client = make(service.endpoint, KEY);
        });

        it('creates a cluster from a JSON body, describes it, lists it, deletes it', async () => {
          const name = `k-${randomUUID().slice(0, 8)}`;
          const created = ok(await client.call('POST', '/clusters', 'CreateCluster', { body: newCluster(name) }), 'CreateCluster');
          assert.match(String(created.cluster_id), /^c[0-9a-f]{32}$/);
          assert.match(String(created.request_id), REQUEST_ID);
          assert.match(String(created.task_id), /^T-/);
          const id = String(created.cluster_id);
          const detail = ok(await client.call('GET', `/clusters/${id}`, 'DescribeClusterDetail'), 'DescribeClusterDetail');
          assert.equal(detail.name, name);
          assert.equal(detail.state, 'running');
          assert.equal(detail.region_id, 'cn-hangzhou');
          assert.equal('RequestId' in detail || 'request_id' in detail, false, 'no RequestId in DescribeClusterDetail data');
          const list = await client.call('GET', '/clusters', 'DescribeClusters', { array: true });
          assert.ok(list.ok, 'DescribeClusters');
          assert.ok(Array.isArray(list.body) && (list.body as Array<{ cluster_id: string }>).some((c) => c.cluster_id === id));
          const page = ok(await client.call('GET', '/api/v1/clusters', 'DescribeClustersV1', { query: { name, page_size: '5' } }), 'DescribeClustersV1');
          assert.deepEqual({ ...(page.page_info as object) }, { page_number: 1, page_size: 5, total_count: 1 }); // pop-core's json-bigint gives null-prototype objects
          const deleted = ok(await client.call('DELETE', `/clusters/${id}`, 'DeleteCluster', { query: { retain_all_resources: 'false' } }), 'DeleteCluster');
          assert.equal(deleted.cluster_id, id);
          fails(await client.call('GET', `/clusters/${id}`, 'DescribeClusterDetail'), 'ErrorClusterNotFound', 404, 'after delete');
        });

        it('answers ErrorClusterNotFound 404 for an unknown cluster', async () => {
          fails(await client.call('GET', '/clusters/c-none', 'DescribeClusterDetail'), 'ErrorClusterNotFound', 404, 'unknown cluster');
        });

        it('refuses a missing required body field with MissingParameter', async () => {
          const outcome = await client.call('POST', '/clusters', 'CreateCluster', { body: { name: 'x', cluster_type: 'Kubernetes' } });
          fails(outcome, 'MissingParameter', 400, 'no region_id');
          assert.match(outcome.ok ? '' : outcome.message, /region_id/);
        });

        it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
          const wrong = make(service.endpoint, { accessKeyId: KEY.accessKeyId, secret: 'not-the-secret' });
          fails(await wrong.call('GET', '/clusters/c-none', 'DescribeClusterDetail'), 'SignatureDoesNotMatch', 400, 'wrong secret');
        });

        it('runs CreateCluster once per client_token and refuses the token with other parameters', async () => {
          const token = randomUUID();
          const body = { ...newCluster(`t-${token.slice(0, 6)}`), client_token: token };
          const first = ok(await client.call('POST', '/clusters', 'CreateCluster', { body }), 'first');
          const retry = ok(await client.call('POST', '/clusters', 'CreateCluster', { body }), 'retry');
          assert.equal(retry.cluster_id, first.cluster_id);
          fails(await client.call('POST', '/clusters', 'CreateCluster', { body: { ...body, name: 'other' } }), 'IdempotentParameterMismatch', 400, 'changed body');
        });
      });
    }

    describe('@alicloud/cs20151215 (the generated client)', () => {
      for (const signatureAlgorithm of [undefined, 'v2'] as const) {
        it(`calls every operation unchanged (${signatureAlgorithm === undefined ? 'V3, the default' : 'V1 acs, signatureAlgorithm v2'})`, async () => {
          const Ctor = CsClient as unknown as new (c: unknown) => InstanceType<typeof CsClient>;
          const cs = new Ctor(new $Core.$OpenApiUtil.Config({ accessKeyId: KEY.accessKeyId, accessKeySecret: KEY.secret, endpoint: service.endpoint.replace('http://', ''), protocol: 'http', ...(signatureAlgorithm ? { signatureAlgorithm } : {}) }));
          const name = `gen-${randomUUID().slice(0, 8)}`;
          const created = await cs.createCluster(new $CS.CreateClusterRequest({ name, regionId: 'cn-beijing', clusterType: 'Kubernetes', vswitchIds: ['vsw-1'], tags: [new $CS.Tag({ key: 'env', value: 'test' })] }));
          assert.equal(created.statusCode, 200);
          assert.match(String(created.body?.requestId), REQUEST_ID);
          assert.equal(created.body?.requestId, created.headers?.['x-acs-request-id']);
          const id = String(created.body?.clusterId);
          const detail = await cs.describeClusterDetail(id);
          assert.equal(detail.body?.name, name);
          assert.deepEqual(detail.body?.vswitchIds, ['vsw-1']);
          assert.deepEqual(detail.body?.tags?.map((t) => [t.key, t.value]), [['env', 'test']]);
          const page = await cs.describeClustersV1(new $CS.DescribeClustersV1Request({ name, pageSize: 5 }));
          assert.equal(page.body?.pageInfo?.totalCount, 1);
          assert.equal(page.body?.clusters?.[0]?.clusterId, id);
          const list = await cs.describeClusters(new $CS.DescribeClustersRequest({ name }));
          assert.deepEqual(list.body?.map((c) => c.clusterId), [id]);
          const deleted = await cs.deleteCluster(id, new $CS.DeleteClusterRequest({ retainAllResources: false }));
          assert.equal(deleted.body?.clusterId, id);
          await assert.rejects(cs.describeClusterDetail(id), (err: { code?: string; statusCode?: number }) => err.code === 'ErrorClusterNotFound' && err.statusCode === 404);
        });
      }
    });
  });
}
