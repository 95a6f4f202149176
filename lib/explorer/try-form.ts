/**
 * One action's "Try it" form: an input per scalar parameter (one value per line for `Name.N`
 * patterns), Version, Format and method, free `Name=value` lines for anything else, and the result
 * area the page's script fills. The script (client-ui.ts) reads the `data-*` attributes written here.
 */
import type { ParamDescription } from '../rpc/params/describe.js';
import { escapeHtml } from './html.js';
import type { ActionReference } from '../reference/model.js';

const LIST_MARK = /\.N(?=\.|$)/g;

function listDepth(name: string): number {
  return name.match(LIST_MARK)?.length ?? 0;
}

function option(value: string, label = value): string {
  return `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
}

function select(name: string, values: readonly string[], dataParam?: string): string {
  const data = dataParam === undefined ? '' : ` data-param="${escapeHtml(dataParam)}"`;
  return `<select name="${escapeHtml(name)}"${data}>${values.map((v) => (v === '' ? option('', '(not sent)') : option(v))).join('')}</select>`;
}

/** The input of one parameter, or a hint when it has none (containers, nested lists). */
function parameterInput(param: ParamDescription): string {
  if (param.type === 'list' || param.type === 'struct') return '';
  const name = escapeHtml(param.name);
  const depth = listDepth(param.name);
  const label = `<span class="name">${name}</span>${param.required && depth === 0 && !param.name.includes('.') ? ' <span class="required">required</span>' : ''}`;
  if (depth > 1) return `<p class="hint">${name}: write it under “More parameters”.</p>`;
  if (depth === 1) {
    return `<label>${label} <span class="hint">one value per line (N = 1, 2, …)</span><textarea rows="2" data-param="${name}" data-list spellcheck="false"></textarea></label>`;
  }
  if (param.type === 'boolean') return `<label>${label} ${select(param.name, ['', 'true', 'false'], param.name)}</label>`;
  if (param.type === 'enum' && param.enum !== undefined) return `<label>${label} ${select(param.name, ['', ...param.enum], param.name)}</label>`;
  if (param.type === 'json') return `<label>${label}<textarea rows="3" data-param="${name}" spellcheck="false"></textarea></label>`;
  const placeholder = param.default === undefined ? '' : ` placeholder="${escapeHtml(String(param.default))}"`;
  return `<label>${label} <input type="text" data-param="${name}"${placeholder} autocomplete="off" spellcheck="false"></label>`;
}

const RESULT = [
  '<div class="result" hidden>',
  '<p class="outcome"><span class="status"></span> <span class="code"></span></p>',
  '<p>RequestId: <code class="request-id"></code></p>',
  '<details><summary>Response headers</summary><pre class="headers"></pre></details>',
  '<h4>Body</h4><pre class="body"></pre>',
  '<h4>curl</h4><pre class="curl"></pre>',
  '<h4>@alicloud/pop-core</h4><pre class="pop-core"></pre>',
  '</div>',
].join('');

/**
 * The form and result area of an action's section.
 *
 * @example
 * tryFormHtml(reference.actions[0]); // '<h3>Try it</h3><form class="try" data-action="DescribeRegions" …'
 */
export function tryFormHtml(action: ActionReference): string {
  const version = action.versions.length > 1 ? `<label>Version ${select('@version', action.versions)}</label>` : '';
  const inputs = action.parameters.map(parameterInput).filter((html) => html !== '').join('');
  return (
    '<h3>Try it</h3>' +
    `<form class="try" data-action="${escapeHtml(action.name)}" data-version="${escapeHtml(action.versions[0] ?? '')}"${action.signed ? '' : ' data-unsigned'} novalidate>` +
    `<div class="common">${version}<label>Format ${select('@format', ['JSON', 'XML'])}</label><label>Method ${select('@method', ['POST', 'GET'])}</label></div>` +
    `<div class="params">${inputs}</div>` +
    '<label>More parameters <span class="hint">Name=value, one per line</span><textarea rows="2" name="@extra" spellcheck="false"></textarea></label>' +
    '<div class="buttons"><button type="submit" value="send">Sign and send</button> <button type="submit" value="sign">Sign only (for curl)</button></div>' +
    '</form>' +
    RESULT
  );
}
