/**
 * The explorer's HTTP answer, framework-free: which requests it serves, and the page with its
 * security headers (a per-response CSP nonce; nothing may load, frame or submit elsewhere). The Koa
 * and Express middlewares (koa.ts, express.ts) only copy this answer onto their response.
 */
import { randomBytes } from 'node:crypto';
import type { ExplorerOptions } from './options.js';
import { explorerPage } from './page.js';
import { buildReference, type ReferenceSource } from '../reference/model.js';

/** What to send. */
export interface ExplorerAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for HEAD. */
  readonly body: string;
}

/** Serves the page: `undefined` for requests that are not for it. */
export type ExplorerResponder = (method: string, pathname: string) => ExplorerAnswer | undefined;

const LITERAL_PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/** The page's `connect-src`: its own origin, or the origin of a full-URL endpoint. */
function connectSource(endpoint: string): string {
  if (endpoint.startsWith('/')) {
    if (!LITERAL_PATH.test(endpoint)) throw new TypeError("explorer: endpoint must be a literal path starting with '/' or an http(s) URL");
    return "'self'";
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError("explorer: endpoint must be a literal path starting with '/' or an http(s) URL");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('explorer: endpoint must be an http(s) URL');
  return url.origin;
}

function securityHeaders(nonce: string, connect: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src ${connect}; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/**
 * The responder of an API's explorer. The reference is read from the declarations on the first
 * request (so actions declared after the middleware was created are shown) and kept.
 *
 * @example
 * const respond = explorerResponder(api, { path: '/explorer' });
 * respond('GET', '/explorer'); // { status: 200, headers: { 'content-security-policy': …, … }, body: '<!doctype html>…' }
 */
export function explorerResponder(api: ReferenceSource, options: ExplorerOptions): ExplorerResponder {
  if (typeof options?.path !== 'string' || !LITERAL_PATH.test(options.path)) {
    throw new TypeError("explorer: path must be a literal path starting with '/' (letters, digits, - . _ ~ /)");
  }
  const apiPath = api.options.path;
  if (options.path === apiPath) throw new TypeError(`explorer: path ${options.path} is the API's own path; choose another, e.g. /explorer`);
  const endpoint = options.endpoint ?? apiPath;
  const connect = connectSource(endpoint);
  const settings = { title: options.title ?? 'API explorer', endpoint };
  let page: ((nonce: string) => string) | undefined;
  return (method, pathname) => {
    if (pathname !== options.path || (method !== 'GET' && method !== 'HEAD')) return undefined;
    page ??= explorerPage(buildReference(api), settings);
    const nonce = randomBytes(18).toString('base64');
    return { status: 200, headers: securityHeaders(nonce, connect), body: method === 'HEAD' ? '' : page(nonce) };
  };
}
