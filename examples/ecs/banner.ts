/**
 * What the service prints when it starts: where it listens, how state is kept, which keys work and
 * one call to try. A real secret (from ALIBABA_CLOUD_ACCESS_KEY_SECRET) is never printed.
 */
import { ECS_VERSION } from './api.js';
import type { EcsConfig } from './config.js';
import { describeRedisUrl } from './state.js';

/** The default endpoint, which the helper scripts find without being told. */
const DEFAULT_ENDPOINT = 'http://127.0.0.1:3000';

/**
 * The start-up text.
 *
 * @example
 * console.log(startupBanner(config, 'http://127.0.0.1:3000'));
 */
export function startupBanner(config: EcsConfig, endpoint: string, processes = 1, explorerPath?: string): string {
  const state = config.redisUrl === undefined ? 'in memory' : `in Redis (${describeRedisUrl(config.redisUrl)})`;
  const where = processes > 1 ? `${processes} workers on ` : '';
  const lines = [
    `ECS example service (${config.framework}, Version ${ECS_VERSION}, state ${state}): ${where}${endpoint}/`,
    `  Throttling: ${config.throttlePerSecond} requests per second per AccessKeyId and Action.`,
  ];
  if (config.credentialsSource === 'demo') {
    lines.push('  Demo credentials (set ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET to use your own):');
    for (const key of config.accessKeys) {
      lines.push(`    AccessKeyId ${key.accessKeyId.padEnd(11)} AccessKeySecret ${key.secret.padEnd(15)} ${key.disabled ? '(disabled)' : '(active)'}`);
    }
  } else {
    for (const key of config.accessKeys) {
      lines.push(`  Credentials: AccessKeyId ${key.accessKeyId}, secret from ALIBABA_CLOUD_ACCESS_KEY_SECRET (not shown).`);
    }
  }
  lines.push(
    '  Every call must be signed (Signature V1 or V3) with one of these keys: use an Alibaba Cloud SDK',
    '  (endpoint above, protocol http), or sign a URL with examples/ecs/sign-url.ts; an unsigned call is',
    '  refused with MissingParameter.',
  );
  const env = endpoint === DEFAULT_ENDPOINT ? '' : `ECS_ENDPOINT=${endpoint} `;
  if (explorerPath !== undefined) lines.push(`  Explorer (reference, and forms that sign in your browser): ${endpoint}${explorerPath}`);
  lines.push(`  Try: curl "$(${env}npx tsx examples/ecs/sign-url.ts Action=DescribeRegions)"   or   ${env}npm run example:client`);
  if (config.logLevel !== 'silent') lines.push(`  Access log: one JSON line per request on stdout (LOG_LEVEL=silent turns it off).`);
  lines.push(`  Metrics (Prometheus): ${endpoint}/metrics`);
  return lines.join('\n');
}
