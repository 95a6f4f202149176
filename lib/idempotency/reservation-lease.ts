/**
 * Keeps a ClientToken reservation alive while its handler runs: the reservation is written with a
 * short TTL (`leaseMs`) and renewed every third of it, so a crashed instance frees the token within
 * `leaseMs`, while a slow handler keeps it for as long as it runs.
 */
import type { Store } from '../stores/store.js';
import { ClientTokenGuardError } from './guard-error.js';

/**
 * Renews `key` = `value` for `leaseMs` every `leaseMs / 3` until the returned function is called.
 * A renewal that finds another value stops renewing and reports `reservation-lost`; a store failure
 * is reported and retried at the next tick. Never rejects; the timer never keeps the process alive.
 *
 * @example
 * const stop = holdReservation(store, key, mine, 30_000, (err) => log.warn(err));
 * try { return await run(); } finally { stop(); }
 */
export function holdReservation(store: Store, key: string, value: string, leaseMs: number, report: (error: unknown) => void): () => void {
  let stopped = false;
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing || stopped) return;
    renewing = true;
    store.compareAndSet(key, value, value, leaseMs).then(
      (renewed) => {
        renewing = false;
        if (!renewed && !stopped) {
          stop();
          report(new ClientTokenGuardError('reservation-lost', 'The ClientToken reservation expired or was evicted while its handler ran'));
        }
      },
      (error: unknown) => {
        renewing = false;
        if (!stopped) report(error);
      },
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
