/**
 * The three core contestants for one payload: bare Koa (`ctx.body = obj`, Koa's own
 * JSON.stringify) versus the same data through `envelope()` in JSON and in XML.
 */
import { deepStrictEqual } from 'node:assert/strict';
import Koa from 'koa';
import { pkg } from './package.js';
import { withConstantRequestId } from './payloads.js';
import type { Contestant } from './scenario.js';

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function sameJson(expected: object): (body: Buffer) => string | undefined {
  return (body) => {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof parsed.RequestId !== 'string' || !UUID.test(parsed.RequestId)) return 'RequestId missing or not a UUID';
      deepStrictEqual({ ...parsed, RequestId: '' }, { ...expected, RequestId: '' });
      return undefined;
    } catch (err) {
      return `body differs from the data: ${(err as Error).message.slice(0, 300)}`;
    }
  };
}

function xmlEnvelope(action: string, sample: string): (body: Buffer) => string | undefined {
  const head = new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?><${action}Response><RequestId>[0-9A-F-]{36}</RequestId>`);
  return (body) => {
    const text = body.toString('utf8');
    if (!head.test(text)) return `unexpected start: ${text.slice(0, 120)}`;
    if (!text.endsWith(`</${action}Response>`)) return 'unexpected end';
    return text.includes(sample) ? undefined : `missing ${sample}`;
  };
}

/**
 * Bare Koa, envelope JSON and envelope XML answering `Action` with `data()`.
 * `xmlSample` is a fragment the XML answer must contain.
 *
 * @example
 * coreContestants('DescribeRegions', describeRegionsData, '<RegionId>cn-hangzhou</RegionId>');
 */
export function coreContestants(action: string, data: () => object, xmlSample: string): Contestant[] {
  const path = (format: string): string => `/?Action=${action}&Format=${format}`;
  return [
    {
      id: 'koa-json',
      label: 'bare Koa, ctx.body = obj (JSON)',
      request: { path: path('JSON') },
      expect: { contentType: 'application/json; charset=utf-8', check: sameJson(data()) },
      createListener: () => {
        const body = withConstantRequestId(data());
        const app = new Koa();
        app.use((ctx) => {
          ctx.body = body;
        });
        return app.callback();
      },
    },
    ...(['JSON', 'XML'] as const).map(
      (format): Contestant => ({
        id: `envelope-${format.toLowerCase()}`,
        label: `envelope(), Format=${format}`,
        request: { path: path(format) },
        expect:
          format === 'JSON'
            ? { contentType: 'application/json;charset=utf-8', check: sameJson(data()) }
            : { contentType: 'text/xml;charset=utf-8', check: xmlEnvelope(action, xmlSample) },
        createListener: () => {
          const body = data();
          const app = new Koa();
          app.use(pkg.envelope({ hostId: 'bench.example.com' }));
          app.use((ctx) => {
            ctx.state.action = action;
            ctx.body = body;
          });
          return app.callback();
        },
      }),
    ),
  ];
}
