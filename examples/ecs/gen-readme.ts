/**
 * Regenerate what is derived from the action declarations of api.ts: the action reference of
 * examples/ecs/README.md (between the markers below), the API reference (reference.json, what
 * `api.reference()` returns) and the OpenAPI 3.1 document (openapi.json, `api.openapi()`):
 * `npm run example:readme` (`npx tsx examples/ecs/gen-readme.ts`; `--check` only reports whether
 * any of them is stale, exit 1 if so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionReference, ParamDescription, ResponseFieldReference } from '../../lib/index.js';
import { createEcsApi } from './api.js';
import { MemoryInstanceRepository } from './instances.js';
import { clientTokenGuard, MemoryStore, rateLimitThrottler, signatureAuthenticator, staticCredentials, type RpcApi } from './middleware.js';

/** Where the generated text starts. */
export const BEGIN_MARKER = '<!-- actions:begin (generated from api.reference() by examples/ecs/gen-readme.ts; do not edit by hand) -->';
/** Where it ends. */
export const END_MARKER = '<!-- actions:end -->';

/** The README this script maintains. */
export const README_PATH = path.join(__dirname, 'README.md');
/** The committed API reference. */
export const REFERENCE_PATH = path.join(__dirname, 'reference.json');
/** The committed OpenAPI document. */
export const OPENAPI_PATH = path.join(__dirname, 'openapi.json');

/**
 * The API as the service runs it (service.ts): signed, throttled, ClientToken-aware. Only the
 * presence of each step shows in the documents (which errors may occur, which actions are signed).
 *
 * @example
 * documentedApi().reference().actions.length; // 6
 */
export function documentedApi(): RpcApi {
  return createEcsApi({
    instances: new MemoryInstanceRepository(),
    authenticate: signatureAuthenticator({ credentials: staticCredentials({}) }),
    throttle: rateLimitThrottler({ limit: { points: 100, durationSeconds: 1 } }),
    idempotency: clientTokenGuard({ store: new MemoryStore() }),
  });
}

/**
 * The generated files, by path, with their current content.
 *
 * @example
 * for (const [file, text] of generatedFiles(readFileSync(README_PATH, 'utf8'))) writeFileSync(file, text);
 */
export function generatedFiles(readme: string): Map<string, string> {
  const api = documentedApi();
  const openapi = api.openapi({ title: 'ECS example', servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start' }] });
  return new Map([
    [README_PATH, updateReadme(readme)],
    [REFERENCE_PATH, `${JSON.stringify(api.reference(), null, 2)}\n`],
    [OPENAPI_PATH, `${JSON.stringify(openapi, null, 2)}\n`],
  ]);
}

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
  const actions = documentedApi().reference().actions;
  return `${readme.slice(0, begin + BEGIN_MARKER.length)}\n\n${renderActions(actions)}\n\n${readme.slice(end)}`;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  for (const [file, fresh] of generatedFiles(readFileSync(README_PATH, 'utf8'))) {
    const name = path.relative(process.cwd(), file);
    if (readOrEmpty(file) === fresh) {
      if (!check) console.log(`${name}: already up to date`);
    } else if (check) {
      console.error(`${name} is stale: run npx tsx examples/ecs/gen-readme.ts`);
      process.exitCode = 1;
    } else {
      writeFileSync(file, fresh);
      console.log(`${name}: updated`);
    }
  }
}
