/**
 * One action's reference as HTML: its description, parameters (with their constraints), response
 * fields, errors with their status, and an XML and a JSON example. Everything is escaped.
 */
import type { ParamDescription } from '../rpc/params/describe.js';
import { escapeHtml } from './html.js';
import type { ActionReference, ErrorReference, ResponseFieldReference } from '../reference/model.js';

function table(headings: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** What parameters and response fields share: their constraints. */
type Constrained = Pick<ParamDescription, 'enum' | 'min' | 'max' | 'minLength' | 'maxLength' | 'pattern' | 'minItems' | 'maxItems'> &
  Partial<Pick<ParamDescription, 'default' | 'jsonSchema'>>;

/** The constraints of a parameter or response field, as short escaped phrases. */
function constraints(param: Constrained): string {
  const parts: string[] = [];
  if (param.default !== undefined) parts.push(`default ${code(String(param.default))}`);
  if (param.enum !== undefined) parts.push(`one of ${param.enum.map(code).join(', ')}`);
  if (param.min !== undefined) parts.push(`≥ ${code(String(param.min))}`);
  if (param.max !== undefined) parts.push(`≤ ${code(String(param.max))}`);
  if (param.minLength !== undefined) parts.push(`at least ${count(param.minLength, 'character')}`);
  if (param.maxLength !== undefined) parts.push(`at most ${count(param.maxLength, 'character')}`);
  if (param.pattern !== undefined) parts.push(`matches ${code(param.pattern)}`);
  if (param.minItems !== undefined) parts.push(`at least ${count(param.minItems, 'item')}`);
  if (param.maxItems !== undefined) parts.push(`at most ${count(param.maxItems, 'item')}`);
  if (param.jsonSchema !== undefined) parts.push(`JSON: ${code(JSON.stringify(param.jsonSchema))}`);
  return parts.join('; ');
}

function parameterRows(parameters: readonly ParamDescription[]): string[][] {
  return parameters.map((param) => [code(param.name), escapeHtml(param.type), param.required ? 'yes' : 'no', constraints(param), escapeHtml(param.description ?? '')]);
}

function responseRows(fields: readonly ResponseFieldReference[]): string[][] {
  return fields.map((field) => [code(field.name), escapeHtml(field.type), field.required ? 'yes' : 'no', constraints(field), escapeHtml(field.description ?? '')]);
}

/**
 * A table of errors: code, HTTP status, message.
 *
 * @example
 * errorTable(reference.errors, 'None.'); // '<table>…<td><code>InvalidAction</code></td><td>403</td>…'
 */
export function errorTable(errors: readonly ErrorReference[], empty: string): string {
  const rows = errors.map((error) => [code(error.code), escapeHtml(String(error.status)), escapeHtml(error.message)]);
  return table(['Code', 'HTTP status', 'Message'], rows, empty);
}

/** The JSON example indented for reading (it is the envelope writer's compact output). */
function readableJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

function examples(action: ActionReference): string {
  return (
    '<h3>Examples</h3>' +
    `<details class="example-xml"><summary>XML</summary><pre>${escapeHtml(action.examples.xml)}</pre></details>` +
    `<details class="example-json"><summary>JSON</summary><pre>${escapeHtml(readableJson(action.examples.json))}</pre></details>`
  );
}

/**
 * The reference part of an action's section.
 *
 * @example
 * referenceHtml(reference.actions[0]); // '<h2>DescribeRegions</h2>…'
 */
export function referenceHtml(action: ActionReference): string {
  const traits = [`Version ${action.versions.map(code).join(', ')}`];
  traits.push(action.signed ? 'signed (Signature V1 or V3)' : 'no signature needed');
  if (action.strict) traits.push('undeclared parameters refused');
  if (action.idempotent) traits.push(`idempotent with ${code('ClientToken')}`);
  const description = action.description === undefined ? '' : `<p class="description">${escapeHtml(action.description)}</p>`;
  return (
    `<h2>${escapeHtml(action.name)}</h2>` +
    `<p class="traits">${traits.join(' · ')}</p>` +
    description +
    '<h3>Request parameters</h3>' +
    table(['Name', 'Type', 'Required', 'Constraints', 'Description'], parameterRows(action.parameters), 'No business parameters.') +
    '<h3>Response fields</h3>' +
    (action.responseDeclared
      ? table(['Name', 'Type', 'Always present', 'Constraints', 'Description'], responseRows(action.response), 'Only RequestId.')
      : '<p class="empty">Not declared.</p>') +
    '<h3>Errors</h3>' +
    errorTable(action.errors, 'None of its own; see the errors every action may answer.') +
    examples(action)
  );
}
