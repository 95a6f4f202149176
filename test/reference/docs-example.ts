// The first example of docs/reference.md, kept here so that it is type-checked and run by
// test/reference/docs.test.ts (which checks that the document shows exactly this code, with the
// import below written as 'aliyun-openapi-middleware').
import { z } from 'zod';
import { createRpcApi, defineError, errors, p } from '../../lib/index.js';

const InstanceNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId does not exist.');
const api = createRpcApi({ version: '2014-05-26' });

api.action('DescribeInstances', {
  params: { RegionId: p.string({ required: true }) },
  response: {
    TotalCount: p.integer({ required: true, min: 0 }), // p.* fields, as for parameters
    Instances: z.object({                               // or zod schemas
      Instance: z.array(z.object({
        InstanceId: z.string().meta({ examples: ['i-bp67acfmxazb4ph1qx2y'] }), // shown in samples
        Status: z.enum(['Running', 'Stopped']),
        CreationTime: z.date(),                         // rendered as YYYY-MM-DDThh:mm:ssZ
      })),
    }),
  },
  errors: [InstanceNotFound, errors.InvalidParameter],
  handler: async ({ RegionId }) => ({ TotalCount: 0, Instances: { Instance: [] } }), // checked by TypeScript
});

api.action('StartInstance', {
  params: { InstanceId: p.string({ required: true }) },
  response: {}, // nothing besides RequestId: the handler may return nothing
  errors: [InstanceNotFound],
  handler: async () => undefined,
});

export { api };
