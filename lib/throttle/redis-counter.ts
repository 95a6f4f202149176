/**
 * Counting shared by every instance: one atomic Lua script per request (`countScript`: for each
 * counter `SET 0 EX NX` + `INCR` + `PTTL`) with the user's ioredis or node-redis client (a single
 * Redis or an ioredis Cluster), a bounded wait, and failures reported as
 * {@link StoreUnavailableError}.
 */
import { Deadlines } from '../stores/deadlines.js';
import { redisConnectionFor, type RedisClientLike, type RedisConnection } from '../stores/redis-connection.js';
import { evalScript, integerReply, runRedisOperation } from '../stores/redis-operation.js';
import { ALLOWED, type Consumed, type Count, type LimitCounter } from './counter.js';
import { countArguments, countScript, refundScript } from './redis-count-script.js';

const OPERATION = 'throttle';

/** What {@link countScript} answered: the nonce was already recorded, or the outcome of counting. */
export type CountReply = 'nonce-used' | Consumed;

/**
 * Reads a reply of {@link countScript}.
 *
 * @example
 * parseCountReply([1, 850]); // { allowed: false, msBeforeNext: 850 }
 */
export function parseCountReply(reply: unknown): CountReply {
  if (!Array.isArray(reply) || reply.length !== 2) throw new TypeError('Unexpected reply of the throttling script');
  const status = integerReply(reply[0]);
  if (status === -1) return 'nonce-used';
  if (status === 0) return ALLOWED;
  return { allowed: false, msBeforeNext: Math.max(1, integerReply(reply[1])) };
}

/**
 * Counts in Redis. Every `consume` settles within `timeoutMs`: while the client reconnects it fails
 * at once (`not-connected`, nothing is queued), during a first connection it waits for it within
 * the same budget, and a command without an answer in time fails with `timeout` (the command may
 * still count later; a point counted late is harmless).
 *
 * @example
 * const counter = new RedisCounter(new Redis(), 'my-service:throttle', 500);
 * await counter.consume([{ limit: { id: '100/1', points: 100, durationSeconds: 1 }, key: '{ak:my-ak}:DescribeRegions' }]);
 */
export class RedisCounter implements LimitCounter {
  readonly timeoutMs: number;
  /** The client's connection adapter (shared with every store on the same client). */
  readonly connection: RedisConnection;
  private readonly keyPrefix: string;
  private readonly deadlines: Deadlines;

  constructor(client: RedisClientLike, keyPrefix: string, timeoutMs: number) {
    this.connection = redisConnectionFor(client); // validates the client, adds a silent 'error' listener
    this.keyPrefix = `${keyPrefix}:`;
    this.timeoutMs = timeoutMs;
    this.deadlines = new Deadlines(timeoutMs);
  }

  /** The Redis keys of `counts`: `<keyPrefix>:<key>`. */
  keysOf(counts: readonly Count[]): string[] {
    return counts.map((count) => this.keyPrefix + count.key);
  }

  async consume(counts: readonly Count[]): Promise<Consumed> {
    const reply = await runRedisOperation(this.connection, OPERATION, this.deadlines, (send) =>
      evalScript(send, countScript, this.keysOf(counts), ['0', '', '', ...countArguments(counts)]),
    );
    const outcome = parseCountReply(reply);
    if (outcome === 'nonce-used') throw new TypeError('The throttling script reported a nonce it was not given');
    return outcome;
  }

  /**
   * Gives back the point a request took from each of `keys` (Redis keys, as {@link keysOf} returns
   * them). Never rejects: a refund that fails leaves one point counted, which is harmless.
   */
  async refund(keys: readonly string[]): Promise<void> {
    await runRedisOperation(this.connection, 'throttle-refund', this.deadlines, (send) => evalScript(send, refundScript, keys, [])).catch(() => undefined);
  }
}
