/**
 * Regenerate the action reference of examples/ecs/README.md from the API's reference
 * (`api.reference()`: the same declarations that drive dispatch and the OpenAPI export), between
 * the markers below: `npm run example:readme`
 * (`npx tsx examples/ecs/gen-readme.ts`; `--check` only reports whether it is stale, exit 1 if so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionReference, ParamDescription, ResponseFieldReference } from '../../lib/index.js';
import { createEcsApi } from './api.js';
import { MemoryInstanceRepository } from './instances.js';

/** Where the generated text starts. */
export const BEGIN_MARKER = '<!-- actions:begin (generated from api.reference() by examples/ecs/gen-readme.ts; do not edit by hand) -->';
/** Where it ends. */
export const END_MARKER = '<!-- actions:end -->';

/** The README this script maintains. */
export const README_PATH = path.join(__dirname, 'README.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function constraints(param: ParamDescription | ResponseFieldReference): string {
  const parts: string[] = [];
  if (param.minLength !== undefined && param.maxLength !== undefined) parts.push(`${param.minLength}-${param.maxLength} characters`);
  else if (param.maxLength !== undefined) parts.push(`at most ${param.maxLength} characters`);
  else if (param.minLength !== undefined) parts.push(`at least ${param.minLength} characters`);
  if (param.pattern !== undefined) parts.push(`pattern \`${param.pattern}\``);
  if (param.enum !== undefined) parts.push(`one of ${param.enum.map((v) => `\`${v}\``).join(', ')}`);
  if (param.min !== undefined && param.max !== undefined) parts.push(`${param.min} to ${param.max}`);
  else if (param.min !== undefined) parts.push(`≥ ${param.min}`);
  else if (param.max !== undefined) parts.push(`≤ ${param.max}`);
  if (param.maxItems !== undefined) parts.push(`at most ${param.maxItems} items`);
  if ('default' in param && param.default !== undefined) parts.push(`default ${JSON.stringify(param.default)}`);
  return parts.join('; ');
}

function responseLines(action: ActionReference): string[] {
  const lines = ['', '**Response** (besides `RequestId`):', ''];
  if (action.response.length === 0) {
    lines.push('Nothing besides `RequestId`.');
  } else {
    lines.push('| Field | Type | Always present | Constraints | Description |', '|---|---|---|---|---|');
    for (const field of action.response) {
      lines.push(`| \`${field.name}\` | ${field.type} | ${field.required ? 'yes' : ''} | ${cell(constraints(field))} | ${cell(field.description ?? '')} |`);
    }
  }
  lines.push('', '**Errors** (besides the protocol\'s own):', '');
  if (action.errors.length === 0) lines.push('None.');
  else lines.push(action.errors.map((error) => `\`${error.code}\` (${error.status})`).join(', ') + '.');
  return lines;
}

function actionSection(action: ActionReference): string {
  const notes = [`Version ${action.versions.join(', ')}`];
  if (action.idempotent) notes.push('idempotent with `ClientToken`');
  if (!action.anonymous) notes.push('signed (V1 or V3)');
  const lines = [`### ${action.name}`, '', `${action.description ?? ''} (${notes.join('; ')})`.trim(), ''];
  if (action.parameters.length === 0) {
    lines.push('No parameters besides the common ones.');
  } else {
    lines.push('| Parameter | Type | Required | Constraints | Description |', '|---|---|---|---|---|');
    for (const param of action.parameters) {
      lines.push(`| \`${param.name}\` | ${param.type} | ${param.required ? 'yes' : ''} | ${cell(constraints(param))} | ${cell(param.description ?? '')} |`);
    }
  }
  if (action.responseDeclared) lines.push(...responseLines(action));
  return lines.join('\n');
}

/**
 * The Markdown reference of every declared action.
 *
 * @example
 * renderActions(createEcsApi({ instances: new MemoryInstanceRepository() }).reference().actions);
 */
export function renderActions(actions: readonly ActionReference[]): string {
  return actions.map(actionSection).join('\n\n');
}

/**
 * `readme` with the text between the markers replaced by the current reference. Throws when the
 * markers are missing.
 *
 * @example
 * const fresh = updateReadme(readFileSync(README_PATH, 'utf8'));
 */
export function updateReadme(readme: string): string {
  const begin = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (begin === -1 || end === -1 || end < begin) throw new Error(`README.md needs the markers ${BEGIN_MARKER} and ${END_MARKER}`);
  const actions = createEcsApi({ instances: new MemoryInstanceRepository() }).reference().actions;
  return `${readme.slice(0, begin + BEGIN_MARKER.length)}\n\n${renderActions(actions)}\n\n${readme.slice(end)}`;
}

if (require.main === module) {
  const current = readFileSync(README_PATH, 'utf8');
  const fresh = updateReadme(current);
  if (process.argv.includes('--check')) {
    if (fresh !== current) {
      console.error('examples/ecs/README.md is stale: run npx tsx examples/ecs/gen-readme.ts');
      process.exitCode = 1;
    }
  } else if (fresh !== current) {
    writeFileSync(README_PATH, fresh);
    console.log('examples/ecs/README.md: action reference updated');
  } else {
    console.log('examples/ecs/README.md: action reference already up to date');
  }
}
