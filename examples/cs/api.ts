/**
 * A small Container-Service-like ROA API, Version 2015-12-15, on the paths and shapes the product
 * documents, so that `@alicloud/cs20151215` and pop-core's `ROAClient` call it unchanged:
 *
 * | Operation | Method and path | Answer |
 * |---|---|---|
 * | DescribeClusters | `GET /clusters` | a JSON array of clusters |
 * | DescribeClustersV1 | `GET /api/v1/clusters` | `{ clusters, page_info }` |
 * | DescribeClusterDetail | `GET /clusters/{ClusterId}` | one cluster, or `ErrorClusterNotFound` 404 |
 * | CreateCluster | `POST /clusters` (JSON body, `client_token` honoured) | `{ cluster_id, request_id, task_id }` |
 * | DeleteCluster | `DELETE /clusters/{ClusterId}` | `{ cluster_id, request_id, task_id }` |
 */
import { createRoaApi, defineError, p, type Authenticator, type IdempotencyGuard, type RoaApi, type Throttler } from '../../lib/index.js';
import { ClusterRegistry, taskId, type Cluster } from './clusters.js';

/** The API version. */
export const CS_VERSION = '2015-12-15';

/** A ClusterId that does not exist. */
export const ErrorClusterNotFound = defineError('ErrorClusterNotFound', 404, 'The specified cluster does not exist.');
/** More clusters than this example keeps. */
export const ClusterQuotaExceeded = defineError('QuotaExceeded.Cluster', 403, 'The maximum number of clusters is exceeded.');

/** Options of {@link createCsApi}: the pipeline steps (shared with the ECS API in the example service). */
export interface CsApiOptions {
  readonly clusters?: ClusterRegistry;
  readonly authenticate?: Authenticator;
  readonly throttle?: Throttler;
  readonly idempotency?: IdempotencyGuard;
  /** Largest request body, in bytes. Default 1 MiB. */
  readonly bodyLimit?: number;
}

const CLUSTER_TYPES = ['Kubernetes', 'ManagedKubernetes', 'ExternalKubernetes'] as const;

function matches(cluster: Cluster, filter: { name?: string | undefined; cluster_type?: string | undefined }): boolean {
  return (filter.name === undefined || cluster.name === filter.name) && (filter.cluster_type === undefined || cluster.cluster_type === filter.cluster_type);
}

/**
 * The CS example API.
 *
 * @example
 * app.use(envelope()).use(koaRoa(createCsApi<Koa.Context>({ authenticate })));
 */
export function createCsApi<Ctx>(options: CsApiOptions = {}): RoaApi<Ctx> {
  const registry = options.clusters ?? new ClusterRegistry();
  const api = createRoaApi<Ctx>({
    version: CS_VERSION,
    authenticate: options.authenticate,
    throttle: options.throttle,
    idempotency: options.idempotency,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  });

  api.route('GET', '/clusters', {
    action: 'DescribeClusters',
    query: { clusterType: p.string(), name: p.string({ maxLength: 128 }), resource_group_id: p.string() },
    handler: ({ query }) => registry.list().filter((c) => matches(c, { name: query.name, cluster_type: query.clusterType })),
  });

  api.route('GET', '/api/v1/clusters', {
    action: 'DescribeClustersV1',
    query: {
      cluster_id: p.string(),
      cluster_type: p.string(),
      name: p.string({ maxLength: 128 }),
      region_id: p.string(),
      page_number: p.integer({ min: 1, default: 1 }),
      page_size: p.integer({ min: 1, max: 100, default: 10 }),
    },
    handler: ({ query }) => {
      const found = registry
        .list()
        .filter((c) => matches(c, query) && (query.cluster_id === undefined || c.cluster_id === query.cluster_id) && (query.region_id === undefined || c.region_id === query.region_id));
      const start = (query.page_number - 1) * query.page_size;
      return {
        clusters: found.slice(start, start + query.page_size),
        page_info: { page_number: query.page_number, page_size: query.page_size, total_count: found.length },
      };
    },
  });

  api.route('GET', '/clusters/:ClusterId', {
    action: 'DescribeClusterDetail',
    path: { ClusterId: p.string({ required: true, maxLength: 64 }) },
    handler: ({ path }) => {
      const cluster = registry.get(path.ClusterId);
      if (cluster === undefined) throw new ErrorClusterNotFound();
      return { ...cluster };
    },
  });

  api.route('POST', '/clusters', {
    action: 'CreateCluster',
    body: {
      name: p.string({ required: true, minLength: 1, maxLength: 63 }),
      region_id: p.string({ required: true, maxLength: 64 }),
      cluster_type: p.enum(CLUSTER_TYPES, { required: true }),
      cluster_spec: p.string(),
      kubernetes_version: p.string(),
      vpcid: p.string(),
      vswitch_ids: p.list(p.string(), { maxItems: 20 }),
      tags: p.list(p.struct({ key: p.string({ maxLength: 128 }), value: p.string({ maxLength: 128 }) }), { maxItems: 20 }),
      client_token: p.string({ maxLength: 64 }),
    },
    clientToken: { in: 'body', name: 'client_token' },
    requestIdKey: 'request_id',
    handler: ({ body }) => {
      const cluster = registry.create(body);
      if (cluster === undefined) throw new ClusterQuotaExceeded();
      return { cluster_id: cluster.cluster_id, task_id: taskId() };
    },
  });

  api.route('DELETE', '/clusters/:ClusterId', {
    action: 'DeleteCluster',
    path: { ClusterId: p.string({ required: true, maxLength: 64 }) },
    query: { keep_slb: p.boolean(), retain_all_resources: p.boolean(), retain_resources: p.string(), delete_options: p.string() },
    requestIdKey: 'request_id',
    handler: ({ path }) => {
      if (!registry.delete(path.ClusterId)) throw new ErrorClusterNotFound();
      return { cluster_id: path.ClusterId, task_id: taskId() };
    },
  });

  return api;
}
