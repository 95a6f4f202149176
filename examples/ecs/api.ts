/**
 * The ECS-like API: each action declared the way Alibaba Cloud documents it (name, parameters,
 * constraints), with a handler that works on the instance repository and knows nothing of Koa or
 * Express. Authentication, throttling and ClientToken idempotency are steps of the API
 * (see service.ts); parameter checking is done from the declarations before a handler runs.
 */
import { z } from 'zod';
import { IncorrectInstanceStatus, InstanceQuotaExceeded, InvalidInstanceIdNotFound, InvalidRegionIdNotFound } from './errors.js';
import type { ChangeOutcome, Instance, InstanceRepository, InstanceStatus, Tag } from './instances.js';
import { createRpcApi, errors, p, type Authenticator, type IdempotencyGuard, type RpcApi, type Throttler } from './middleware.js';
import { REGIONS, servedRegion } from './regions.js';

/** The API version the SDKs send (`Version=2014-05-26`, or `x-acs-version` with Signature V3). */
export const ECS_VERSION = '2014-05-26';

/** What the API is built from. */
export interface EcsApiOptions {
  /** Where instances live. */
  readonly instances: InstanceRepository;
  /** Signature V1/V3 check; without it every action is anonymous (not what you want outside tests). */
  readonly authenticate?: Authenticator | undefined;
  /** Requests per AccessKeyId and Action. */
  readonly throttle?: Throttler | undefined;
  /** ClientToken for CreateInstance. */
  readonly idempotency?: IdempotencyGuard | undefined;
}

/** `ecs.<family>.<size>`, e.g. `ecs.g7.large`, `ecs.c7.2xlarge`, `ecs.t5-lc1m1.small`. */
const INSTANCE_TYPE = /^ecs\.[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+$/;

/** 2 to 128 Unicode code points, any characters (the `u` flag counts an emoji as one). */
const INSTANCE_NAME = /^[\s\S]{2,128}$/u;

const instanceId = () => p.string({ required: true, maxLength: 64, description: 'The instance, e.g. i-bp67acfmxazb4ph1qx2y.' });

/** One region as DescribeRegions lists it (declared with `p.*`). */
const region = p.struct({
  RegionId: p.string({ required: true, description: 'The region, e.g. cn-hangzhou.' }),
  LocalName: p.string({ required: true, description: 'Its name in Chinese.' }),
  RegionEndpoint: p.string({ required: true, description: 'The endpoint of the region.' }),
});

/** The instances of a DescribeInstances page (declared with zod, which has a type for the Date). */
const instancesPage = z.object({
  Instance: z.array(
    z.object({
      InstanceId: z.string().meta({ examples: ['i-bp67acfmxazb4ph1qx2y'] }),
      InstanceName: z.string().meta({ examples: ['web server 1'] }),
      InstanceType: z.string().meta({ examples: ['ecs.g7.large'] }),
      RegionId: z.string().meta({ examples: ['cn-hangzhou'] }),
      Status: z.enum(['Running', 'Stopped']),
      CreationTime: z.date().describe('When the instance was created (UTC).'),
      Tags: z.object({ Tag: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })) }),
    }),
  ),
});

/**
 * Declare the ECS-like actions on a new RPC API. `Ctx` is the framework's context type
 * (`Koa.Context` for `koaRpc`); the handlers never use it.
 *
 * @example
 * const api = createEcsApi<Koa.Context>({ instances: new MemoryInstanceRepository(), authenticate });
 * app.use(envelope()).use(koaRpc(api));
 */
export function createEcsApi<Ctx = unknown>(options: EcsApiOptions): RpcApi<Ctx> {
  const { instances } = options;
  const api = createRpcApi<Ctx>({
    version: ECS_VERSION,
    authenticate: options.authenticate,
    throttle: options.throttle,
    idempotency: options.idempotency,
  });

  api.action('DescribeRegions', {
    description: 'The regions this service serves.',
    response: { Regions: p.struct({ Region: p.list(region, { required: true }) }, { required: true }) },
    errors: [],
    handler: () => ({ Regions: { Region: REGIONS.map((region) => ({ ...region })) } }),
  });

  api.action('CreateInstance', {
    description: 'Creates an instance, in the Stopped status. A retry with the same ClientToken returns the same InstanceId.',
    idempotent: true,
    params: {
      RegionId: p.string({ required: true, description: 'A region listed by DescribeRegions.' }),
      InstanceType: p.string({ required: true, pattern: INSTANCE_TYPE, description: 'The instance type, e.g. ecs.g7.large.' }),
      InstanceName: p.string({ pattern: INSTANCE_NAME, description: '2 to 128 characters (Unicode code points), any characters. Default: the InstanceId.' }),
      Tag: p.list(p.struct({ Key: p.string({ required: true, minLength: 1, maxLength: 128 }), Value: p.string({ maxLength: 128 }) }), {
        maxItems: 20,
        description: 'Up to 20 tags; keys must differ.',
      }),
      ClientToken: p.string({ maxLength: 64, description: 'Makes the call idempotent: up to 64 ASCII characters, unique per request.' }),
    },
    response: { InstanceId: p.string({ required: true, description: 'The new instance.' }) },
    errors: [InvalidRegionIdNotFound, InstanceQuotaExceeded, errors.InvalidParameter],
    handler: async ({ RegionId, InstanceType, InstanceName, Tag: tags = [] }) => {
      const created = await instances.create({
        RegionId: servedRegion(RegionId),
        InstanceType,
        InstanceName,
        Tags: distinctTags(tags),
      });
      return { InstanceId: created.InstanceId };
    },
  });

  api.action('DescribeInstances', {
    description: 'Lists the instances of a region, oldest first, optionally only some ids or tags, one page at a time.',
    params: {
      RegionId: p.string({ required: true, description: 'A region listed by DescribeRegions.' }),
      InstanceId: p.list(p.string({ maxLength: 64 }), { maxItems: 100, description: 'Only these instances.' }),
      InstanceIds: p.json(z.array(z.string().max(64)).max(100), {
        maxLength: 8192,
        description: 'Only these instances, as a JSON array (the form aliyun-sdk sends).',
      }),
      Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), {
        maxItems: 20,
        description: 'Only instances with all of these tags (any value when Value is absent).',
      }),
      PageNumber: p.integer({ min: 1, default: 1 }),
      PageSize: p.integer({ min: 1, max: 100, default: 10 }),
    },
    response: {
      TotalCount: p.integer({ required: true, min: 0, description: 'How many instances match, on all pages.' }),
      PageNumber: p.integer({ required: true, min: 1 }),
      PageSize: p.integer({ required: true, min: 1, max: 100 }),
      Instances: instancesPage.describe('This page of instances, oldest first.'),
    },
    errors: [InvalidRegionIdNotFound],
    handler: async ({ RegionId, InstanceId, InstanceIds, Tag, PageNumber, PageSize }) => {
      const ids = InstanceId === undefined && InstanceIds === undefined ? undefined : [...(InstanceId ?? []), ...(InstanceIds ?? [])];
      const page = await instances.find({
        RegionId: servedRegion(RegionId),
        InstanceIds: ids,
        Tags: Tag,
        offset: (PageNumber - 1) * PageSize,
        limit: PageSize,
      });
      return {
        TotalCount: page.TotalCount,
        PageNumber,
        PageSize,
        Instances: { Instance: page.Instances.map(describeInstance) },
      };
    },
  });

  const change = (action: string, from: InstanceStatus, to: InstanceStatus, description: string): void => {
    api.action(action, {
      description,
      params: { InstanceId: instanceId() },
      response: {},
      errors: [InvalidInstanceIdNotFound, IncorrectInstanceStatus],
      handler: async ({ InstanceId }) => {
        check(await instances.changeStatus(InstanceId, from, to)); // nothing to return: `{ RequestId }` only
      },
    });
  };
  change('StartInstance', 'Stopped', 'Running', 'Starts a Stopped instance: it becomes Running.');
  change('StopInstance', 'Running', 'Stopped', 'Stops a Running instance: it becomes Stopped.');

  api.action('DeleteInstance', {
    description: 'Deletes a Stopped instance.',
    params: { InstanceId: instanceId() },
    response: {},
    errors: [InvalidInstanceIdNotFound, IncorrectInstanceStatus],
    handler: async ({ InstanceId }) => {
      check(await instances.remove(InstanceId, 'Stopped'));
    },
  });

  return api;
}

/** The repository's outcome as the API's answer. */
function check(outcome: ChangeOutcome): void {
  if (outcome === 'not-found') throw new InvalidInstanceIdNotFound();
  if (outcome === 'incorrect-status') throw new IncorrectInstanceStatus();
}

/** Tags as stored (`Value` defaults to `''`); a key given twice is an invalid parameter. */
function distinctTags(tags: readonly { Key: string; Value?: string | undefined }[]): Tag[] {
  const seen = new Set<string>();
  return tags.map((tag, index) => {
    if (seen.has(tag.Key)) throw new errors.InvalidParameter(`Tag.${index + 1}.Key`);
    seen.add(tag.Key);
    return { Key: tag.Key, Value: tag.Value ?? '' };
  });
}

/** An instance as DescribeInstances lists it (ECS field names; the Date renders as `YYYY-MM-DDThh:mm:ssZ`). */
function describeInstance(instance: Instance) {
  return {
    InstanceId: instance.InstanceId,
    InstanceName: instance.InstanceName,
    InstanceType: instance.InstanceType,
    RegionId: instance.RegionId,
    Status: instance.Status,
    CreationTime: instance.CreationTime,
    Tags: { Tag: instance.Tags.map((tag) => ({ TagKey: tag.Key, TagValue: tag.Value })) },
  };
}
