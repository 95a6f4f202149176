/**
 * Logs and metrics, the Node ecosystem's way, from the package's `onExchange` record:
 * - an access log of JSON lines with pino (one line per request: the record, plus pino's `level`,
 *   `time`, `pid`, `hostname` and `msg: "exchange"`);
 * - Prometheus metrics with prom-client, served at `/metrics` (a path the OpenAPI endpoint `/`
 *   does not use): requests by Action, Code and status, latency by Action, throttled and replayed
 *   calls, and the process's default metrics.
 *
 * Labels stay bounded whatever clients send: an Action the API does not declare is counted as
 * `(unknown)`, a request with none as `(none)`; a success has Code `(none)`.
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ExchangeListener, ExchangeRecord } from '../../lib/index.js';
import type { EcsConfig } from './config.js';
import { createEcsService, type EcsService, type EcsServiceOptions } from './service.js';

/** Where the metrics are served (GET only). */
export const METRICS_PATH = '/metrics';

/** What the service adds to its request listener and its envelope. */
export interface Observability {
  /** Pass to `envelope({ onExchange })` (Koa or Express). */
  readonly onExchange: ExchangeListener;
  /** The metrics registry (served at {@link METRICS_PATH}). */
  readonly registry: Registry;
  /** `listener` with `GET /metrics` answered in front of it. */
  withMetrics(listener: http.RequestListener): http.RequestListener;
}

/** Options of {@link createObservability}. */
export interface ObservabilityOptions {
  /** Receives one `info` line per request; `pino({ level: 'silent' })` turns the access log off. */
  readonly logger: Logger;
  /** The Actions the API declares: any other Action is counted as `(unknown)`. */
  readonly actions: Iterable<string>;
  /** Also export Node's process metrics (CPU, memory, event loop). Default true. */
  readonly processMetrics?: boolean;
}

/** Latency buckets in seconds: 1 ms to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The access log and the metrics of one service.
 *
 * @example
 * const observability = createObservability({ logger: pino(), actions: service.actions });
 * const service = await createEcsService(config, { onExchange: observability.onExchange });
 * http.createServer(observability.withMetrics(service.listener)).listen(3000);
 */
export function createObservability(options: ObservabilityOptions): Observability {
  const known = new Set(options.actions);
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'openapi_requests_total',
    help: 'OpenAPI requests answered, by Action, error Code ("(none)" for a success) and HTTP status.',
    labelNames: ['action', 'code', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'openapi_request_duration_seconds',
    help: 'Time from the start of the envelope to the end of the response, by Action.',
    labelNames: ['action'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const throttled = new Counter({ name: 'openapi_throttled_total', help: 'Requests refused by throttling (Code Throttling*).', registers: [registry] });
  const replayed = new Counter({ name: 'openapi_replayed_total', help: 'ClientToken retries answered with the stored result.', registers: [registry] });

  const actionLabel = (record: ExchangeRecord): string => (record.Action === undefined ? '(none)' : known.has(record.Action) ? record.Action : '(unknown)');

  const onExchange: ExchangeListener = (record) => {
    options.logger.info(record, 'exchange');
    const action = actionLabel(record);
    requests.inc({ action, code: record.Code ?? '(none)', status: String(record.Status) });
    latency.observe({ action }, record.DurationMs / 1000);
    if (record.Code !== undefined && record.Code.startsWith('Throttling')) throttled.inc();
    if (record.Replayed) replayed.inc();
  };

  const withMetrics = (listener: http.RequestListener): http.RequestListener =>
    function metricsOrApi(req, res) {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== METRICS_PATH) {
        listener(req, res);
        return;
      }
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('metrics unavailable\n');
        },
      );
    };

  return { onExchange, registry, withMetrics };
}

/** A service with its access log and metrics. */
export interface ObservedEcsService {
  readonly service: EcsService;
  readonly observability: Observability;
  /** The API and `GET /metrics`: put this on the port. */
  readonly listener: http.RequestListener;
}

/**
 * Build the ECS service (`createEcsService`) with its access log written to `logger` and its
 * metrics served at `/metrics`.
 *
 * @example
 * const { listener, service } = await observedEcsService(loadConfig(), pino());
 * http.createServer(listener).listen(3000);
 */
export async function observedEcsService(config: EcsConfig, logger: Logger, options: EcsServiceOptions & Pick<ObservabilityOptions, 'processMetrics'> = {}): Promise<ObservedEcsService> {
  // The metrics need the declared Actions, which the service knows once it is built.
  let onExchange: ExchangeListener | undefined;
  const service = await createEcsService(config, { ...options, onExchange: (record) => onExchange?.(record) });
  const observability = createObservability({ logger, actions: service.actions, ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }) });
  onExchange = observability.onExchange;
  return { service, observability, listener: observability.withMetrics(service.listener) };
}
