/**
 * Call every action of the running example with the official `@alicloud/pop-core` SDK, unmodified,
 * and print what comes back: `npm run example:client`.
 *
 * The service is found like the service finds its port: `ECS_ENDPOINT`, else `http://HOST:PORT`
 * (default http://127.0.0.1:3000); the key is ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, else the demo key.
 */
import { randomUUID } from 'node:crypto';
import RPCClient from '@alicloud/pop-core';
import { ECS_VERSION } from './api.js';
import { clientEndpoint, clientKey } from './config.js';
import { csTour } from '../cs/client.js';

/** The subset of pop-core's client used here (its bundled types say `Object` for everything). */
interface PopClient {
  request<T = Record<string, unknown>>(action: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<T>;
}

/** The error pop-core throws for an error envelope: `code` is the envelope's Code. */
interface PopError {
  readonly code?: string;
  readonly message: string;
  readonly data?: { Message?: string; RequestId?: string };
}

/**
 * Call each action once (plus the interesting failures) and report through `print`.
 * Resolves `true` when everything went as expected.
 *
 * @example
 * await tour('http://127.0.0.1:3000', { accessKeyId: 'testid', secret: 'testsecret' }, console.log);
 */
export async function tour(endpoint: string, key: { accessKeyId: string; secret: string }, print: (line: string) => void): Promise<boolean> {
  const client = new RPCClient({ endpoint, apiVersion: ECS_VERSION, accessKeyId: key.accessKeyId, accessKeySecret: key.secret }) as unknown as PopClient;
  let ok = true;

  /** One call: prints the response, or the error code and message; `expect` names an expected error. */
  async function call(title: string, action: string, params: Record<string, unknown>, expect?: string): Promise<Record<string, unknown> | undefined> {
    try {
      const body = await client.request(action, params, { method: 'POST', timeout: 10_000 });
      print(`${title}\n  → ${JSON.stringify(body)}`);
      if (expect !== undefined) {
        ok = false;
        print(`  !! expected ${expect}`);
      }
      return body;
    } catch (err) {
      const e = err as PopError;
      const message = e.data?.Message ?? e.message;
      print(`${title}\n  → ${e.code ?? 'Error'}: ${message}`);
      if (e.code !== expect) ok = false;
      return undefined;
    }
  }

  const regions = await call('DescribeRegions', 'DescribeRegions', {});
  if (regions === undefined) return false; // not reachable or not authorised: nothing else will work

  const create = {
    RegionId: 'cn-hangzhou',
    InstanceType: 'ecs.g7.large',
    InstanceName: 'web server 1 · 网站 🚀',
    Tag: [
      { Key: 'env', Value: 'demo' },
      { Key: 'team', Value: 'platform' },
    ],
    ClientToken: randomUUID(),
  };
  const created = await call('CreateInstance (new instances are Stopped)', 'CreateInstance', create);
  const instanceId = String(created?.InstanceId ?? '');
  if (instanceId === '') return false;
  const retried = await call('CreateInstance again with the same ClientToken (same InstanceId, nothing new created)', 'CreateInstance', create);
  if (retried?.InstanceId !== instanceId) ok = false;
  await call('CreateInstance with that ClientToken but other parameters', 'CreateInstance', { ...create, InstanceType: 'ecs.c7.xlarge' }, 'IdempotentParameterMismatch');

  const byId = { RegionId: 'cn-hangzhou', InstanceId: [instanceId] };
  await call('DescribeInstances InstanceId.1=<new instance>', 'DescribeInstances', byId);
  await call('DescribeInstances Tag.1.Key=env Tag.1.Value=demo PageSize=5', 'DescribeInstances', { RegionId: 'cn-hangzhou', Tag: [{ Key: 'env', Value: 'demo' }], PageSize: 5 });
  await call('StartInstance', 'StartInstance', { InstanceId: instanceId });
  await call('StartInstance again (already Running)', 'StartInstance', { InstanceId: instanceId }, 'IncorrectInstanceStatus');
  await call('DeleteInstance while Running', 'DeleteInstance', { InstanceId: instanceId }, 'IncorrectInstanceStatus');
  await call('StopInstance', 'StopInstance', { InstanceId: instanceId });
  await call('DeleteInstance', 'DeleteInstance', { InstanceId: instanceId });
  await call('DescribeInstances InstanceId.1=<deleted instance>', 'DescribeInstances', byId);
  await call('StopInstance on the deleted instance', 'StopInstance', { InstanceId: instanceId }, 'InvalidInstanceId.NotFound');
  await call('DescribeInstances in a region that is not served', 'DescribeInstances', { RegionId: 'mars-north-1' }, 'InvalidRegionId.NotFound');
  return ok;
}

if (require.main === module) {
  const endpoint = clientEndpoint();
  const key = clientKey();
  console.log(`Calling the ECS example at ${endpoint}/ as ${key.accessKeyId} with @alicloud/pop-core\n`);
  const print = (line: string): void => console.log(line);
  // Then the CS-like ROA API served beside it (examples/cs): same service, same key.
  tour(endpoint, key, print).then(async (ok) => ok && (print(''), await csTour(endpoint, key, print))).then(
    (ok) => {
      if (!ok) console.error(`\nSomething did not go as expected (is the service running at ${endpoint}? npm start).`);
      process.exitCode = ok ? 0 : 1;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
