// The first example of docs/roa.md, verbatim (the docs test compares them); the import path is the package's there.
import Koa from 'koa';
import { envelope, createRoaApi, koaRoa, p, defineError, signatureAuthenticator, staticCredentials, clientTokenGuard } from '../../lib/index.js';

const ClusterNotFound = defineError('ErrorClusterNotFound', 404, 'The specified cluster does not exist.');
const clusters = new Map<string, { cluster_id: string; name: string; region_id: string }>();

const cs = createRoaApi<Koa.Context>({
  version: '2015-12-15',
  authenticate: signatureAuthenticator({ credentials: staticCredentials({ testid: { secret: 'testsecret' } }) }),
  idempotency: clientTokenGuard(), // runs routes that declare `clientToken` once per token
});
cs.route('GET', '/clusters/:ClusterId', {
  action: 'DescribeClusterDetail',
  path: { ClusterId: p.string({ required: true, maxLength: 64 }) },
  handler: ({ path }) => {
    const cluster = clusters.get(path.ClusterId);
    if (cluster === undefined) throw new ClusterNotFound();
    return cluster;
  },
});
cs.route('POST', '/clusters', {
  action: 'CreateCluster',
  body: { name: p.string({ required: true }), region_id: p.string({ required: true }) },
  clientToken: { in: 'body', name: 'client_token' },
  requestIdKey: 'request_id',
  handler: ({ body }) => {
    const cluster = { cluster_id: `c${clusters.size + 1}`, name: body.name, region_id: body.region_id };
    clusters.set(cluster.cluster_id, cluster);
    return { cluster_id: cluster.cluster_id };
  },
});

export const app = new Koa();
app.use(envelope({ hostId: 'cs.example.com' }));
app.use(koaRoa(cs)); // answers every request that reaches it: mount an RPC API (koaRpc, on '/') before it
