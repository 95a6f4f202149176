/**
 * The Lua scripts of throttling in Redis. One request is one script, one round trip: optionally
 * record the request's nonce (`SET NX PX`, as `RedisStore.setIfAbsent`), then count every counter
 * of the request (a fixed window: `SET 0 EX NX`, `INCR`, `PTTL`, the layout rate-limiter-flexible
 * uses). In a Redis Cluster all the keys of one call must share a hash tag (docs/scaling.md).
 */
import { luaScript } from '../stores/redis-scripts.js';
import type { Count } from './counter.js';

/**
 * KEYS: the nonce key (when ARGV[1] is '1'), then the counter keys.
 * ARGV[1] '1' or '0', ARGV[2] nonce value, ARGV[3] nonce TTL in ms, then `points`, `seconds` per counter.
 * Returns `{ -1, 0 }` when the nonce was already recorded by another claim (nothing is counted), else
 * `{ 0, 0 }` within every limit, or `{ 1, ms }` over one, `ms` being the latest end of a refusing
 * window. A nonce already holding ARGV[2] is this claim's own (the value is unique to the claim): the
 * script ran before and its reply was lost (ioredis resends the commands a dropped connection left
 * unanswered), so it counts as recorded, not as a replay; the request is then counted twice, which
 * errs towards throttling.
 *
 * @example
 * await store.evalScript('throttle', countScript, ['{ak:a}:RunInstances'], ['0', '', '', '10', '1']);
 */
export const countScript = luaScript(
  [
    'local first = 1',
    "if ARGV[1] == '1' then",
    "  if not redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') and redis.call('GET', KEYS[1]) ~= ARGV[2] then return { -1, 0 } end",
    '  first = 2',
    'end',
    'local refused, wait, a = 0, 0, 4',
    'for i = first, #KEYS do',
    '  local points, seconds = tonumber(ARGV[a]), ARGV[a + 1]',
    '  a = a + 2',
    "  redis.call('SET', KEYS[i], 0, 'EX', seconds, 'NX')",
    "  local consumed = redis.call('INCR', KEYS[i])",
    "  local ttl = redis.call('PTTL', KEYS[i])",
    '  if ttl < 0 then',
    "    redis.call('EXPIRE', KEYS[i], seconds)",
    '    ttl = 1000 * tonumber(seconds)',
    '  end',
    '  if consumed > points then',
    '    refused = 1',
    '    if ttl > wait then wait = ttl end',
    '  end',
    'end',
    'return { refused, wait }',
  ].join('\n'),
);

/**
 * KEYS: counter keys. Gives back the point a request took from each (a request counted ahead of
 * the throttling step and then refused before it). A counter that expired meanwhile is left alone.
 *
 * @example
 * await store.evalScript('throttle-refund', refundScript, ['{ak:a}:RunInstances'], []);
 */
export const refundScript = luaScript(
  [
    'for i = 1, #KEYS do',
    "  if redis.call('EXISTS', KEYS[i]) == 1 and tonumber(redis.call('GET', KEYS[i])) > 0 then redis.call('DECR', KEYS[i]) end",
    'end',
    'return 0',
  ].join('\n'),
);

/**
 * The ARGV of {@link countScript} after the three nonce arguments.
 *
 * @example
 * countArguments([{ limit: { id: '10/1', points: 10, durationSeconds: 1 }, key: 'k' }]); // ['10', '1']
 */
export function countArguments(counts: readonly Count[]): string[] {
  const args: string[] = [];
  for (const { limit } of counts) args.push(String(limit.points), String(limit.durationSeconds));
  return args;
}
