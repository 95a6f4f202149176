/**
 * Print a Signature V1 signed URL for the example service, for curl (which cannot sign):
 *
 *   curl "$(npx tsx examples/ecs/sign-url.ts Action=DescribeRegions)"                 # XML (the default Format)
 *   curl "$(npx tsx examples/ecs/sign-url.ts Action=DescribeInstances RegionId=cn-hangzhou Format=JSON)"
 *
 * Arguments are `Name=Value` business parameters (Version defaults to 2014-05-26). The key is the
 * one the service uses (ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, else the demo key testid); the endpoint
 * is ECS_ENDPOINT or http://HOST:PORT. A URL is good for one call: its SignatureNonce is then used.
 */
import { randomUUID } from 'node:crypto';
import { canonicalQueryV1, popEncode, signV1, stringToSignV1 } from '../../lib/index.js';
import { ECS_VERSION } from './api.js';
import { clientEndpoint, clientKey } from './config.js';

/** Options of {@link signedUrl}. */
export interface SignedUrlOptions {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secret: string;
  /** Default: now. */
  readonly now?: Date;
  /** Default: a random UUID. */
  readonly nonce?: string;
}

/**
 * A GET URL carrying `params` and the V1 common parameters, signed.
 *
 * @example
 * signedUrl({ Action: 'DescribeRegions' }, { endpoint: 'http://127.0.0.1:3000', accessKeyId: 'testid', secret: 'testsecret' });
 * // 'http://127.0.0.1:3000/?AccessKeyId=testid&Action=DescribeRegions&SignatureMethod=HMAC-SHA1&…&Signature=…'
 */
export function signedUrl(params: Readonly<Record<string, string>>, options: SignedUrlOptions): string {
  const all: Record<string, string> = Object.create(null);
  Object.assign(all, { Version: ECS_VERSION }, params, {
    AccessKeyId: options.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: options.nonce ?? randomUUID(),
    Timestamp: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const signature = signV1(stringToSignV1('GET', all), options.secret);
  return `${options.endpoint}/?${canonicalQueryV1(all)}&Signature=${popEncode(signature)}`;
}

/**
 * `Name=Value` arguments as parameters.
 *
 * @example
 * parseArguments(['Action=DescribeInstances', 'RegionId=cn-hangzhou']); // { Action: 'DescribeInstances', RegionId: 'cn-hangzhou' }
 */
export function parseArguments(args: readonly string[]): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new Error(`expected Name=Value, got ${JSON.stringify(arg)}`);
    params[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  if (params.Action === undefined) throw new Error('Action=<name> is required, e.g. Action=DescribeRegions');
  return params;
}

if (require.main === module) {
  try {
    const { accessKeyId, secret } = clientKey();
    console.log(signedUrl(parseArguments(process.argv.slice(2)), { endpoint: clientEndpoint(), accessKeyId, secret }));
  } catch (err) {
    console.error(`usage: npx tsx examples/ecs/sign-url.ts Action=DescribeRegions [Name=Value ...]\n${(err as Error).message}`);
    process.exit(2);
  }
}
