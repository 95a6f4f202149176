/// <reference lib="dom" />
/**
 * Drives the explorer page as a person would: type the AccessKey, fill an action's form, press a
 * button, and read back what the page shows.
 */
import type { Page } from 'puppeteer-core';

/** What the page shows after a call. */
export interface Shown {
  /** `data-status` of the result area: the HTTP status, or `error` when nothing was sent. */
  readonly status: string;
  /** The status line, e.g. `HTTP 200 OK`. */
  readonly statusLine: string;
  readonly code: string;
  readonly requestId: string;
  readonly headers: string;
  readonly body: string;
  readonly curl: string;
  readonly popCore: string;
}

/** How to fill a form. */
export interface CallOptions {
  /** Values by parameter pattern (`RegionId`, `Tag.N.Key` with one value per line). */
  readonly params?: Readonly<Record<string, string>>;
  readonly format?: 'JSON' | 'XML';
  readonly method?: 'POST' | 'GET';
  /** The "More parameters" lines. */
  readonly extra?: string;
  /** `send` (default) or `sign` (sign only). */
  readonly button?: 'send' | 'sign';
}

/**
 * Type the AccessKey into the page.
 *
 * @example
 * await typeAccessKey(page, 'testid', 'testsecret');
 */
export async function typeAccessKey(page: Page, accessKeyId: string, secret: string): Promise<void> {
  for (const [selector, value] of [['#access-key-id', accessKeyId], ['#access-key-secret', secret]] as const) {
    await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
    if (value !== '') await page.type(selector, value);
  }
}

/**
 * Fill an action's form, press a button, wait for the result and read it.
 *
 * @example
 * const shown = await callAction(page, 'DescribeRegions');
 */
export async function callAction(page: Page, action: string, options: CallOptions = {}): Promise<Shown> {
  const section = `#action-${action}`;
  await page.$$eval(`${section} form.try [data-param], ${section} form.try textarea[name="@extra"]`, (inputs) => {
    for (const input of inputs) (input as HTMLInputElement).value = '';
  });
  for (const [name, value] of Object.entries(options.params ?? {})) {
    const selector = `${section} form.try [data-param="${name}"]`;
    if ((await page.$(selector)) === null) throw new Error(`no input for ${name} in ${action}`);
    await page.$eval(selector, (el, v) => ((el as HTMLInputElement).value = v), value);
  }
  await page.select(`${section} select[name="@format"]`, options.format ?? 'JSON');
  await page.select(`${section} select[name="@method"]`, options.method ?? 'POST');
  if (options.extra !== undefined) await page.$eval(`${section} textarea[name="@extra"]`, (el, v) => ((el as HTMLTextAreaElement).value = v), options.extra);
  await page.$eval(`${section} .result`, (el) => el.removeAttribute('data-status'));
  await page.click(`${section} button[value="${options.button ?? 'send'}"]`);
  if ((options.button ?? 'send') === 'send') await page.waitForSelector(`${section} .result[data-status]`, { timeout: 15_000 });
  else await page.waitForFunction((s) => document.querySelector(`${s} .result .status`)?.textContent !== '', { timeout: 15_000 }, section);
  return page.$eval(`${section} .result`, (result) => {
    const text = (selector: string): string => result.querySelector(selector)?.textContent ?? '';
    return {
      status: result.getAttribute('data-status') ?? '',
      statusLine: text('.status'),
      code: text('.code'),
      requestId: text('.request-id'),
      headers: text('.headers'),
      body: text('.body'),
      curl: text('.curl'),
      popCore: text('.pop-core'),
    };
  });
}
