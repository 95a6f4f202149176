/**
 * The explorer page: a self-contained HTML document (no external request of any kind) with the
 * API's reference, a form per action, and the inline style and script, both carrying the
 * response's CSP nonce.
 */
import { SIGNER_SCRIPT } from './client-signer.js';
import { UI_SCRIPT } from './client-ui.js';
import { escapeHtml } from './html.js';
import { errorTable, referenceHtml } from './reference-section.js';
import type { ApiReference } from '../reference/model.js';
import { PAGE_STYLES } from './styles.js';
import { tryFormHtml } from './try-form.js';

/** What the page is built from besides the reference. */
export interface PageSettings {
  readonly title: string;
  /** Where the forms send their requests (a path on the page's origin, or a full URL). */
  readonly endpoint: string;
}

const CREDENTIALS = [
  '<section id="credentials" aria-label="AccessKey">',
  '<label>AccessKeyId <input id="access-key-id" type="text" autocomplete="off" spellcheck="false"></label>',
  '<label>AccessKeySecret <input id="access-key-secret" type="password" autocomplete="off"></label>',
  '<p class="note">The AccessKey stays in this page: requests are signed here (Signature V3); the secret is never sent and never stored.</p>',
  '<p id="no-webcrypto" hidden>This browser offers no WebCrypto on this page (a page served over plain HTTP from another host than localhost): open it over HTTPS, or through an SSH tunnel to localhost, to sign requests.</p>',
  '</section>',
].join('');

/** The script is inline: `</` cannot occur in it, so it cannot close its element early. */
const SCRIPT = SIGNER_SCRIPT + UI_SCRIPT;
if (SCRIPT.includes('</')) throw new Error('explorer: the page script must not contain "</"');

/**
 * Build the page once; the returned function writes it with a request's nonce.
 *
 * @example
 * const page = explorerPage(referenceOf(api), { title: 'ECS explorer', endpoint: '/' });
 * const html = page(nonce);
 */
export function explorerPage(reference: ApiReference, settings: PageSettings): (nonce: string) => string {
  const title = escapeHtml(settings.title);
  const nav = reference.actions.map((a) => `<li><a href="#action-${escapeHtml(a.name)}">${escapeHtml(a.name)}</a></li>`).join('');
  const sections = reference.actions.map((a) => `<section class="action" id="action-${escapeHtml(a.name)}">${referenceHtml(a)}${tryFormHtml(a)}</section>`).join('');
  const header =
    `<header><div><h1>${title}</h1><p class="api">Version <code>${escapeHtml(reference.version)}</code> · endpoint <code>${escapeHtml(settings.endpoint)}</code> · ${reference.actions.length} actions</p></div>${CREDENTIALS}</header>`;
  const common = `<section class="action" id="protocol-errors"><h2>Errors every action may answer</h2>${errorTable(reference.errors, 'None.')}</section>`;
  const body = `<body data-endpoint="${escapeHtml(settings.endpoint)}">${header}<nav><ul>${nav}<li><a href="#protocol-errors">Errors of every action</a></li></ul></nav><main>${sections}${common}</main>`;
  return (nonce) =>
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${title}</title><style nonce="${nonce}">${PAGE_STYLES}</style></head>` +
    body +
    `<script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
