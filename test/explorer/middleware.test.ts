/**
 * The explorer middleware over HTTP (Koa and Express, supertest): what it serves and where, its
 * security headers, that the page is self-contained and escapes what it shows, and its options.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import express from 'express';
import request from 'supertest';
import { createRpcApi, envelope, explorer, koaRpc, p } from '../../lib/index.js';
import { envelope as expressEnvelope, errorHandler, explorer as expressExplorer, expressRpc } from '../../lib/express/index.js';
import type { RpcApi } from '../../lib/rpc/api.js';

const HOSTILE = `<img src=x onerror="window.__pwned='markup'"><script>window.__pwned='script'</script>"'&`;

function demoApi<Ctx>(): RpcApi<Ctx> {
  const api = createRpcApi<Ctx>({ version: '2014-05-26' });
  api.action('DescribeRegions', { description: 'The regions.', handler: () => ({ Regions: { Region: [] } }) });
  return api;
}

function koaApp(api: RpcApi<Koa.Context>, options: Parameters<typeof explorer>[1] = { path: '/explorer' }): Koa {
  const app = new Koa();
  app.use(explorer(api, options));
  app.use(envelope());
  app.use(koaRpc(api));
  return app;
}

function expressApp(api: RpcApi<unknown>): express.Express {
  const app = express();
  app.use(expressExplorer(api, { path: '/explorer' }));
  app.use(expressEnvelope());
  app.use(expressRpc(api));
  app.use(errorHandler());
  return app;
}

/** The CSP nonce, checked to be the one of the page's only style and only script. */
function checkNonce(csp: string, html: string): string {
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonce !== undefined, csp);
  assert.equal(csp, `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`);
  assert.deepEqual([...html.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]), [`<style nonce="${nonce}">`, `<script nonce="${nonce}">`]);
  return nonce;
}

const servers = {
  koa: () => koaApp(demoApi<Koa.Context>()).callback(),
  express: () => expressApp(demoApi<unknown>()),
};

for (const [framework, listener] of Object.entries(servers)) {
  describe(`explorer middleware on ${framework}`, () => {
    it('GET <path>: the page, with a fresh CSP nonce per response and the security headers', async () => {
      const app = listener();
      const first = await request(app).get('/explorer?x=1').expect(200);
      assert.equal(first.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(first.headers['x-content-type-options'], 'nosniff');
      assert.equal(first.headers['x-frame-options'], 'DENY');
      assert.equal(first.headers['referrer-policy'], 'no-referrer');
      assert.equal(first.headers['cache-control'], 'no-store');
      assert.match(first.text, /^<!doctype html><html lang="en">/);
      assert.ok(first.text.includes('<h2>DescribeRegions</h2>'));
      const second = await request(app).get('/explorer').expect(200);
      assert.notEqual(checkNonce(first.headers['content-security-policy'] as string, first.text), checkNonce(second.headers['content-security-policy'] as string, second.text));
    });

    it('HEAD <path>: the headers, no body', async () => {
      const res = await request(listener()).head('/explorer').expect(200);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.text, undefined);
    });

    it('everything else passes through: the API answers at its path, other methods and paths are not the page', async () => {
      const app = listener();
      const api = await request(app).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON').expect(200);
      assert.deepEqual(Object.keys(JSON.parse(api.text)), ['RequestId', 'Regions']);
      for (const res of [await request(app).post('/explorer'), await request(app).get('/explorer/'), await request(app).get('/explorer.html')]) {
        assert.notEqual(res.headers['content-type'], 'text/html; charset=utf-8');
      }
    });
  });
}

describe('explorer page content', () => {
  it('is self-contained: no element loads anything, the stylesheet fetches nothing', async () => {
    const res = await request(koaApp(demoApi<Koa.Context>()).callback()).get('/explorer').expect(200);
    assert.doesNotMatch(res.text, /<(link|img|iframe|object|embed|base|meta http-equiv)\b/i);
    assert.doesNotMatch(res.text, /\s(src|srcset|action|formaction)=/i);
    assert.doesNotMatch(res.text, /url\(|@import/);
    assert.doesNotMatch(res.text, /https?:\/\//);
  });

  it('escapes declared descriptions and the title; the hostile text appears only as text', async () => {
    const api = createRpcApi<Koa.Context>({ version: '2014-05-26' });
    api.action('Hostile', {
      description: HOSTILE,
      params: { Note: p.string({ description: HOSTILE, default: HOSTILE }), Kind: p.enum(['a"b', '<c>']) },
      handler: () => ({}),
    });
    const res = await request(koaApp(api, { path: '/explorer', title: HOSTILE }).callback()).get('/explorer').expect(200);
    const escaped = '&lt;img src=x onerror=&quot;window.__pwned=&#39;markup&#39;&quot;&gt;&lt;script&gt;window.__pwned=&#39;script&#39;&lt;/script&gt;&quot;&#39;&amp;';
    assert.ok(res.text.includes(`<title>${escaped}</title>`));
    assert.ok(res.text.includes(`<p class="description">${escaped}</p>`));
    assert.ok(res.text.includes(`placeholder="${escaped}"`));
    assert.ok(res.text.includes('<option value="a&quot;b">a&quot;b</option><option value="&lt;c&gt;">&lt;c&gt;</option>'));
    assert.equal(res.text.split('<img').length, 1);
    assert.equal(res.text.split('<script').length, 2, 'only the page script');
  });

  it('shows actions declared after the middleware was created', async () => {
    const api = demoApi<Koa.Context>();
    const app = koaApp(api).callback();
    api.action('LateAction', { handler: () => ({}) });
    const res = await request(app).get('/explorer').expect(200);
    assert.ok(res.text.includes('<h2>LateAction</h2>'));
  });

  it('an endpoint on another origin is the only connect-src', async () => {
    const res = await request(koaApp(demoApi<Koa.Context>(), { path: '/explorer', endpoint: 'https://api.example.test:8443/rpc' }).callback()).get('/explorer').expect(200);
    assert.match(res.headers['content-security-policy'] as string, /; connect-src https:\/\/api\.example\.test:8443; /);
    assert.ok(res.text.includes('data-endpoint="https://api.example.test:8443/rpc"'));
  });
});

describe('explorer options', () => {
  const api = demoApi<Koa.Context>();
  it('refuses a missing, relative or pattern path, and the API path itself', () => {
    for (const path of [undefined, '', 'explorer', '/:id', '/ex plorer', '/*']) {
      assert.throws(() => explorer(api, { path } as { path: string }), /explorer: path must be a literal path/);
    }
    assert.throws(() => explorer(api, { path: '/' }), /explorer: path \/ is the API's own path/);
  });

  it('refuses an endpoint that is neither a literal path nor an http(s) URL', () => {
    for (const endpoint of ['javascript:alert(1)', 'data:text/html,x', 'relative', "/x' 'unsafe-inline"]) {
      assert.throws(() => explorer(api, { path: '/explorer', endpoint }), /explorer: endpoint must be/, endpoint);
    }
  });
});
