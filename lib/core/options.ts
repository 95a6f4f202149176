/**
 * Options of the protocol core, shared by the Koa and Express adapters.
 */
import { hostname } from 'node:os';
import type { Format } from './format.js';
import { createRequestId, safeRequestIdGenerator } from './request-id.js';
import { corsHeaders, type CorsOptions } from './cors.js';
import type { ExchangeListener } from './exchange-record.js';

/** What a `recommend` function is told about the error. */
export interface RecommendInput {
  readonly code: string;
  readonly requestId: string;
  readonly hostId: string;
}

/** Options of `envelope()` (Koa) and of the Express adapter. */
export interface EnvelopeOptions {
  /** Format when the request names none and its headers do not ask for JSON. Default `'XML'`. */
  defaultFormat?: Format;
  /** `HostId` of error envelopes. Default: this machine's host name, sanitised. */
  hostId?: string;
  /**
   * `Recommend` of error envelopes: a template (`{Code}`, `{RequestId}`, `{HostId}` are filled) or
   * a function. Omitted by default.
   */
  recommend?: string | ((input: RecommendInput) => string | undefined);
  /** RequestId generator. Default: upper-case UUID. Unsafe output falls back to a UUID. */
  requestId?: () => string;
  /** Action used for the XML root (`<Action>Response`) when none is known. Default `''` (root `Response`). */
  fallbackAction?: string;
  /** Largest form body read, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Longest time a client may take to send its body, in ms. Default 30 s. */
  bodyTimeoutMs?: number;
  /** Most parameters (query and body together). Default 1000. */
  maxParameters?: number;
  /**
   * Called once per request, when the response is sent (or its connection closed first), with an
   * {@link ExchangeRecord}: RequestId, Action, Version, AccessKeyId, method, status, Code, Format,
   * signature version, bytes out, duration and ClientToken replay. For access logs and metrics
   * (docs/operations.md). Default: none, and then nothing is measured.
   */
  onExchange?: ExchangeListener;
  /**
   * CORS headers on every response the envelope answers, errors raised before the RPC layer
   * included (a bad `Format`, a body over the limit, malformed encoding). Give it the same value as
   * `createRpcApi({ cors })`, which also answers preflights. Default off.
   */
  cors?: boolean | CorsOptions;
}

/** Options with every default applied. */
export interface ResolvedEnvelopeOptions {
  readonly defaultFormat: Format;
  readonly hostId: string;
  readonly recommend: ((input: RecommendInput) => string | undefined) | undefined;
  readonly newRequestId: () => string;
  readonly fallbackAction: string;
  readonly bodyLimit: number;
  readonly bodyTimeoutMs: number;
  readonly maxParameters: number;
  readonly onExchange: ExchangeListener | undefined;
  /** The CORS headers of every response, or undefined when CORS is off. */
  readonly corsHeaders: Readonly<Record<string, string>> | undefined;
}

/**
 * The host name reduced to `[A-Za-z0-9.-]`, at most 128 characters.
 *
 * @example
 * sanitiseHostId('ecs.aliyuncs.com'); // 'ecs.aliyuncs.com'
 */
function sanitiseHostId(value: string): string {
  return value.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 128) || 'localhost';
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer`);
  return value;
}

function recommendFunction(recommend: EnvelopeOptions['recommend']): ResolvedEnvelopeOptions['recommend'] {
  if (recommend === undefined || typeof recommend === 'function') return recommend;
  if (typeof recommend !== 'string') throw new TypeError('recommend must be a string template or a function');
  return ({ code, requestId, hostId }) =>
    recommend
      .replace(/\{Code\}/g, encodeURIComponent(code))
      .replace(/\{RequestId\}/g, encodeURIComponent(requestId))
      .replace(/\{HostId\}/g, encodeURIComponent(hostId));
}

function exchangeListener(listener: EnvelopeOptions['onExchange']): ExchangeListener | undefined {
  if (listener !== undefined && typeof listener !== 'function') throw new TypeError('onExchange must be a function');
  return listener;
}

/**
 * Validate options and apply defaults; throws a TypeError for a bad combination, at start-up.
 *
 * @example
 * const resolved = resolveEnvelopeOptions({ defaultFormat: 'JSON' });
 */
export function resolveEnvelopeOptions(options: EnvelopeOptions = {}): ResolvedEnvelopeOptions {
  const defaultFormat = options.defaultFormat ?? 'XML';
  if (defaultFormat !== 'XML' && defaultFormat !== 'JSON') throw new TypeError("defaultFormat must be 'XML' or 'JSON'");
  const fallbackAction = options.fallbackAction ?? '';
  if (typeof fallbackAction !== 'string' || !/^[A-Za-z_]?[A-Za-z0-9_.-]*$/.test(fallbackAction)) {
    throw new TypeError('fallbackAction must be empty or start an XML element name');
  }
  return {
    defaultFormat,
    hostId: sanitiseHostId(options.hostId ?? hostname()),
    recommend: recommendFunction(options.recommend),
    newRequestId: options.requestId === undefined ? createRequestId : safeRequestIdGenerator(options.requestId),
    fallbackAction,
    bodyLimit: positiveInteger('bodyLimit', options.bodyLimit, 1024 * 1024),
    bodyTimeoutMs: positiveInteger('bodyTimeoutMs', options.bodyTimeoutMs, 30_000),
    maxParameters: positiveInteger('maxParameters', options.maxParameters, 1000),
    onExchange: exchangeListener(options.onExchange),
    corsHeaders: options.cors === undefined || options.cors === false ? undefined : Object.freeze(corsHeaders(options.cors === true ? {} : options.cors)),
  };
}
