/**
 * Deadlines of Redis operations that all share one timeout, kept with one timer instead of a
 * `setTimeout` + `clearTimeout` per operation. Operations start in deadline order (start time +
 * the same timeout), so the queue is sorted by construction: the timer is armed for its oldest
 * live entry, and a settled entry is only marked and dropped when the timer passes it.
 */

/** One operation's deadline, from {@link Deadlines.start}. */
export interface Deadline {
  /** True once the deadline passed before {@link Deadline.settle} (the expiry callback then ran). */
  readonly expired: boolean;
  /** Milliseconds left before the deadline (0 once passed). */
  remainingMs(): number;
  /** Ends the wait: returns false if the deadline had already expired, else true (once). */
  settle(): boolean;
}

/** Entries kept before the settled head of the queue is cut off (amortizes the copy). */
const COMPACT_AFTER = 1024;

class Entry implements Deadline {
  expired = false;

  constructor(
    private readonly owner: Deadlines,
    readonly at: number,
    public onExpiry: (() => void) | undefined,
  ) {}

  remainingMs(): number {
    return Math.max(0, this.at - performance.now());
  }

  settle(): boolean {
    if (this.onExpiry === undefined) return false;
    this.onExpiry = undefined; // releases what the callback holds before the timer passes the entry
    this.owner.settled();
    return true;
  }
}

/**
 * Bounded waits of `timeoutMs` each. The single timer keeps the process alive only while some
 * operation is waiting (as a per-operation `setTimeout` would), and is re-armed at most once per
 * `timeoutMs` under steady load.
 *
 * @example
 * const deadlines = new Deadlines(500);
 * const deadline = deadlines.start(() => reject(new Error('timeout')));
 * send().then((reply) => { if (deadline.settle()) resolve(reply); });
 */
export class Deadlines {
  readonly timeoutMs: number;
  private entries: Entry[] = [];
  private head = 0;
  private live = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly fire = (): void => this.expire();

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  /** Starts a wait of `timeoutMs`; `onExpiry` runs once if it is not settled in time. */
  start(onExpiry: () => void): Deadline {
    const entry = new Entry(this, performance.now() + this.timeoutMs, onExpiry);
    this.entries.push(entry);
    if (this.live++ === 0) {
      if (this.timer === undefined) this.timer = setTimeout(this.fire, this.timeoutMs);
      else this.timer.ref();
    }
    return entry;
  }

  /** @internal An entry was settled before its deadline. */
  settled(): void {
    // With nothing waiting, the armed timer must not keep the process alive; when it fires it
    // only drops settled entries.
    if (--this.live === 0) this.timer?.unref();
  }

  private expire(): void {
    // Timers fire on the event loop's clock, which may trail performance.now() by under a millisecond.
    const now = performance.now() + 1;
    const { entries } = this;
    const due: Array<() => void> = [];
    let head = this.head;
    while (head < entries.length) {
      const entry = entries[head] as Entry;
      const onExpiry = entry.onExpiry;
      if (onExpiry !== undefined) {
        if (entry.at > now) break;
        entry.onExpiry = undefined;
        entry.expired = true;
        this.live--;
        due.push(onExpiry);
      }
      head++;
    }
    if (head === entries.length) {
      this.entries = [];
      this.head = 0;
      this.timer = undefined;
    } else {
      if (head > COMPACT_AFTER) {
        this.entries = entries.slice(head);
        head = 0;
      }
      this.head = head;
      this.timer = setTimeout(this.fire, Math.max(1, (this.entries[head] as Entry).at - performance.now()));
      if (this.live === 0) this.timer.unref();
    }
    for (const onExpiry of due) onExpiry();
  }
}
