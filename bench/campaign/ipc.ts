/**
 * Messages between a campaign run and its service process.
 */

/** Run → service. */
export type ToService = { readonly type: 'sample'; readonly seq: number } | { readonly type: 'stop' };

/** One memory sample of the service process. */
export interface ServiceSample {
  readonly rss: number;
  readonly heapUsed: number;
  /** Entries of the in-memory nonce store (-1 with Redis). */
  readonly nonceEntries: number;
  /** Live nonces evicted to make room (-1 with Redis). */
  readonly earlyEvictions: number;
  /** Server bugs answered InternalError so far. */
  readonly reportedBugs: number;
  /** User + system CPU time so far, in µs. */
  readonly cpuMicros: number;
}

/** Service → run. */
export type FromService =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | ({ readonly type: 'sample'; readonly seq: number } & ServiceSample);

/**
 * True for a message the run may send.
 *
 * @example
 * process.on('message', (m) => { if (isToService(m)) handle(m); });
 */
export function isToService(value: unknown): value is ToService {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'sample' || type === 'stop';
}

/**
 * True for a message the service may send.
 *
 * @example
 * child.on('message', (m) => { if (isFromService(m)) handle(m); });
 */
export function isFromService(value: unknown): value is FromService {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'failed' || type === 'sample';
}
