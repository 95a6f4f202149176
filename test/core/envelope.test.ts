import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import request from 'supertest';
import { envelope, errors, type EnvelopeOptions } from '../../lib/index.js';
import { readError, JSON_TYPE, XML_TYPE, REQUEST_ID } from '../support/http.js';
import { parseXmlStrict, childText, childNames, xmlToObject } from '../support/xml.js';

type Handler = Koa.Middleware;

function service(handler: Handler, options: EnvelopeOptions = {}) {
  const app = new Koa();
  const emitted: Array<Error & { requestId?: string }> = [];
  app.on('error', (err: Error) => emitted.push(err));
  app.use(envelope({ hostId: 'unit.test', ...options }));
  app.use(handler);
  return { app, server: app.callback(), emitted };
}

const regions = { Regions: { Region: [{ RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）' }, { RegionId: 'cn-shanghai', LocalName: '华东2（上海）' }] } };

describe('envelope(): success', () => {
  const { server } = service(async (ctx) => {
    ctx.state.action = 'DescribeRegions';
    ctx.body = regions;
  });

  it('renders XML by default with <Action>Response, RequestId first, exact content type', async () => {
    const res = await request(server).get('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], XML_TYPE);
    assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><DescribeRegionsResponse><RequestId>'));
    const root = parseXmlStrict(res.text);
    assert.equal(root.name, 'DescribeRegionsResponse');
    assert.deepEqual(childNames(root), ['RequestId', 'Regions']);
    assert.equal(childText(root, 'RequestId'), res.headers['x-acs-request-id']);
    assert.match(res.headers['x-acs-request-id'], REQUEST_ID);
    const items = root.children[1]!.children;
    assert.deepEqual(items.map((i) => i.name), ['Region', 'Region']);
    assert.equal(childText(items[1]!, 'LocalName'), '华东2（上海）');
    const obj = xmlToObject(res.text) as { DescribeRegionsResponse: { Regions: { Region: Array<{ RegionId: string }> } } };
    assert.equal(obj.DescribeRegionsResponse.Regions.Region[0]!.RegionId, 'cn-hangzhou');
  });

  for (const value of ['JSON', 'json', 'Json']) {
    it(`renders JSON for Format=${value}, RequestId first and equal to the header`, async () => {
      const res = await request(server).get(`/?Format=${value}`);
      assert.equal(res.headers['content-type'], JSON_TYPE);
      const body = JSON.parse(res.text);
      assert.deepEqual(Object.keys(body), ['RequestId', 'Regions']);
      assert.equal(body.RequestId, res.headers['x-acs-request-id']);
      assert.deepEqual(body.Regions, regions.Regions);
    });
  }

  for (const value of ['XML', 'xml']) {
    it(`renders XML for Format=${value} even when Accept asks for JSON`, async () => {
      const res = await request(server).get(`/?Format=${value}`).set('accept', 'application/json');
      assert.equal(res.headers['content-type'], XML_TYPE);
    });
  }

  it('reads Format from an urlencoded POST body (pop-core puts every parameter there)', async () => {
    const res = await request(server).post('/').type('form').send('Action=DescribeRegions&Format=JSON');
    assert.equal(res.headers['content-type'], JSON_TYPE);
    assert.equal(JSON.parse(res.text).Regions.Region.length, 2);
  });

  it('reads a chunked urlencoded body without Content-Length', async () => {
    const { server: echo } = service(async (ctx) => {
      ctx.body = { Got: (ctx.request as { body?: Record<string, string> }).body?.Name };
    });
    const srv = http.createServer(echo).listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    try {
      const { port } = srv.address() as AddressInfo;
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve(data));
        });
        req.on('error', reject);
        req.write('Format=JSON&Na');
        req.end('me=a%20b%2Bc+d');
      });
      assert.equal(JSON.parse(text).Got, 'a b+c d');
    } finally {
      srv.close();
    }
  });

  it('chooses JSON without Format for V3-signed requests and for Accept preferring JSON', async () => {
    const v3 = await request(server).get('/').set('authorization', 'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=00');
    assert.equal(v3.headers['content-type'], JSON_TYPE);
    const accept = await request(server).get('/').set('accept', 'application/json');
    assert.equal(accept.headers['content-type'], JSON_TYPE);
    const both = await request(server).get('/').set('accept', 'text/xml;q=0.5, application/json');
    assert.equal(both.headers['content-type'], JSON_TYPE);
    const xmlFirst = await request(server).get('/').set('accept', 'application/json;q=0.4, text/xml');
    assert.equal(xmlFirst.headers['content-type'], XML_TYPE);
    const any = await request(server).get('/').set('accept', '*/*');
    assert.equal(any.headers['content-type'], XML_TYPE);
  });

  it('uses the configured default format', async () => {
    const { server: jsonDefault } = service(async (ctx) => {
      ctx.body = { A: 1 };
    }, { defaultFormat: 'JSON' });
    const res = await request(jsonDefault).get('/');
    assert.equal(res.headers['content-type'], JSON_TYPE);
    const xml = await request(jsonDefault).get('/?Format=XML');
    assert.equal(xml.headers['content-type'], XML_TYPE);
  });

  it('names the XML root from Action or x-acs-action, else the fallback', async () => {
    const { server: s } = service(async (ctx) => {
      ctx.body = { A: 1 };
    }, { fallbackAction: 'Generic' });
    assert.equal(parseXmlStrict((await request(s).get('/?Action=DescribeZones')).text).name, 'DescribeZonesResponse');
    assert.equal(parseXmlStrict((await request(s).get('/').set('x-acs-action', 'RunInstances')).text).name, 'RunInstancesResponse');
    assert.equal(parseXmlStrict((await request(s).get('/?Action=%3Cbad%3E')).text).name, 'GenericResponse');
    assert.equal(parseXmlStrict((await request(s).get('/')).text).name, 'GenericResponse');
  });

  it('keeps a 2xx status set by the handler and sets ctx.state.requestId', async () => {
    const { server: s } = service(async (ctx) => {
      ctx.status = 201;
      ctx.body = { Id: ctx.state.requestId };
    });
    const res = await request(s).get('/?Format=JSON');
    assert.equal(res.status, 201);
    assert.equal(JSON.parse(res.text).Id, res.headers['x-acs-request-id']);
  });

  it('ignores a forged x-acs-request-id and makes a fresh one per request', async () => {
    const a = await request(server).get('/').set('x-acs-request-id', 'FORGED<script>');
    const b = await request(server).get('/');
    assert.match(a.headers['x-acs-request-id'], REQUEST_ID);
    assert.notEqual(a.headers['x-acs-request-id'], b.headers['x-acs-request-id']);
  });

  it('uses a custom RequestId generator, falling back to a UUID for unsafe output', async () => {
    let n = 0;
    const { server: s } = service(async (ctx) => {
      ctx.body = {};
    }, { requestId: () => (++n === 1 ? 'req-0001' : 'bad id <\n>') });
    assert.equal((await request(s).get('/')).headers['x-acs-request-id'], 'req-0001');
    assert.match((await request(s).get('/')).headers['x-acs-request-id'], REQUEST_ID);
  });
});

describe('envelope(): data mapping', () => {
  function render(data: unknown, format: 'XML' | 'JSON') {
    const { server, emitted } = service(async (ctx) => {
      ctx.state.action = 'Test';
      ctx.body = data;
    });
    return request(server).get(`/?Format=${format}`).then((res) => ({ res, emitted }));
  }

  it('writes bigint as exact digits in XML and as a JSON number', async () => {
    const big = 2n ** 63n - 1n;
    const { res: json } = await render({ OwnerId: big }, 'JSON');
    assert.ok(json.text.includes('"OwnerId":9223372036854775807'), json.text);
    const { res: xml } = await render({ OwnerId: big }, 'XML');
    assert.equal(childText(parseXmlStrict(xml.text), 'OwnerId'), '9223372036854775807');
  });

  it('writes Dates as YYYY-MM-DDThh:mm:ssZ in both formats, numbers and booleans as text', async () => {
    const data = { CreationTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), Count: 2.5, Ok: false };
    const { res: json } = await render(data, 'JSON');
    assert.deepEqual(JSON.parse(json.text), { RequestId: json.headers['x-acs-request-id'], CreationTime: '2024-01-02T03:04:05Z', Count: 2.5, Ok: false });
    const root = parseXmlStrict((await render(data, 'XML')).res.text);
    assert.equal(childText(root, 'CreationTime'), '2024-01-02T03:04:05Z');
    assert.equal(childText(root, 'Count'), '2.5');
    assert.equal(childText(root, 'Ok'), 'false');
  });

  it('omits undefined everywhere, writes null as JSON null and no XML element, empty arrays as an empty container', async () => {
    const data = { A: undefined, B: null, List: { Item: [] as string[] }, Arr: [1, undefined, 2] };
    const { res: json } = await render(data, 'JSON');
    const body = JSON.parse(json.text);
    assert.deepEqual(body, { RequestId: body.RequestId, B: null, List: { Item: [] }, Arr: [1, 2] });
    const root = parseXmlStrict((await render(data, 'XML')).res.text);
    assert.deepEqual(childNames(root), ['RequestId', 'List', 'Arr', 'Arr']);
    assert.deepEqual(root.children[1]!.children, []);
  });

  it('writes nested arrays as an element per inner list', async () => {
    const root = parseXmlStrict((await render({ M: [[1, 2], [3]] }, 'XML')).res.text);
    const outer = root.children.filter((c) => c.name === 'M');
    assert.equal(outer.length, 2);
    assert.deepEqual(outer[0]!.children.map((c) => c.text), ['1', '2']);
    assert.deepEqual(outer[1]!.children.map((c) => c.text), ['3']);
    const { res } = await render({ M: [[1, 2], [3]] }, 'JSON');
    assert.deepEqual(JSON.parse(res.text).M, [[1, 2], [3]]);
  });

  it('escapes markup and keeps entity-like text literally', async () => {
    const text = 'AT&amp;T <b>]]></b> "q" \'a\' \r\n\t end';
    const root = parseXmlStrict((await render({ Name: text }, 'XML')).res.text);
    assert.equal(childText(root, 'Name'), text);
    const { res } = await render({ Name: text }, 'JSON');
    assert.equal(JSON.parse(res.text).Name, text);
  });

  it('replaces characters XML 1.0 cannot carry with U+FFFD (JSON keeps them)', async () => {
    const text = 'a\u0000b\u0008c\uFFFEd\uD800e😀';
    const { res } = await render({ Name: text }, 'XML');
    assert.equal(childText(parseXmlStrict(res.text), 'Name'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe😀');
    const { res: json } = await render({ Name: text }, 'JSON');
    assert.equal(JSON.parse(json.text).Name, text);
  });

  for (const [label, data] of [
    ['a key that is not an XML name', { 'bad key': 1 }],
    ['a key starting with @', { '@Code': 1 }],
    ['a cycle', (() => { const a: Record<string, unknown> = {}; a.Self = a; return a; })()],
    ['an invalid Date', { When: new Date(Number.NaN) }],
  ] as const) {
    for (const format of ['XML', 'JSON'] as const) {
      it(`answers InternalError 500 for ${label} (${format}) and reports it`, async () => {
        const { res, emitted } = await render(data, format);
        const view = readError(res);
        assert.equal(res.status, 500);
        assert.equal(view.Code, 'InternalError');
        assert.equal(emitted.length, 1);
        assert.equal(emitted[0]!.requestId, view.RequestId);
      });
    }
  }

  it('leaves strings, Buffers, streams and redirects untouched', async () => {
    const { server } = service(async (ctx) => {
      if (ctx.path === '/s') ctx.body = 'plain';
      else if (ctx.path === '/b') ctx.body = Buffer.from([1, 2, 3]);
      else if (ctx.path === '/stream') ctx.body = Readable.from(['a', 'b']);
      else ctx.redirect('/elsewhere');
    });
    const s = await request(server).get('/s');
    assert.equal(s.text, 'plain');
    assert.match(s.headers['content-type'], /^text\/plain/);
    const b = await request(server).get('/b').buffer(true);
    assert.deepEqual([...(b.body as Buffer)], [1, 2, 3]);
    assert.equal(((await request(server).get('/stream').buffer(true)).body as Buffer).toString(), 'ab');
    const r = await request(server).get('/r');
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, '/elsewhere');
    assert.match(r.headers['x-acs-request-id'], REQUEST_ID);
  });
});

describe('envelope(): errors', () => {
  it('renders InvalidAction 403 when no route answered', async () => {
    const { server } = service(async () => undefined);
    const res = await request(server).get('/nothing?Format=JSON');
    assert.equal(res.status, 403);
    assert.equal(readError(res).Code, 'InvalidAction');
  });

  it('answers InvalidParameter "Format" in the default format for an unknown or repeated Format', async () => {
    const { server } = service(async (ctx) => {
      ctx.body = {};
    });
    for (const q of ['Format=yaml', 'Format=JSON&Format=XML', 'Format=', 'Format=JSONX']) {
      const res = await request(server).get(`/?${q}`);
      const view = readError(res);
      assert.equal(res.headers['content-type'], XML_TYPE, q);
      assert.equal(res.status, 400);
      assert.equal(view.Code, 'InvalidParameter');
      assert.equal(view.Message, 'The specified parameter "Format" is not valid.');
    }
    const body = await request(server).post('/?Format=JSON').type('form').send('Format=XML');
    assert.equal(readError(body).Code, 'InvalidParameter');
  });

  it('maps errors with an HTTP status by the documented table, exposing 4xx messages only', async () => {
    const cases: Array<[number, string, number, string | undefined]> = [
      [400, 'InvalidParameter', 400, 'bad thing'],
      [404, 'InvalidAction', 403, 'no such thing'],
      [405, 'UnsupportedHTTPMethod', 403, undefined],
      [429, 'Throttling', 400, undefined],
      [503, 'ServiceUnavailable', 503, undefined],
      [500, 'InternalError', 500, undefined],
      [502, 'ServiceUnavailable', 503, undefined],
    ];
    for (const [thrown, code, status, message] of cases) {
      const { server } = service(async (ctx) => {
        if (message !== undefined) ctx.throw(thrown, message);
        if (thrown >= 500) ctx.throw(thrown, 'internal detail /srv/app.js');
        ctx.throw(thrown);
      });
      const res = await request(server).get('/?Format=JSON');
      const view = readError(res);
      assert.equal(view.Code, code, String(thrown));
      assert.equal(res.status, status, String(thrown));
      if (message) assert.equal(view.Message, message);
      else assert.equal(view.Message, new (errors as unknown as Record<string, new () => Error>)[code]!().message);
    }
  });

  it('masks bugs and thrown non-Errors as InternalError and emits them with the RequestId', async () => {
    for (const thrown of [new TypeError('x is undefined at /srv/app.js:10'), 'a string', { weird: true }, null]) {
      const { server, emitted } = service(async () => {
        throw thrown;
      });
      const res = await request(server).get('/?Format=XML');
      const view = readError(res);
      assert.equal(res.status, 500);
      assert.equal(view.Code, 'InternalError');
      assert.equal(view.Message, 'The request processing has failed due to some unknown error, exception or failure.');
      assert.ok(!res.text.includes('/srv/app.js') && !res.text.includes('at '), res.text);
      assert.equal(emitted.length, 1);
      assert.ok(emitted[0] instanceof Error);
      assert.equal(emitted[0]!.requestId, view.RequestId);
    }
  });

  it('does not report typed errors through the error event', async () => {
    const { server, emitted } = service(async () => {
      throw new errors.ServiceUnavailable();
    });
    assert.equal((await request(server).get('/')).status, 503);
    assert.equal(emitted.length, 0);
  });

  it('drops headers the handler set before failing, keeps the error headers and the RequestId', async () => {
    const { server } = service(async (ctx) => {
      ctx.set('content-disposition', 'attachment');
      throw new errors.Throttling({ headers: { 'x-acs-retry-after': '1500', 'bad header': 'x', 'x-inject': 'a\r\nb' } });
    });
    const res = await request(server).get('/?Format=JSON');
    assert.equal(res.headers['content-disposition'], undefined);
    assert.equal(res.headers['x-acs-retry-after'], '1500');
    assert.equal(res.headers['x-inject'], undefined);
    assert.equal(readError(res).Code, 'Throttling');
  });

  it('renders error data after the fixed fields and never lets it replace them', async () => {
    const detail = { PolicyType: 'AccountLevelIdentityBasedPolicy', AuthAction: 'ecs:DescribeInstances' };
    const { server } = service(async () => {
      throw new errors.ForbiddenRAM({ data: { AccessDeniedDetail: detail, Code: 'Forged', RequestId: 'x' } });
    });
    const json = await request(server).get('/?Format=JSON');
    const body = JSON.parse(json.text);
    assert.deepEqual(Object.keys(body), ['RequestId', 'HostId', 'Code', 'Message', 'AccessDeniedDetail']);
    assert.equal(body.Code, 'Forbidden.RAM');
    assert.deepEqual(body.AccessDeniedDetail, detail);
    const xml = parseXmlStrict((await request(server).get('/?Format=XML')).text);
    assert.deepEqual(childNames(xml), ['RequestId', 'HostId', 'Code', 'Message', 'AccessDeniedDetail']);
    assert.equal(childText(xml.children[4]!, 'AuthAction'), 'ecs:DescribeInstances');
  });

  it('adds Recommend from a template and escapes user text in messages', async () => {
    const { server } = service(async () => {
      throw new errors.InvalidParameter({ message: 'bad <value> & ]]> "x"' });
    }, { recommend: 'https://api.example.com/troubleshoot?q={Code}&requestId={RequestId}' });
    const json = await request(server).get('/?Format=JSON');
    const view = readError(json);
    assert.equal(view.Recommend, `https://api.example.com/troubleshoot?q=InvalidParameter&requestId=${view.RequestId}`);
    const xml = readError(await request(server).get('/'));
    assert.equal(xml.Message, 'bad <value> & ]]> "x"');
    assert.deepEqual(xml.order, ['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
  });

  it('rejects malformed percent-encoding and invalid UTF-8 with InvalidParameter', async () => {
    const { server } = service(async (ctx) => {
      ctx.body = {};
    });
    for (const q of ['A=%zz', 'A=%E4%B8', 'A=%ff', '%=1']) {
      const res = await request(server).get(`/?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(readError(res).Code, 'InvalidParameter');
    }
  });

  it('refuses too many parameters and oversized bodies with an envelope', async () => {
    const { server } = service(async (ctx) => {
      ctx.body = {};
    }, { maxParameters: 50, bodyLimit: 1000 });
    const many = Array.from({ length: 51 }, (_, i) => `P${i}=1`).join('&');
    const res = await request(server).get(`/?Format=JSON&${many}`);
    assert.equal(res.status, 400);
    assert.match(readError(res).Message, /more than 50 parameters/);
    const big = await request(server).post('/?Format=JSON').type('form').send(`A=${'x'.repeat(2000)}`);
    assert.equal(big.status, 400);
    assert.match(readError(big).Message, /larger than the limit of 1000 bytes/);
  });

  it('leaves the parsed body for later middleware and does not read other content types', async () => {
    const { server } = service(async (ctx) => {
      const body = (ctx.request as { body?: unknown }).body as Record<string, unknown> | undefined;
      ctx.body = body === undefined ? { Absent: true } : { Keys: { Key: Object.keys(body) }, Proto: Object.getPrototypeOf(body) === null };
    });
    const form = JSON.parse((await request(server).post('/?Format=JSON').type('form').send('__proto__=x&A=1')).text);
    assert.deepEqual(form.Keys.Key, ['__proto__', 'A']);
    assert.equal(form.Proto, true);
    const other = JSON.parse((await request(server).post('/?Format=JSON').type('json').send({ Format: 'XML' })).text);
    assert.deepEqual(other, { RequestId: other.RequestId, Absent: true }, 'a JSON body is left for its own parser');
  });

  it('closes the connection when an error happens after the headers were sent', async () => {
    const { server, emitted } = service(async (ctx) => {
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.write('partial');
      throw new Error('late failure');
    });
    const srv = http.createServer(server).listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    try {
      const { port } = srv.address() as AddressInfo;
      const outcome = await new Promise<string>((resolve) => {
        http.get({ port, host: '127.0.0.1', path: '/' }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve('ended'));
          res.on('error', () => resolve('reset'));
          res.on('aborted', () => resolve('reset'));
        }).on('error', () => resolve('reset'));
      });
      assert.equal(outcome, 'reset');
      assert.equal(emitted.length, 1);
      assert.equal(emitted[0]!.message, 'late failure');
    } finally {
      srv.close();
    }
  });
});
