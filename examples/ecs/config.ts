/**
 * The service's settings, from environment variables, checked once at start:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `HOST`, `PORT` | `127.0.0.1`, `3000` | where to listen (`PORT=0`: any free port) |
 * | `FRAMEWORK` | `koa` | `koa` or `express`: which adapter serves the same actions |
 * | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` | demo keys | the one key accepted |
 * | `ECS_THROTTLE_PER_SECOND` | `100` | requests per second per AccessKeyId and Action |
 * | `REDIS_URL` | none | keep nonces, throttling, ClientTokens and instances in Redis |
 * | `WORKERS` | `2` | processes of `npm run start:cluster` |
 * | `ECS_ENDPOINT` | `http://HOST:PORT` | where the example client and sign-url.ts send requests |
 * | `LOG_LEVEL` | `info` | pino level of the access log on stdout (one JSON line per request); `silent`: none |
 */

/** Which adapter serves the API. */
export type Framework = 'koa' | 'express';

/** One AccessKey the service accepts. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secret: string;
  readonly disabled: boolean;
}

/** The checked settings. */
export interface EcsConfig {
  readonly host: string;
  readonly port: number;
  readonly framework: Framework;
  /** Where the keys come from: the standard variables, or the built-in demo keys. */
  readonly credentialsSource: 'environment' | 'demo';
  readonly accessKeys: readonly AccessKey[];
  readonly throttlePerSecond: number;
  readonly redisUrl: string | undefined;
  readonly workers: number;
  /** pino level of the access log. */
  readonly logLevel: LogLevel;
}

/** pino's levels; `info` and below write the access log. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(env: Env): LogLevel {
  const value = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  const found = LOG_LEVELS.find((level) => level === value);
  if (found === undefined) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}

/** The demo keys, used when `ALIBABA_CLOUD_ACCESS_KEY_ID` is not set. */
export const DEMO_KEYS: readonly AccessKey[] = Object.freeze([
  { accessKeyId: 'testid', secret: 'testsecret', disabled: false },
  { accessKeyId: 'disabledid', secret: 'disabledsecret', disabled: true },
]);

/** A setting that cannot be used: the message says which and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** An empty variable counts as unset (`PORT= npm start`). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = read(env, name);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function framework(env: Env): Framework {
  const value = (read(env, 'FRAMEWORK') ?? 'koa').toLowerCase();
  if (value !== 'koa' && value !== 'express') throw new ConfigError(`FRAMEWORK must be koa or express, got ${JSON.stringify(value)}`);
  return value;
}

function accessKeys(env: Env): Pick<EcsConfig, 'credentialsSource' | 'accessKeys'> {
  const id = read(env, 'ALIBABA_CLOUD_ACCESS_KEY_ID');
  const secret = read(env, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  if (id === undefined && secret === undefined) return { credentialsSource: 'demo', accessKeys: DEMO_KEYS };
  if (id === undefined || secret === undefined) {
    throw new ConfigError('set both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or neither (to use the demo keys)');
  }
  return { credentialsSource: 'environment', accessKeys: [{ accessKeyId: id, secret, disabled: false }] };
}

function redisUrl(env: Env): string | undefined {
  const url = read(env, 'REDIS_URL');
  if (url !== undefined && !/^rediss?:\/\//.test(url)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379');
  }
  return url;
}

/**
 * Read and check the settings. Throws a {@link ConfigError} naming the variable at fault.
 *
 * @example
 * const config = loadConfig(); // from process.env
 * const forTests = loadConfig({ PORT: '0', FRAMEWORK: 'express', ECS_THROTTLE_PER_SECOND: '3' });
 */
export function loadConfig(env: Env = process.env): EcsConfig {
  return {
    host: read(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    framework: framework(env),
    ...accessKeys(env),
    throttlePerSecond: integer(env, 'ECS_THROTTLE_PER_SECOND', 100, 1, 1_000_000),
    redisUrl: redisUrl(env),
    workers: integer(env, 'WORKERS', 2, 1, 64),
    logLevel: logLevel(env),
  };
}

/**
 * Where a client finds the service: `ECS_ENDPOINT`, else `http://HOST:PORT` (a wildcard HOST is
 * reached on 127.0.0.1).
 *
 * @example
 * clientEndpoint({ PORT: '8080' }); // 'http://127.0.0.1:8080'
 * clientEndpoint({ ECS_ENDPOINT: 'http://10.0.0.5:3000' }); // 'http://10.0.0.5:3000'
 */
export function clientEndpoint(env: Env = process.env): string {
  const explicit = read(env, 'ECS_ENDPOINT');
  if (explicit !== undefined) return explicit.replace(/\/+$/, '');
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * The key a client uses: the standard variables, else the active demo key.
 *
 * @example
 * const { accessKeyId, secret } = clientKey(process.env);
 */
export function clientKey(env: Env = process.env): { accessKeyId: string; secret: string } {
  const id = read(env, 'ALIBABA_CLOUD_ACCESS_KEY_ID');
  const secret = read(env, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  if (id !== undefined && secret !== undefined) return { accessKeyId: id, secret };
  const demo = DEMO_KEYS[0] as AccessKey;
  return { accessKeyId: demo.accessKeyId, secret: demo.secret };
}
