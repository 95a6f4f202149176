// The first example of docs/express.md, verbatim (test/express/express-docs.test.ts checks it and runs it).
import express from 'express';
import {
  envelope,
  errorHandler,
  expressRpc,
  createRpcApi,
  p,
  signatureAuthenticator,
  staticCredentials,
  rateLimitThrottler,
  clientTokenGuard,
} from '../../lib/express/index.js';

export const api = createRpcApi({
  version: '2014-05-26',
  authenticate: signatureAuthenticator({ credentials: staticCredentials({ 'my-ak': { secret: process.env.SECRET ?? 'dev-secret' } }) }),
  throttle: rateLimitThrottler({ limit: { points: 100, durationSeconds: 1 } }),
  idempotency: clientTokenGuard(),
});

api.action('DescribeRegions', {
  anonymous: true,
  handler: () => ({ Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } }),
});

api.action('RunInstances', {
  idempotent: true,
  params: { RegionId: p.string({ required: true }), Amount: p.integer({ min: 1, max: 100, default: 1 }) },
  handler: ({ RegionId, Amount }, _ctx, { caller }) => ({
    RegionId,
    InstanceIdSets: { InstanceIdSet: Array.from({ length: Amount }, (_, i) => `i-${i}`) },
    Owner: caller?.accessKeyId,
  }),
});

export const app = express();
app.disable('x-powered-by');
app.use(envelope({ hostId: 'ecs.example.com' }));
app.use(expressRpc(api));
app.use(errorHandler());
