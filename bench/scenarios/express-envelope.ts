/**
 * The Express envelope (issue 6): bare Express 5 answering a DescribeRegions-like request with
 * `res.json(obj)` (the same data with a constant RequestId of the same length, so both send the same
 * bytes) versus `envelope()` + `handle()` returning the data, in JSON (the target) and XML, and
 * `expressRpc(api)` dispatching the same action. Both bare contestants have Express's banner off; the
 * baseline also has ETag generation off (Express hashes every `res.json` body for it by default,
 * which the envelope does not do), so the baseline is the fastest bare Express, and a default
 * `res.json` app is listed for reference.
 */
import { deepStrictEqual } from 'node:assert/strict';
import express from 'express';
import { expressPkg } from '../lib/package.js';
import { describeRegionsData, withConstantRequestId } from '../lib/payloads.js';
import { defineScenario, type BenchExpectation, type Contestant } from '../lib/scenario.js';

const { createRpcApi, envelope, errorHandler, expressRpc, handle } = expressPkg;
const ACTION = 'DescribeRegions';
const VERSION = '2014-05-26';
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function sameJson(contentType: string): BenchExpectation {
  return {
    contentType,
    check: (body) => {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        if (typeof parsed.RequestId !== 'string' || !UUID.test(parsed.RequestId)) return 'RequestId missing or not a UUID';
        deepStrictEqual({ ...parsed, RequestId: '' }, { ...describeRegionsData(), RequestId: '' });
        return undefined;
      } catch (err) {
        return `body differs from the data: ${(err as Error).message.slice(0, 300)}`;
      }
    },
  };
}

const XML_HEAD = new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?><${ACTION}Response><RequestId>[0-9A-F-]{36}</RequestId>`);

function bare(etag: boolean): () => express.Express {
  return () => {
    const body = withConstantRequestId(describeRegionsData());
    const app = express();
    app.disable('x-powered-by');
    if (!etag) app.set('etag', false);
    app.get('/', (_req, res) => {
      res.json(body);
    });
    return app;
  };
}

function withEnvelope(): express.Express {
  const data = describeRegionsData();
  const app = express();
  app.disable('x-powered-by');
  app.use(envelope({ hostId: 'bench.example.com' }));
  app.get(
    '/',
    handle((_req, res) => {
      res.locals.action = ACTION;
      return data;
    }),
  );
  app.use(errorHandler());
  return app;
}

function withRpc(): express.Express {
  const data = describeRegionsData();
  const api = createRpcApi({ version: VERSION });
  api.action(ACTION, { handler: () => data });
  const app = express();
  app.disable('x-powered-by');
  app.use(envelope({ hostId: 'bench.example.com' }));
  app.use(expressRpc(api));
  app.use(errorHandler());
  return app;
}

const path = (format: string): string => `/?Action=${ACTION}&Version=${VERSION}&Format=${format}`;

const contestants: Contestant[] = [
  { id: 'express-json', label: 'bare Express 5, res.json(obj), no ETag', request: { path: path('JSON') }, expect: sameJson('application/json; charset=utf-8'), createListener: bare(false) },
  { id: 'express-json-etag', label: 'bare Express 5, res.json(obj), defaults (ETag)', request: { path: path('JSON') }, expect: sameJson('application/json; charset=utf-8'), createListener: bare(true) },
  { id: 'envelope-json', label: 'envelope() + handle(), Format=JSON', request: { path: path('JSON') }, expect: sameJson('application/json;charset=utf-8'), createListener: withEnvelope },
  {
    id: 'envelope-xml',
    label: 'envelope() + handle(), Format=XML',
    request: { path: path('XML') },
    expect: {
      contentType: 'text/xml;charset=utf-8',
      check: (body) => {
        const text = body.toString('utf8');
        if (!XML_HEAD.test(text)) return `unexpected start: ${text.slice(0, 120)}`;
        return text.endsWith(`</${ACTION}Response>`) && text.includes('<RegionId>cn-hangzhou</RegionId>') ? undefined : `unexpected XML: ${text.slice(0, 300)}`;
      },
    },
    createListener: withEnvelope,
  },
  { id: 'rpc-json', label: 'envelope() + expressRpc(api), Format=JSON', request: { path: path('JSON') }, expect: sameJson('application/json;charset=utf-8'), createListener: withRpc },
];

export const scenario = defineScenario({
  title: 'Express envelope, small payload (DescribeRegions, 2 regions): bare Express 5 res.json vs envelope() + handle() JSON/XML and expressRpc',
  baseline: 'express-json',
  contestants,
  targets: [{ contestant: 'envelope-json', minRatio: 0.95, source: 'issue 11' }],
});
