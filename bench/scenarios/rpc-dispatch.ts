/**
 * RPC dispatch + validation (issue 3): a DescribeInstances-like GET with a 10-item repeat list
 * (`InstanceId.1..10`), 5 tags (`Tag.N.Key` / `Tag.N.Value`) and a few scalars, answered by
 * `koaRpc(api)` (Action/Version resolution, owner check, typed parameter parse with zod, handler)
 * versus `envelope()` alone answering the same request with the same data (no dispatch, no
 * validation). Both send the same JSON bytes apart from the RequestId.
 */
import Koa from 'koa';
import { DESCRIBE_INSTANCES_VERSION, describeInstancesDeclaration, describeInstancesPairs } from '../lib/describe-instances.js';
import { pkg } from '../lib/package.js';
import { defineScenario, type BenchExpectation } from '../lib/scenario.js';

const VERSION = DESCRIBE_INSTANCES_VERSION;
const { createRpcApi, envelope, koaRpc } = pkg;
const DescribeInstances = describeInstancesDeclaration(pkg.p);

function requestPath(): string {
  return `/?${describeInstancesPairs().map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** The answer both contestants send (the RPC handler computes it from the validated parameters). */
function answer(instanceIds: readonly string[], pageNumber: number, pageSize: number): object {
  return {
    TotalCount: instanceIds.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    Instances: { Instance: instanceIds.map((InstanceId) => ({ InstanceId, Status: 'Running' })) },
  };
}

const IDS = Array.from({ length: 10 }, (_, i) => `i-bp67acfmxazb4p${String(i + 1).padStart(4, '0')}`);
const EXPECTED = JSON.stringify(answer(IDS, 1, 10)).slice(1);
const UUID_PREFIX = /^\{"RequestId":"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}",/;

const expect: BenchExpectation = {
  contentType: 'application/json;charset=utf-8',
  check: (body) => {
    const text = body.toString('utf8');
    if (!UUID_PREFIX.test(text)) return `unexpected start: ${text.slice(0, 120)}`;
    return text.replace(UUID_PREFIX, '') === EXPECTED ? undefined : `unexpected data: ${text.slice(0, 300)}`;
  },
};

export const scenario = defineScenario({
  title: 'RPC dispatch + validation (DescribeInstances, 10 InstanceId.N, 5 Tag.N.Key/Value, GET): envelope() alone vs envelope() + koaRpc(api)',
  baseline: 'envelope-only',
  contestants: [
    {
      id: 'envelope-only',
      label: 'envelope(), fixed answer, no dispatch or validation',
      request: { path: requestPath() },
      expect,
      createListener: () => {
        const data = answer(IDS, 1, 10);
        const app = new Koa();
        app.use(envelope({ hostId: 'bench.example.com' }));
        app.use((ctx) => {
          ctx.state.action = 'DescribeInstances';
          ctx.body = data;
        });
        return app.callback();
      },
    },
    {
      id: 'rpc',
      label: 'envelope() + koaRpc(api), typed parameters',
      request: { path: requestPath() },
      expect,
      createListener: () => {
        const api = createRpcApi<Koa.Context>({ version: VERSION });
        api.action('DescribeInstances', {
          params: DescribeInstances,
          handler: (params) => answer(params.InstanceId ?? [], params.PageNumber, params.PageSize),
        });
        const app = new Koa();
        app.use(envelope({ hostId: 'bench.example.com' }));
        app.use(koaRpc(api));
        return app.callback();
      },
    },
  ],
  targets: [{ contestant: 'rpc', minRatio: 0.9, source: 'issue 11' }],
});
