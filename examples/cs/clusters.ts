/**
 * The clusters of the Container-Service-like example, kept in this process's memory (bounded).
 * Shapes follow the product's documented response fields (snake_case, as `@alicloud/cs20151215` reads them).
 */
import { randomUUID } from 'node:crypto';

/** One cluster as DescribeClusterDetail returns it. */
export interface Cluster {
  cluster_id: string;
  name: string;
  region_id: string;
  cluster_type: string;
  cluster_spec: string;
  current_version: string;
  state: 'running' | 'deleting';
  size: number;
  vpc_id: string;
  vswitch_ids: string[];
  tags: Array<{ key: string; value: string }>;
  created: string;
  updated: string;
}

/** What CreateCluster needs. */
export interface NewCluster {
  readonly name: string;
  readonly region_id: string;
  readonly cluster_type: string;
  readonly cluster_spec?: string | undefined;
  readonly kubernetes_version?: string | undefined;
  readonly vpcid?: string | undefined;
  readonly vswitch_ids?: string[] | undefined;
  readonly tags?: Array<{ key?: string | undefined; value?: string | undefined }> | undefined;
}

/** Most clusters kept (memory is bounded). */
export const MAX_CLUSTERS = 1000;

/** A small in-memory cluster registry. */
export class ClusterRegistry {
  private readonly clusters = new Map<string, Cluster>();

  /** Every cluster, oldest first. */
  list(): Cluster[] {
    return [...this.clusters.values()];
  }

  /** One cluster, or undefined. */
  get(id: string): Cluster | undefined {
    return this.clusters.get(id);
  }

  /** Create a running cluster; undefined when the registry is full. */
  create(spec: NewCluster, now = new Date()): Cluster | undefined {
    if (this.clusters.size >= MAX_CLUSTERS) return undefined;
    const stamp = now.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const cluster: Cluster = {
      cluster_id: `c${randomUUID().replace(/-/g, '').slice(0, 32)}`,
      name: spec.name,
      region_id: spec.region_id,
      cluster_type: spec.cluster_type,
      cluster_spec: spec.cluster_spec ?? 'ack.pro.small',
      current_version: spec.kubernetes_version ?? '1.31.1-aliyun.1',
      state: 'running',
      size: 0,
      vpc_id: spec.vpcid ?? 'vpc-example',
      vswitch_ids: spec.vswitch_ids ?? [],
      tags: (spec.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
      created: stamp,
      updated: stamp,
    };
    this.clusters.set(cluster.cluster_id, cluster);
    return cluster;
  }

  /** Remove a cluster; false when it does not exist. */
  delete(id: string): boolean {
    return this.clusters.delete(id);
  }
}

/** A task id as CS returns for asynchronous operations. */
export function taskId(): string {
  return `T-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}
