/// <reference lib="dom" />
/**
 * Hostile text in the explorer, in Chromium: a declaration whose descriptions are markup, and a
 * response whose values close the script element and open another. No script may run, no element
 * may appear: checked with the page's CSP, and again with the CSP bypassed, so that the escaping
 * alone is shown to hold.
 */
import assert from 'node:assert/strict';
import Koa from 'koa';
import type { Page } from 'puppeteer-core';
import { createRpcApi, envelope, explorer, koaRpc, p } from '../../lib/index.js';
import { listen, type Listening } from '../../examples/ecs/service.js';
import { launchChromium, requireChromium, type LaunchedChromium } from './chromium.js';
import { callAction } from './page-driver.js';

const MARKUP = `<img src=x onerror="window.__pwned='description'"><script>window.__pwned='script'</script>`;
const BREAKOUT = `</script><script>window.__pwned='response'</script><img src=x onerror="window.__pwned='img'">`;

function hostileApp(): Koa {
  const api = createRpcApi<Koa.Context>({ version: '2014-05-26' });
  api.action('Hostile', {
    description: MARKUP,
    params: { Note: p.string({ description: MARKUP }) },
    handler: ({ Note }) => ({ Echo: BREAKOUT, Note: Note ?? '' }),
  });
  const app = new Koa();
  app.use(explorer(api, { path: '/explorer', title: MARKUP }));
  app.use(envelope());
  app.use(koaRpc(api));
  return app;
}

/** What would show that hostile text became markup or script. */
async function damage(page: Page): Promise<{ pwned: string; images: number; scripts: number }> {
  return page.evaluate(() => ({ pwned: typeof (window as unknown as { __pwned?: unknown }).__pwned, images: document.images.length, scripts: document.scripts.length }));
}

for (const csp of ['with its CSP', 'with the CSP bypassed'] as const) {
  describe(`explorer in Chromium: hostile descriptions and responses stay text (${csp})`, function () {
    this.timeout(120_000);
    let chromium: LaunchedChromium;
    let server: Listening;
    let page: Page;
    const problems: string[] = [];

    before(async function () {
      requireChromium(this);
      server = await listen(hostileApp().callback(), '127.0.0.1', 0);
      chromium = await launchChromium();
      page = await chromium.browser.newPage();
      if (csp === 'with the CSP bypassed') await page.setBypassCSP(true);
      page.on('pageerror', (err) => problems.push(String(err)));
      page.on('console', (message) => {
        // Errors only; without the CSP the browser also asks for /favicon.ico, which this app answers with an error envelope.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
      });
      // See browser.test.ts: the page needs a no-op __name for functions compiled by tsx.
      await page.evaluateOnNewDocument('globalThis.__name = function (fn) { return fn; };');
      assert.equal((await page.goto(`${server.endpoint}/explorer`, { waitUntil: 'load' }))?.status(), 200);
    });

    after(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('the descriptions and the title are shown as text', async () => {
      assert.equal(await page.title(), MARKUP);
      assert.equal(await page.$eval('#action-Hostile .description', (el) => el.textContent), MARKUP);
      const cells = await page.$$eval('#action-Hostile table:first-of-type td', (tds) => tds.map((td) => td.textContent));
      assert.ok(cells.includes(MARKUP), JSON.stringify(cells));
      assert.deepEqual(await damage(page), { pwned: 'undefined', images: 0, scripts: 1 });
    });

    it('a response that closes the script element, and an echoed parameter, are shown as text', async () => {
      const shown = await callAction(page, 'Hostile', { params: { Note: BREAKOUT } });
      assert.equal(shown.status, '200');
      assert.deepEqual(JSON.parse(shown.body), { RequestId: shown.requestId, Echo: BREAKOUT, Note: BREAKOUT });
      assert.ok(shown.curl.includes('Note=%3C%2Fscript%3E%3Cscript%3E'), shown.curl);
      const xml = await callAction(page, 'Hostile', { params: { Note: BREAKOUT }, format: 'XML' });
      assert.ok(xml.body.includes('<Echo>&lt;/script&gt;&lt;script&gt;'), xml.body);
      assert.deepEqual(await damage(page), { pwned: 'undefined', images: 0, scripts: 1 });
      assert.deepEqual(problems, []);
    });
  });
}
