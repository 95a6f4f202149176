/**
 * The DescribeRegions service of the authentication and protection scenarios: envelope() +
 * koaRpc(api) answering the small regions payload, and the check that an answer is that payload.
 */
import Koa from 'koa';
import type { RpcApi } from '../../lib/index.js';
import { pkg } from './package.js';
import { describeRegionsData } from './payloads.js';

/** Declare DescribeRegions on `api` and serve it with Koa. */
export function regionsApp(api: RpcApi<Koa.Context>): Koa {
  const data = describeRegionsData();
  api.action('DescribeRegions', { handler: () => data });
  const app = new Koa();
  app.use(pkg.envelope({ hostId: 'bench.example.com' }));
  app.use(pkg.koaRpc(api));
  return app;
}

function checkRegions(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { RequestId?: unknown; Regions?: { Region?: unknown[] }; Code?: unknown };
    if (parsed.Code !== undefined) return `error answer: ${body.toString('utf8').slice(0, 200)}`;
    if (typeof parsed.RequestId !== 'string' || parsed.Regions?.Region?.length !== 2) return 'not a DescribeRegions answer';
    return undefined;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
}

/** What every contestant must answer: a JSON DescribeRegions success. */
export const regionsExpectation = { contentType: 'application/json;charset=utf-8', check: checkRegions };
