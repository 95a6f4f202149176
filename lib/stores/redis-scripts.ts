import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, for EVALSHA with an EVAL fallback. */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

/**
 * A script with its SHA-1.
 *
 * @example
 * const ping = luaScript("return redis.call('PING')");
 */
export function luaScript(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS[1] key, ARGV[1] expected value, ARGV[2] new value, ARGV[3] TTL in ms.
 * Returns 1 if the live value equalled ARGV[1] and was replaced, else 0.
 *
 * @example
 * ```ts
 * await client.call('EVALSHA', [compareAndSetScript.sha1, '1', key, expected, value, '60000']);
 * ```
 */
export const compareAndSetScript = luaScript(
  [
    "if redis.call('GET', KEYS[1]) == ARGV[1] then",
    "  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])",
    '  return 1',
    'end',
    'return 0',
  ].join('\n'),
);

/**
 * KEYS[1] key, ARGV[1] expected value.
 * Returns 1 if the live value equalled ARGV[1] and the key was deleted, else 0.
 *
 * @example
 * ```ts
 * await client.call('EVALSHA', [compareAndDeleteScript.sha1, '1', key, expected]);
 * ```
 */
export const compareAndDeleteScript = luaScript(
  [
    "if redis.call('GET', KEYS[1]) == ARGV[1] then",
    "  return redis.call('DEL', KEYS[1])",
    'end',
    'return 0',
  ].join('\n'),
);
