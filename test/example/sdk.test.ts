/**
 * The ECS example driven through the official SDKs, unmodified (pop-core GET and POST,
 * openapi-client with Signature V1 and V3, aliyun-sdk), on Koa and on Express, state in memory:
 * every action, the service's own errors, the authentication errors and ClientToken retries, as
 * each SDK's user observes them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  DEMO,
  DISABLED,
  SDKS,
  UNKNOWN_KEY,
  WRONG_SECRET,
  bodyOf,
  failureOf,
  instancesOf,
  startExample,
  tagParams,
  type Outcome,
  type RunningExample,
  type SdkClient,
} from './support.js';

const INSTANCE_ID = /^i-[a-z0-9]{20}$/;
const CREATION_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** Asserts the failure's code and, where the SDK exposes it, its HTTP status. */
function assertError(outcome: Outcome, code: string, status: number, what: string): void {
  const failure = failureOf(outcome, what);
  assert.equal(failure.code, code, `${what}: ${failure.message}`);
  if (failure.status !== undefined) assert.equal(failure.status, status, `${what}: HTTP status`);
}

for (const framework of ['koa', 'express'] as const) {
  describe(`example/sdk: the ECS example on ${framework}, through the official SDKs`, () => {
    let example: RunningExample;

    before(async () => {
      example = await startExample({ FRAMEWORK: framework });
    });
    after(async () => {
      await example.close();
    });

    for (const sdk of SDKS) {
      describe(sdk.name, () => {
        let client: SdkClient;
        before(() => {
          client = sdk.client(example.endpoint, DEMO);
        });

        it('DescribeRegions lists the served regions with LocalName and RegionEndpoint', async () => {
          const body = bodyOf(await client.call('DescribeRegions'), 'DescribeRegions');
          assert.match(String(body.RequestId), REQUEST_ID);
          const regions = (body.Regions as { Region: Array<Record<string, string>> }).Region;
          const hangzhou = regions.find((r) => r.RegionId === 'cn-hangzhou');
          assert.deepEqual(hangzhou, { RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）', RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com' });
          assert.ok(regions.some((r) => r.RegionId === 'cn-shanghai'));
        });

        it('an instance through its life: create (Stopped), describe, start, stop, delete, with every status error on the way', async () => {
          const marker = randomUUID();
          const name = `web 服务器 😀 "${sdk.signature}" & <${marker.slice(0, 8)}>`;
          const created = bodyOf(
            await client.call('CreateInstance', {
              RegionId: 'cn-shanghai',
              InstanceType: 'ecs.g7.large',
              InstanceName: name,
              ...tagParams([{ Key: 'run', Value: marker }, { Key: 'env' }]),
            }),
            'CreateInstance',
          );
          const id = String(created.InstanceId);
          assert.match(id, INSTANCE_ID);
          assert.deepEqual(Object.keys(created).sort(), ['InstanceId', 'RequestId']);

          const describe = async (): Promise<Record<string, unknown>> => {
            const body = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-shanghai', 'InstanceId.1': id }), 'DescribeInstances');
            assert.equal(body.TotalCount, 1);
            assert.equal(body.PageNumber, 1);
            assert.equal(body.PageSize, 10);
            const [instance] = instancesOf(body);
            assert.ok(instance !== undefined);
            return instance;
          };
          const described = await describe();
          assert.deepEqual(
            { ...described, CreationTime: undefined },
            {
              InstanceId: id,
              InstanceName: name,
              InstanceType: 'ecs.g7.large',
              RegionId: 'cn-shanghai',
              Status: 'Stopped',
              CreationTime: undefined,
              Tags: { Tag: [{ TagKey: 'run', TagValue: marker }, { TagKey: 'env', TagValue: '' }] },
            },
          );
          assert.match(String(described.CreationTime), CREATION_TIME);
          const age = Date.now() - Date.parse(String(described.CreationTime));
          assert.ok(age >= -2000 && age < 10 * 60_000, `CreationTime ${String(described.CreationTime)} is the creation time`);

          // By tag: exactly this instance carries this run's marker.
          const byTag = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-shanghai', ...tagParams([{ Key: 'run', Value: marker }]) }), 'by tag');
          assert.deepEqual(instancesOf(byTag).map((i) => i.InstanceId), [id]);

          const started = bodyOf(await client.call('StartInstance', { InstanceId: id }), 'StartInstance');
          assert.deepEqual(Object.keys(started), ['RequestId']);
          assert.equal((await describe()).Status, 'Running');
          assertError(await client.call('StartInstance', { InstanceId: id }), 'IncorrectInstanceStatus', 403, 'start a Running instance');
          assertError(await client.call('DeleteInstance', { InstanceId: id }), 'IncorrectInstanceStatus', 403, 'delete a Running instance');
          assert.equal((await describe()).Status, 'Running');

          assert.deepEqual(Object.keys(bodyOf(await client.call('StopInstance', { InstanceId: id }), 'StopInstance')), ['RequestId']);
          assert.equal((await describe()).Status, 'Stopped');
          assertError(await client.call('StopInstance', { InstanceId: id }), 'IncorrectInstanceStatus', 403, 'stop a Stopped instance');

          assert.deepEqual(Object.keys(bodyOf(await client.call('DeleteInstance', { InstanceId: id }), 'DeleteInstance')), ['RequestId']);
          const gone = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-shanghai', 'InstanceId.1': id }), 'describe deleted');
          assert.equal(gone.TotalCount, 0);
          assert.deepEqual(instancesOf(gone), []);
          for (const action of ['DeleteInstance', 'StartInstance', 'StopInstance']) {
            assertError(await client.call(action, { InstanceId: id }), 'InvalidInstanceId.NotFound', 404, `${action} on a deleted instance`);
          }
        });

        it('an unknown InstanceId → InvalidInstanceId.NotFound (404) "The specified InstanceId does not exist."', async () => {
          const outcome = await client.call('StartInstance', { InstanceId: 'i-doesnotexist000000' });
          assertError(outcome, 'InvalidInstanceId.NotFound', 404, 'StartInstance');
          assert.equal(failureOf(outcome, '').message, 'The specified InstanceId does not exist.');
        });

        it('a RegionId that is not served → InvalidRegionId.NotFound (404), in CreateInstance and DescribeInstances', async () => {
          const create = await client.call('CreateInstance', { RegionId: 'mars-north-1', InstanceType: 'ecs.g7.large' });
          assertError(create, 'InvalidRegionId.NotFound', 404, 'CreateInstance');
          assert.equal(failureOf(create, '').message, 'The specified RegionId does not exist.');
          assertError(await client.call('DescribeInstances', { RegionId: 'mars-north-1' }), 'InvalidRegionId.NotFound', 404, 'DescribeInstances');
        });

        it('IncorrectInstanceStatus says "The current status of the resource does not support this operation."', async () => {
          const id = String(bodyOf(await client.call('CreateInstance', { RegionId: 'cn-beijing', InstanceType: 'ecs.c7.xlarge' }), 'create').InstanceId);
          const outcome = await client.call('StopInstance', { InstanceId: id });
          assertError(outcome, 'IncorrectInstanceStatus', 403, 'StopInstance');
          assert.equal(failureOf(outcome, '').message, 'The current status of the resource does not support this operation.');
          bodyOf(await client.call('DeleteInstance', { InstanceId: id }), 'clean up');
        });

        it('ClientToken: a retry returns the first InstanceId and creates nothing; other parameters → IdempotentParameterMismatch', async () => {
          const token = randomUUID();
          const marker = randomUUID();
          const params = { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', ClientToken: token, ...tagParams([{ Key: 'run', Value: marker }]) };
          const first = bodyOf(await client.call('CreateInstance', params), 'first');
          const retry = bodyOf(await client.call('CreateInstance', params), 'retry');
          assert.equal(retry.InstanceId, first.InstanceId);
          assert.notEqual(retry.RequestId, first.RequestId);
          const listed = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-hangzhou', ...tagParams([{ Key: 'run', Value: marker }]) }), 'list');
          assert.equal(listed.TotalCount, 1, 'one instance, not two');

          const mismatch = await client.call('CreateInstance', { ...params, InstanceType: 'ecs.c7.large' });
          assertError(mismatch, 'IdempotentParameterMismatch', 400, 'same token, other InstanceType');
          // Another token is another request.
          const other = bodyOf(await client.call('CreateInstance', { ...params, ClientToken: randomUUID() }), 'another token');
          assert.notEqual(other.InstanceId, first.InstanceId);
        });

        describe('authentication', () => {
          const cases: Array<[string, typeof DEMO, string, number]> = [
            ['a wrong secret', WRONG_SECRET, 'SignatureDoesNotMatch', 400],
            ['an unknown AccessKeyId', UNKNOWN_KEY, 'InvalidAccessKeyId.NotFound', 400],
            ['the disabled demo key', DISABLED, 'Forbidden.AccessKeyDisabled', 403],
          ];
          for (const [what, key, code, status] of cases) {
            it(`${what} → ${code} (${status}), for every action`, async () => {
              const other = sdk.client(example.endpoint, key);
              const calls: Array<[string, Record<string, string>]> = [
                ['DescribeRegions', {}],
                ['CreateInstance', { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large' }],
                ['DescribeInstances', { RegionId: 'cn-hangzhou' }],
                ['StartInstance', { InstanceId: 'i-x' }],
                ['StopInstance', { InstanceId: 'i-x' }],
                ['DeleteInstance', { InstanceId: 'i-x' }],
              ];
              for (const [action, params] of calls) assertError(await other.call(action, params), code, status, `${action} with ${what}`);
            });
          }
        });
      });
    }
  });
}
