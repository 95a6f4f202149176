/**
 * Where instances live: the `InstanceRepository` the handlers use, kept in this process's memory
 * (`MemoryInstanceRepository`, the default) or in Redis (`RedisInstanceRepository`, when `REDIS_URL`
 * is set), so that several processes of the service share them.
 *
 * Status changes are atomic check-and-set operations ("if Stopped, make it Running"): of two
 * requests racing to start (or delete) the same instance, in one process or in two, exactly one
 * succeeds and the other sees the new status.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { InstanceQuotaExceeded } from './errors.js';
import { errors } from './middleware.js';

/** The statuses of this example's instances (real ECS also has Pending, Starting, Stopping). */
export type InstanceStatus = 'Running' | 'Stopped';

/** One tag of an instance; `Value` is `''` when none was given. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** An instance as the repository returns it. */
export interface Instance {
  readonly InstanceId: string;
  readonly InstanceName: string;
  readonly InstanceType: string;
  readonly RegionId: string;
  readonly Status: InstanceStatus;
  /** Rendered by the envelope as `YYYY-MM-DDThh:mm:ssZ`. */
  readonly CreationTime: Date;
  readonly Tags: readonly Tag[];
}

/** What CreateInstance knows about a new instance. */
export interface NewInstance {
  readonly RegionId: string;
  readonly InstanceType: string;
  /** Default: the InstanceId. */
  readonly InstanceName?: string | undefined;
  readonly Tags: readonly Tag[];
}

/** A tag filter: the instance must have this key (with this value, when one is given). */
export interface TagFilter {
  readonly Key: string;
  readonly Value?: string | undefined;
}

/** What DescribeInstances asks for. Instances come oldest first. */
export interface InstanceQuery {
  readonly RegionId: string;
  /** Only these instances (when given). */
  readonly InstanceIds?: readonly string[] | undefined;
  /** Only instances that carry every one of these tags (when given). */
  readonly Tags?: readonly TagFilter[] | undefined;
  /** How many matching instances to skip. */
  readonly offset: number;
  /** The most instances to return. */
  readonly limit: number;
}

/** One page of matching instances and how many match in all. */
export interface InstancePage {
  readonly TotalCount: number;
  readonly Instances: readonly Instance[];
}

/** The outcome of a conditional change: done, no such instance, or it was in another status. */
export type ChangeOutcome = 'done' | 'not-found' | 'incorrect-status';

/** Where the handlers keep instances. */
export interface InstanceRepository {
  /** Store a new, `Stopped` instance. Throws `QuotaExceed.Instance` when its region is full. */
  create(instance: NewInstance): Promise<Instance>;
  /** The instances of a region matching the query, one page of them. */
  find(query: InstanceQuery): Promise<InstancePage>;
  /** Atomically: if the instance is `from`, make it `to`. */
  changeStatus(instanceId: string, from: InstanceStatus, to: InstanceStatus): Promise<ChangeOutcome>;
  /** Atomically: delete the instance if it is `status`. */
  remove(instanceId: string, status: InstanceStatus): Promise<ChangeOutcome>;
}

/** Default bound on the instances of one region (memory is bounded, in Redis too). */
export const DEFAULT_MAX_INSTANCES_PER_REGION = 1000;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new instance id: `i-` and 20 random lowercase letters and digits (ECS style).
 *
 * @example
 * newInstanceId(); // 'i-k3v9q0x7m2c8d1z5b6n4'
 */
export function newInstanceId(): string {
  const bytes = randomBytes(20);
  let id = 'i-';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

function matches(instance: Instance, query: InstanceQuery, ids: ReadonlySet<string> | undefined): boolean {
  if (instance.RegionId !== query.RegionId) return false;
  if (ids !== undefined && !ids.has(instance.InstanceId)) return false;
  return (query.Tags ?? []).every((wanted) =>
    instance.Tags.some((tag) => tag.Key === wanted.Key && (wanted.Value === undefined || tag.Value === wanted.Value)),
  );
}

function pageOf(candidates: readonly Instance[], query: InstanceQuery): InstancePage {
  const ids = query.InstanceIds === undefined ? undefined : new Set(query.InstanceIds);
  const found = candidates.filter((instance) => matches(instance, query, ids));
  return { TotalCount: found.length, Instances: found.slice(query.offset, query.offset + query.limit) };
}

/**
 * Instances in this process's memory: fine for one process, gone at restart.
 *
 * @example
 * const instances = new MemoryInstanceRepository();
 * const created = await instances.create({ RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', Tags: [] });
 * await instances.changeStatus(created.InstanceId, 'Stopped', 'Running'); // 'done'
 */
export class MemoryInstanceRepository implements InstanceRepository {
  /** Insertion order is creation order: `find` lists oldest first. */
  readonly #instances = new Map<string, Instance>();
  readonly #maxPerRegion: number;

  constructor(options: { maxInstancesPerRegion?: number } = {}) {
    this.#maxPerRegion = options.maxInstancesPerRegion ?? DEFAULT_MAX_INSTANCES_PER_REGION;
  }

  async create(input: NewInstance): Promise<Instance> {
    let inRegion = 0;
    for (const instance of this.#instances.values()) if (instance.RegionId === input.RegionId) inRegion++;
    if (inRegion >= this.#maxPerRegion) throw new InstanceQuotaExceeded();
    const InstanceId = newInstanceId();
    const instance: Instance = {
      InstanceId,
      InstanceName: input.InstanceName ?? InstanceId,
      InstanceType: input.InstanceType,
      RegionId: input.RegionId,
      Status: 'Stopped',
      CreationTime: new Date(),
      Tags: input.Tags.map((tag) => ({ ...tag })),
    };
    this.#instances.set(InstanceId, instance);
    return instance;
  }

  async find(query: InstanceQuery): Promise<InstancePage> {
    return pageOf([...this.#instances.values()], query);
  }

  async changeStatus(instanceId: string, from: InstanceStatus, to: InstanceStatus): Promise<ChangeOutcome> {
    // No await between the check and the change: nothing else runs in between.
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) return 'not-found';
    if (instance.Status !== from) return 'incorrect-status';
    this.#instances.set(instanceId, { ...instance, Status: to });
    return 'done';
  }

  async remove(instanceId: string, status: InstanceStatus): Promise<ChangeOutcome> {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) return 'not-found';
    if (instance.Status !== status) return 'incorrect-status';
    this.#instances.delete(instanceId);
    return 'done';
  }
}

/*
 * Redis layout (prefix `ecs:` by default):
 *   <prefix>instance:<InstanceId>          hash: attributes (JSON, never changes), status
 *   <prefix>region:<RegionId>:instances    sorted set of InstanceIds, scored in creation order
 *   <prefix>instance-sequence              counter giving that order (clocks and milliseconds tie)
 * The status has its own field so that a change is one small script that never rewrites the JSON.
 */

/** Create: refuses an existing id and a full region; writes the hash and the index together. */
const CREATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 'quota' end
redis.call('HSET', KEYS[1], 'attributes', ARGV[1], 'status', ARGV[2])
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[3])
return 'done'`;

/** Change the status from ARGV[1] to ARGV[2], only if it is ARGV[1]. */
const CHANGE_STATUS_SCRIPT = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'not-found' end
if status ~= ARGV[1] then return 'incorrect-status' end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
return 'done'`;

/** Delete the instance and its index entry, only if its status is ARGV[1]. */
const REMOVE_SCRIPT = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'not-found' end
if status ~= ARGV[1] then return 'incorrect-status' end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 'done'`;

/** The JSON kept in the `attributes` field. */
interface StoredAttributes {
  InstanceId: string;
  InstanceName: string;
  InstanceType: string;
  RegionId: string;
  CreationTime: number;
  Tags: Tag[];
}

const STATUSES: ReadonlySet<string> = new Set<InstanceStatus>(['Running', 'Stopped']);

/**
 * Instances in Redis (an ioredis client), shared by every process that uses the same Redis and
 * prefix. A Redis that cannot answer makes the request fail with `ServiceUnavailable` (503).
 *
 * @example
 * const instances = new RedisInstanceRepository(new Redis(process.env.REDIS_URL!));
 * await instances.changeStatus('i-abc', 'Stopped', 'Running'); // 'not-found'
 */
export class RedisInstanceRepository implements InstanceRepository {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #maxPerRegion: number;

  constructor(redis: Redis, options: { prefix?: string; maxInstancesPerRegion?: number } = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'ecs:';
    this.#maxPerRegion = options.maxInstancesPerRegion ?? DEFAULT_MAX_INSTANCES_PER_REGION;
  }

  async create(input: NewInstance): Promise<Instance> {
    const InstanceId = newInstanceId();
    const created = new Date();
    const attributes: StoredAttributes = {
      InstanceId,
      InstanceName: input.InstanceName ?? InstanceId,
      InstanceType: input.InstanceType,
      RegionId: input.RegionId,
      CreationTime: created.getTime(),
      Tags: input.Tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    };
    const outcome = await this.#eval(
      CREATE_SCRIPT,
      [this.#instanceKey(InstanceId), this.#regionKey(input.RegionId), `${this.#prefix}instance-sequence`],
      [JSON.stringify(attributes), 'Stopped', InstanceId, String(this.#maxPerRegion)],
    );
    if (outcome === 'quota') throw new InstanceQuotaExceeded();
    if (outcome !== 'done') throw new Error(`instance id collision on ${InstanceId}`); // 36^20 ids: never in practice
    return toInstance(attributes, 'Stopped');
  }

  async find(query: InstanceQuery): Promise<InstancePage> {
    const ids = await this.#call(() => this.#redis.zrange(this.#regionKey(query.RegionId), '0', '-1'));
    const only = query.InstanceIds === undefined ? undefined : new Set(query.InstanceIds);
    const wanted = only === undefined ? ids : ids.filter((id) => only.has(id));
    const pipeline = this.#redis.pipeline();
    for (const id of wanted) pipeline.hmget(this.#instanceKey(id), 'attributes', 'status');
    const replies = wanted.length === 0 ? [] : await this.#call(async () => (await pipeline.exec()) ?? []);
    const instances: Instance[] = [];
    for (const [error, fields] of replies) {
      if (error) throw new errors.ServiceUnavailable({ cause: error });
      const [attributes, status] = fields as [string | null, string | null];
      // Deleted between ZRANGE and HMGET: simply not there any more.
      if (attributes !== null && status !== null && STATUSES.has(status)) {
        instances.push(toInstance(JSON.parse(attributes) as StoredAttributes, status as InstanceStatus));
      }
    }
    return pageOf(instances, query);
  }

  async changeStatus(instanceId: string, from: InstanceStatus, to: InstanceStatus): Promise<ChangeOutcome> {
    return (await this.#eval(CHANGE_STATUS_SCRIPT, [this.#instanceKey(instanceId)], [from, to])) as ChangeOutcome;
  }

  async remove(instanceId: string, status: InstanceStatus): Promise<ChangeOutcome> {
    // The region never changes, so reading it first is safe; the script re-checks existence.
    const attributes = await this.#call(() => this.#redis.hget(this.#instanceKey(instanceId), 'attributes'));
    if (attributes === null) return 'not-found';
    const { RegionId } = JSON.parse(attributes) as StoredAttributes;
    return (await this.#eval(REMOVE_SCRIPT, [this.#instanceKey(instanceId), this.#regionKey(RegionId)], [status, instanceId])) as ChangeOutcome;
  }

  #instanceKey(instanceId: string): string {
    return `${this.#prefix}instance:${instanceId}`;
  }

  #regionKey(regionId: string): string {
    return `${this.#prefix}region:${regionId}:instances`;
  }

  async #eval(script: string, keys: string[], args: string[]): Promise<string> {
    const command: [script: string, numkeys: number, ...keysAndArgs: string[]] = [script, keys.length, ...keys, ...args];
    return String(await this.#call(() => this.#redis.eval(...command)));
  }

  /** A Redis failure is the service's temporary failure (503, which SDKs may retry), not a bug. */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (cause) {
      throw new errors.ServiceUnavailable({ cause });
    }
  }
}

function toInstance(stored: StoredAttributes, status: InstanceStatus): Instance {
  return {
    InstanceId: stored.InstanceId,
    InstanceName: stored.InstanceName,
    InstanceType: stored.InstanceType,
    RegionId: stored.RegionId,
    Status: status,
    CreationTime: new Date(stored.CreationTime),
    Tags: stored.Tags,
  };
}
