// The example of docs/rpc.md, "Declaring an API", kept here so that it is type-checked and run by
// test/rpc/api-docs.test.ts (which checks that the document shows exactly this code, with the
// import below written as 'aliyun-openapi-middleware').
import Koa from 'koa';
import { z } from 'zod';
import { createRpcApi, defineError, envelope, koaRpc, p } from '../../lib/index.js';

const api = createRpcApi<Koa.Context>({ version: '2014-05-26' });

api.action('DescribeInstances', {
  description: 'Lists the instances of a region.',
  params: {
    RegionId: p.string({ required: true, maxLength: 64 }), // String, required
    InstanceName: p.string({ minLength: 2, maxLength: 128, pattern: /^[A-Za-z]/ }), // String with length and pattern
    InstanceType: p.string({ enum: ['ecs.g7.large', 'ecs.c7.xlarge'] }), // String with enum: a union type
    PageNumber: p.integer({ min: 1, default: 1 }), // Integer with a default: number
    PageSize: p.integer({ min: 1, max: 100, default: 10 }),
    OwnerId: p.long(), // Long: bigint
    MinCpuRatio: p.float({ min: 0, max: 1 }), // Float / Double: number
    DryRun: p.boolean({ default: false }), // exactly "true" or "false"
    Status: p.enum(['Pending', 'Running', 'Stopped']), // enumeration
    InstanceIds: p.json(z.array(z.string()).max(100)), // JSON string: InstanceIds=["i-1","i-2"]
    InstanceId: p.list(p.string({ pattern: /^i-/ }), { maxItems: 100 }), // InstanceId.1, InstanceId.2, …
    Tag: p.list(p.struct({ Key: p.string({ required: true }), Value: p.string() }), { maxItems: 20 }), // Tag.1.Key, Tag.1.Value, …
    SystemDisk: p.struct({ Category: p.enum(['cloud_ssd', 'cloud_essd']), Size: p.integer({ min: 20 }) }), // SystemDisk.Size
    SecurityGroupIds: p.list(p.list(p.string()), { maxItems: 5 }), // nested list: SecurityGroupIds.1.2
  },
  handler: (params, ctx) => {
    // params.PageSize: number; params.OwnerId: bigint | undefined;
    // params.Tag: { Key: string; Value?: string | undefined }[] | undefined; ctx.state.action: 'DescribeInstances'
    const ids = params.InstanceId ?? params.InstanceIds ?? [];
    const instances = ids.map((InstanceId) => ({ InstanceId, RegionId: params.RegionId, Status: params.Status ?? 'Running' }));
    return { TotalCount: instances.length, PageNumber: params.PageNumber, PageSize: params.PageSize, Instances: { Instance: instances } };
  },
});

const InstanceNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId does not exist.');

api.action('StartInstance', {
  params: { InstanceId: p.string({ required: true }) },
  handler: ({ InstanceId }) => {
    if (!InstanceId.startsWith('i-')) throw new InstanceNotFound(); // an error envelope, 404
    // returning nothing sends an empty success: {"RequestId": "…"}
  },
});

export const app = new Koa();
app.use(envelope()); // first: RequestId, Format, parameters, error envelopes
app.use(koaRpc(api)); // then the API, at '/' (createRpcApi({ path }) to change it)
