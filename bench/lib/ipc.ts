/**
 * Messages between the harness and a contestant process (over the fork() IPC channel).
 */

/** Harness → contestant. */
export type ToContestant = { readonly type: 'cpu'; readonly seq: number } | { readonly type: 'stop' };

/** Contestant → harness. */
export type FromContestant =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'cpu'; readonly seq: number; readonly user: number; readonly system: number; readonly rss: number };

/**
 * True for a message a contestant may send.
 *
 * @example
 * child.on('message', (m) => { if (isFromContestant(m)) handle(m); });
 */
export function isFromContestant(value: unknown): value is FromContestant {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'failed' || type === 'cpu';
}

/**
 * True for a message the harness may send.
 *
 * @example
 * process.on('message', (m) => { if (isToContestant(m)) handle(m); });
 */
export function isToContestant(value: unknown): value is ToContestant {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'cpu' || type === 'stop';
}
