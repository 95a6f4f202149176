/**
 * The example's parameter rules as SDK users meet them (pop-core POST and openapi-client V3; the
 * rules come from the framework-neutral declarations, served here by Koa and Express): required
 * parameters, InstanceType's pattern, InstanceName's 2-128 code points, tag limits, ClientToken
 * length, paging bounds, defaults and filters.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEMO, bodyOf, failureOf, instancesOf, openApiClient, popCore, startExample, tagParams, type FlatParams, type Outcome, type RunningExample, type SdkClient } from './support.js';

function assertInvalid(outcome: Outcome, code: 'InvalidParameter' | 'MissingParameter', parameter: string, what: string): void {
  const failure = failureOf(outcome, what);
  assert.equal(failure.code, code, `${what}: ${failure.message}`);
  if (failure.status !== undefined) assert.equal(failure.status, 400, what);
  assert.ok(failure.message.includes(`"${parameter}"`), `${what}: the message names ${parameter}: ${failure.message}`);
}

const CREATE = { RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large' };

for (const framework of ['koa', 'express'] as const) {
  for (const sdk of [popCore('POST'), openApiClient('V3')]) {
    describe(`example/parameters: ${sdk.name} on ${framework}`, () => {
      let example: RunningExample;
      let client: SdkClient;

      before(async () => {
        example = await startExample({ FRAMEWORK: framework });
        client = sdk.client(example.endpoint, DEMO);
      });
      after(async () => {
        await example.close();
      });

      async function create(params: FlatParams): Promise<Outcome> {
        return client.call('CreateInstance', params);
      }

      async function describeOne(id: string): Promise<Record<string, unknown>> {
        const body = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': id }), 'describe');
        const [instance] = instancesOf(body);
        assert.ok(instance !== undefined, `instance ${id} listed`);
        return instance;
      }

      it('CreateInstance without RegionId or InstanceType → MissingParameter naming it', async () => {
        assertInvalid(await create({ InstanceType: 'ecs.g7.large' }), 'MissingParameter', 'RegionId', 'no RegionId');
        assertInvalid(await create({ RegionId: 'cn-hangzhou' }), 'MissingParameter', 'InstanceType', 'no InstanceType');
        assertInvalid(await client.call('DescribeInstances', {}), 'MissingParameter', 'RegionId', 'DescribeInstances without RegionId');
        for (const action of ['StartInstance', 'StopInstance', 'DeleteInstance']) {
          assertInvalid(await client.call(action, {}), 'MissingParameter', 'InstanceId', `${action} without InstanceId`);
        }
      });

      it('InstanceType must look like ecs.<family>.<size>', async () => {
        for (const bad of ['g7.large', 'ecs.G7.large', 'ecs..large', 'ecs.g7.large ', 'ecs.g7', 'rds.g7.large']) {
          assertInvalid(await create({ ...CREATE, InstanceType: bad }), 'InvalidParameter', 'InstanceType', JSON.stringify(bad));
        }
        for (const good of ['ecs.t5-lc1m1.small', 'ecs.c7.2xlarge', 'ecs.g7.large']) {
          const id = String(bodyOf(await create({ ...CREATE, InstanceType: good }), good).InstanceId);
          assert.equal((await describeOne(id)).InstanceType, good);
        }
      });

      it('InstanceName: 2 to 128 Unicode code points of any characters, returned exactly', async () => {
        const good = ['ab', '😀😀', '名'.repeat(128), '😀'.repeat(128), "a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀 <tag> \"q\"", '  spaced  '];
        for (const name of good) {
          const id = String(bodyOf(await create({ ...CREATE, InstanceName: name }), `name ${name.length} units`).InstanceId);
          assert.equal((await describeOne(id)).InstanceName, name);
        }
        // One emoji is two UTF-16 units but one code point: too short. 129 code points: too long.
        for (const name of ['a', '😀', '名'.repeat(129), '😀'.repeat(129)]) {
          assertInvalid(await create({ ...CREATE, InstanceName: name }), 'InvalidParameter', 'InstanceName', `name of ${[...name].length} code points`);
        }
      });

      it('without InstanceName, the name is the InstanceId', async () => {
        const id = String(bodyOf(await create(CREATE), 'create').InstanceId);
        assert.equal((await describeOne(id)).InstanceName, id);
      });

      it('up to 20 tags, kept in order; 21, a repeated key or a value without key are refused', async () => {
        const twenty = Array.from({ length: 20 }, (_, i) => ({ Key: `k${i + 1}`, Value: `v ${i + 1} 值` }));
        const id = String(bodyOf(await create({ ...CREATE, ...tagParams(twenty) }), '20 tags').InstanceId);
        assert.deepEqual((await describeOne(id)).Tags, { Tag: twenty.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) });

        const tooMany = await create({ ...CREATE, ...tagParams([...twenty, { Key: 'k21', Value: 'v' }]) });
        assert.equal(failureOf(tooMany, '21 tags').code, 'InvalidParameter');
        assertInvalid(await create({ ...CREATE, ...tagParams([{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }]) }), 'InvalidParameter', 'Tag.2.Key', 'repeated key');
        assertInvalid(await create({ ...CREATE, 'Tag.1.Value': 'orphan' }), 'MissingParameter', 'Tag.1.Key', 'value without key');
      });

      it('ClientToken longer than 64 characters → InvalidParameter', async () => {
        assertInvalid(await create({ ...CREATE, ClientToken: 'x'.repeat(65) }), 'InvalidParameter', 'ClientToken', '65 characters');
        bodyOf(await create({ ...CREATE, ClientToken: 'x'.repeat(63) + randomUUID().slice(0, 1) }), '64 characters');
      });

      it('PageNumber ≥ 1 and PageSize 1-100, as integers', async () => {
        for (const [name, value] of [
          ['PageSize', '0'],
          ['PageSize', '101'],
          ['PageSize', 'ten'],
          ['PageSize', '1.5'],
          ['PageNumber', '0'],
          ['PageNumber', '-1'],
        ] as const) {
          assertInvalid(await client.call('DescribeInstances', { RegionId: 'cn-hangzhou', [name]: value }), 'InvalidParameter', name, `${name}=${value}`);
        }
        const ids = Array.from({ length: 101 }, (_, i) => [`InstanceId.${i + 1}`, `i-${i}`]);
        const tooMany = await client.call('DescribeInstances', { RegionId: 'cn-hangzhou', ...Object.fromEntries(ids) });
        assert.equal(failureOf(tooMany, '101 ids').code, 'InvalidParameter');
      });

      it('pages through matching instances oldest first; defaults PageNumber 1, PageSize 10', async () => {
        const marker = randomUUID();
        const created: string[] = [];
        for (let i = 0; i < 12; i++) {
          const tags = tagParams([{ Key: 'run', Value: marker }, ...(i % 3 === 0 ? [{ Key: 'third', Value: 'yes' }] : [])]);
          created.push(String(bodyOf(await create({ RegionId: 'cn-beijing', InstanceType: 'ecs.g7.large', ...tags }), `create ${i}`).InstanceId));
        }
        const filter = { RegionId: 'cn-beijing', ...tagParams([{ Key: 'run', Value: marker }]) };

        const first = bodyOf(await client.call('DescribeInstances', filter), 'defaults');
        assert.equal(first.TotalCount, 12);
        assert.equal(first.PageNumber, 1);
        assert.equal(first.PageSize, 10);
        assert.deepEqual(instancesOf(first).map((i) => i.InstanceId), created.slice(0, 10));

        const seen: unknown[] = [];
        for (let page = 1; page <= 4; page++) {
          const body = bodyOf(await client.call('DescribeInstances', { ...filter, PageNumber: String(page), PageSize: '5' }), `page ${page}`);
          assert.equal(body.TotalCount, 12);
          assert.equal(body.PageNumber, page);
          assert.equal(body.PageSize, 5);
          assert.equal(instancesOf(body).length, [5, 5, 2, 0][page - 1]);
          seen.push(...instancesOf(body).map((i) => i.InstanceId));
        }
        assert.deepEqual(seen, created);

        // Two tags: both must match. A key alone matches any value; a key with another value matches nothing.
        const both = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-beijing', ...tagParams([{ Key: 'run', Value: marker }, { Key: 'third' }]) }), 'two tags');
        assert.deepEqual(instancesOf(both).map((i) => i.InstanceId), [0, 3, 6, 9].map((i) => created[i]));
        const wrongValue = bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-beijing', ...tagParams([{ Key: 'run', Value: `${marker}-other` }]) }), 'other value');
        assert.equal(wrongValue.TotalCount, 0);

        // InstanceId.N (and ECS's InstanceIds JSON): exactly those, in creation order, within the region.
        const some = { RegionId: 'cn-beijing', 'InstanceId.1': String(created[7]), 'InstanceId.2': String(created[2]), 'InstanceId.3': 'i-unknown' };
        assert.deepEqual(instancesOf(bodyOf(await client.call('DescribeInstances', some), 'by ids')).map((i) => i.InstanceId), [created[2], created[7]]);
        const json = { RegionId: 'cn-beijing', InstanceIds: JSON.stringify([created[5]]) };
        assert.deepEqual(instancesOf(bodyOf(await client.call('DescribeInstances', json), 'InstanceIds')).map((i) => i.InstanceId), [created[5]]);
        const elsewhere = bodyOf(await client.call('DescribeInstances', { ...some, RegionId: 'cn-hangzhou' }), 'other region');
        assert.equal(elsewhere.TotalCount, 0);
      });
    });
  }
}
