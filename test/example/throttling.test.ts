/**
 * Throttling in the example (ECS_THROTTLE_PER_SECOND=3), as SDK users see it: `Throttling` (400)
 * with `x-acs-retry-after`, counted per AccessKeyId and per Action, on Koa and Express.
 */
import assert from 'node:assert/strict';
import { DEMO, bodyOf, failureOf, openApiClient, popCore, startExample, type Key, type Outcome, type RunningExample, type Sdk } from './support.js';

const LIMIT = 3;
/** Enough calls that some LIMIT + 1 of them fall within one second. */
const MAX_CALLS = 30;
const SECOND_KEY: Key = { accessKeyId: 'second-ak', secret: 'second-secret' };

/** Calls until the first Throttling (at most MAX_CALLS); returns the outcomes. */
async function callUntilThrottled(call: () => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < MAX_CALLS; i++) {
    const outcome = await call();
    outcomes.push(outcome);
    if (!outcome.ok) break;
  }
  return outcomes;
}

for (const framework of ['koa', 'express'] as const) {
  for (const sdk of [popCore('GET'), openApiClient('V3')] as Sdk[]) {
    describe(`example/throttling: ${sdk.name} on ${framework}, ${LIMIT} per second`, () => {
      let example: RunningExample;

      beforeEach(async () => {
        // A fresh service per test: fresh counters.
        example = await startExample(
          { FRAMEWORK: framework, ECS_THROTTLE_PER_SECOND: String(LIMIT) },
          {
            accessKeys: [
              { ...DEMO, disabled: false },
              { ...SECOND_KEY, disabled: false },
            ],
          },
        );
      });
      afterEach(async () => {
        await example.close();
      });

      it(`the first ${LIMIT} calls succeed, then Throttling (400) with the catalogue message`, async () => {
        const client = sdk.client(example.endpoint, DEMO);
        const outcomes = await callUntilThrottled(() => client.call('DescribeRegions'));
        assert.ok(outcomes.slice(0, LIMIT).every((o) => o.ok), 'the first calls of a window are served');
        const last = outcomes[outcomes.length - 1] as Outcome;
        const throttled = failureOf(last, `after ${outcomes.length} calls`);
        assert.equal(throttled.code, 'Throttling');
        assert.match(throttled.message, /request throttling/);
        if (throttled.status !== undefined) assert.equal(throttled.status, 400);
        if (sdk.name.startsWith('@alicloud/pop-core')) {
          // pop-core hands over the response headers: the wait is in whole milliseconds, within the window.
          const retryAfter = Number(throttled.headers['x-acs-retry-after']);
          assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 1000, `x-acs-retry-after ${String(throttled.headers['x-acs-retry-after'])}`);
        }
      });

      it('counts per AccessKeyId and per Action: others are still served while one is throttled', async () => {
        const client = sdk.client(example.endpoint, DEMO);
        const outcomes = await callUntilThrottled(() => client.call('DescribeRegions'));
        assert.equal(failureOf(outcomes[outcomes.length - 1] as Outcome, 'throttled').code, 'Throttling');
        // Another key, same action; the same key, another action: their own (fresh) counters.
        bodyOf(await sdk.client(example.endpoint, SECOND_KEY).call('DescribeRegions'), 'the other key');
        bodyOf(await client.call('DescribeInstances', { RegionId: 'cn-hangzhou' }), 'another action');
      });

      it('a refused signature is not counted against the key (authentication comes first)', async () => {
        const wrong = sdk.client(example.endpoint, { accessKeyId: DEMO.accessKeyId, secret: 'not-the-secret' });
        for (let i = 0; i < LIMIT + 2; i++) assert.equal(failureOf(await wrong.call('DescribeRegions'), 'wrong secret').code, 'SignatureDoesNotMatch');
        bodyOf(await sdk.client(example.endpoint, DEMO).call('DescribeRegions'), 'the real caller is still served');
      });
    });
  }
}
