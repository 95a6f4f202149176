/**
 * Judging a response the way a client (and an attacker) sees it: a well-formed envelope, parsed by
 * a real XML parser or JSON.parse, with the expected status and code, the RequestId in header and
 * body alike and never the one the client forged, nothing injected into the headers, and no stack
 * trace, internal path or secret anywhere in the bytes.
 */
import { parseXmlStrict, type XmlElement } from '../support/xml.js';
import type { RawOutcome, RawResponse } from './raw-client.js';
import type { Expectation, Outcome } from './case.js';
import { DISABLED_KEY, KEY } from './service.js';

export const JSON_TYPE = 'application/json;charset=utf-8';
export const XML_TYPE = 'text/xml;charset=utf-8';
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** Text that must never reach a client. */
const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a stack frame', /\n\s+at \S|\bat (?:async )?[\w.<>]+ \(/],
  ['an internal path', /\/work\/|node_modules|\/home\/|\/usr\/|[A-Z]:\\/],
  ['a source file name', /\.(?:ts|js|cjs|mjs):\d+/],
  ['a secret', new RegExp(`${KEY.secret}|${DISABLED_KEY.secret}`)],
  ['an error class name', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|URIError)\b/],
];

/** The parsed envelope. */
export interface Envelope {
  readonly format: 'XML' | 'JSON';
  readonly requestId: string;
  /** `Code` of an error envelope; null for a success envelope. */
  readonly code: string | null;
  readonly message: string | undefined;
  /** XML root name or `'(json)'`. */
  readonly root: string;
}

function header(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([n]) => n === name)?.[1];
}

function child(root: XmlElement, name: string): string | undefined {
  const found = root.children.filter((c) => c.name === name);
  if (found.length > 1) throw new Error(`<${name}> repeated in <${root.name}>`);
  return found[0]?.text;
}

/**
 * Parse the envelope of a response (throws with the reason when it is not one). For a HEAD request
 * there is no body: only the headers are checked and `code` is unknown (undefined message).
 *
 * @example
 * const envelope = readEnvelope(response, 'GET');
 */
export function readEnvelope(response: RawResponse, method: string): Envelope {
  const type = header(response, 'content-type');
  const requestId = header(response, 'x-acs-request-id');
  if (requestId === undefined || !REQUEST_ID.test(requestId)) throw new Error(`x-acs-request-id ${JSON.stringify(requestId)} is not a RequestId`);
  if (type !== JSON_TYPE && type !== XML_TYPE) throw new Error(`content-type ${JSON.stringify(type)} is not an envelope type`);
  const format = type === JSON_TYPE ? 'JSON' : 'XML';
  if (method === 'HEAD') {
    if (response.body.length !== 0) throw new Error('a HEAD response has a body');
    return { format, requestId, code: null, message: undefined, root: '(head)' };
  }
  const text = response.body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(response.body)) throw new Error('the body is not valid UTF-8');
  if (format === 'JSON') {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the JSON body is not an object');
    const body = parsed as Record<string, unknown>;
    if (body.RequestId !== requestId) throw new Error('body RequestId differs from x-acs-request-id');
    if (response.status < 400) return { format, requestId, code: null, message: undefined, root: '(json)' };
    for (const key of ['RequestId', 'HostId', 'Code', 'Message']) {
      if (typeof body[key] !== 'string') throw new Error(`error field ${key} is not a string`);
    }
    return { format, requestId, code: body.Code as string, message: body.Message as string, root: '(json)' };
  }
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('no XML declaration');
  const root = parseXmlStrict(text);
  if (child(root, 'RequestId') !== requestId) throw new Error('body RequestId differs from x-acs-request-id');
  if (response.status < 400) {
    if (!root.name.endsWith('Response')) throw new Error(`success root <${root.name}> is not <ActionResponse>`);
    return { format, requestId, code: null, message: undefined, root: root.name };
  }
  if (root.name !== 'Error') throw new Error(`error root is <${root.name}>, not <Error>`);
  for (const name of ['HostId', 'Code', 'Message']) if (child(root, name) === undefined) throw new Error(`<Error> has no <${name}>`);
  return { format, requestId, code: child(root, 'Code') as string, message: child(root, 'Message'), root: root.name };
}

/** What the case knows that the response must not echo. */
export interface VerdictContext {
  readonly method: string;
  /** RequestIds the client sent (must not come back). */
  readonly forgedRequestIds: readonly string[];
}

/** Problems with the bytes themselves, whatever the outcome. */
function leaks(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const problems: string[] = [];
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) problems.push(`the response contains ${what}: ${JSON.stringify(text.match(pattern)?.[0])}`);
  return problems;
}

function headerProblems(response: RawResponse, context: VerdictContext): string[] {
  const problems: string[] = [];
  for (const [name, value] of response.headers) {
    if (/injected/i.test(name) || /injected/i.test(value)) problems.push(`an injected header came back: ${name}: ${value}`);
    if (name === 'set-cookie') problems.push('a Set-Cookie header came back');
  }
  const id = header(response, 'x-acs-request-id');
  if (id !== undefined && context.forgedRequestIds.includes(id)) problems.push('the forged x-acs-request-id was echoed');
  if (response.headers.filter(([n]) => n === 'x-acs-request-id').length > 1) problems.push('x-acs-request-id sent twice');
  return problems;
}

/**
 * Every problem with `outcome` against `expect` (empty: the case passes).
 *
 * @example
 * const problems = judge(outcome, { status: 400, code: 'InvalidParameter' }, { method: 'GET', forgedRequestIds: [] });
 */
export function judge(outcome: RawOutcome, expect: Expectation, context: VerdictContext): string[] {
  if (!Array.isArray(expect)) return judgeOne(outcome, expect as Outcome, context);
  const verdicts = (expect as readonly Outcome[]).map((one) => judgeOne(outcome, one, context));
  return verdicts.find((problems) => problems.length === 0) ?? (verdicts[0] as string[]);
}

function judgeOne(outcome: RawOutcome, expect: Outcome, context: VerdictContext): string[] {
  const bytes = outcome.kind === 'response' ? outcome.response.bytes : outcome.bytes;
  const problems = leaks(bytes);
  if ('closed' in expect) {
    if (outcome.kind !== 'closed') problems.push(`expected the connection closed without a response, got ${describe(outcome)}`);
    return problems;
  }
  if (outcome.kind !== 'response') return [...problems, `expected a response, got ${describe(outcome)}`];
  const { response } = outcome;
  problems.push(...headerProblems(response, context));
  let envelope: Envelope;
  try {
    envelope = readEnvelope(response, context.method);
  } catch (err) {
    return [...problems, `not a well-formed envelope (${(err as Error).message}): ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`];
  }
  if (response.status !== expect.status) problems.push(`status ${response.status}, expected ${expect.status} (${envelope.code ?? 'success'}: ${envelope.message ?? ''})`);
  if (context.method !== 'HEAD' && envelope.code !== expect.code) {
    problems.push(`code ${JSON.stringify(envelope.code)}, expected ${JSON.stringify(expect.code)} (${envelope.message ?? ''})`);
  }
  if (expect.format !== undefined && envelope.format !== expect.format) problems.push(`format ${envelope.format}, expected ${expect.format}`);
  if (expect.closes === true && header(response, 'connection') !== 'close') problems.push('expected Connection: close');
  return problems;
}

function describe(outcome: RawOutcome): string {
  if (outcome.kind === 'response') return `HTTP ${outcome.response.status}`;
  return `${outcome.kind} after ${outcome.bytes.length} bytes ${JSON.stringify(outcome.bytes.toString('latin1').slice(0, 120))}`;
}

/**
 * Every problem with an answer to a request whose outcome is not predicted (the fuzzer's): it must
 * be a well-formed envelope with a status below 500, clean headers and no leaks.
 *
 * @example
 * const problems = judgeAnyAnswer(outcome, { method: 'GET', forgedRequestIds: [] });
 */
export function judgeAnyAnswer(outcome: RawOutcome, context: VerdictContext): string[] {
  if (outcome.kind !== 'response') return [...leaks(outcome.bytes), `expected a response, got ${describe(outcome)}`];
  const { response } = outcome;
  const problems = [...leaks(response.bytes), ...headerProblems(response, context)];
  try {
    const envelope = readEnvelope(response, context.method);
    if (response.status >= 500) problems.push(`status ${response.status} (${envelope.code ?? ''}: ${envelope.message ?? ''})`);
    if (response.status >= 400 && context.method !== 'HEAD' && envelope.code === null) problems.push('an error status with a success body');
  } catch (err) {
    problems.push(`not a well-formed envelope (${(err as Error).message}): ${JSON.stringify(response.bytes.toString('latin1').slice(0, 300))}`);
  }
  return problems;
}
