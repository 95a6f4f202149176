/**
 * The CS example mounted in the example service (examples/ecs/service.ts) beside ECS, on one port:
 * the tour that `npm run example:client` runs after the ECS one, on Koa and on Express.
 */
import assert from 'node:assert/strict';
import { csTour } from '../../examples/cs/client.js';
import { DEMO, startExample } from '../example/support.js';

for (const framework of ['koa', 'express'] as const) {
  describe(`roa/example: the CS tour against the example service on ${framework}`, () => {
    it('calls every CS operation beside ECS on the same port, as expected', async () => {
      const example = await startExample({ FRAMEWORK: framework });
      try {
        const lines: string[] = [];
        assert.equal(await csTour(example.endpoint, DEMO, (line) => lines.push(line)), true, lines.join('\n'));
        const out = lines.join('\n');
        for (const title of ['CS CreateCluster', 'CS DescribeClusterDetail', 'CS DescribeClustersV1', 'CS POST /clusters with client_token', 'CS GET /clusters', 'CS DeleteCluster']) {
          assert.ok(out.includes(title), title);
        }
        assert.match(out, /→ ErrorClusterNotFound: /);
        const ids = [...out.matchAll(/"cluster_id":"(c[0-9a-f]+)","task_id"/g)].map((m) => m[1]);
        assert.equal(ids.length, 2);
        assert.equal(ids[0], ids[1], 'the client_token retry printed the same cluster_id');
      } finally {
        await example.close();
      }
    });
  });
}
