/**
 * The short form of `npm run faulttest` (bench/campaign/fault-run.ts): the ECS example service on
 * one real redis-server, under load with retried ClientTokens, while Redis is killed and restarted,
 * restarted gracefully, and paused then resumed.
 *
 * What the neighbouring suites already prove is not repeated here: envelopes and recovery across a
 * kill with fresh tokens (test/idempotency/redis-fault.test.ts), a paused Redis answered 503 within
 * the store timeout (test/example/redis.test.ts). This one adds the accounting under faults with
 * *retried* tokens: no token is ever answered with two InstanceIds, and none created two instances
 * in the Redis that survives.
 */
import assert from 'node:assert/strict';
import { runFaultCampaign, type FaultCampaignResult } from '../../bench/campaign/fault-run.js';
import { requireRedisServer } from '../support/redis-server.js';

describe('Redis faults under load with retried ClientTokens (short faulttest)', function () {
  this.timeout(90_000);
  let result: FaultCampaignResult;

  before(async function () {
    requireRedisServer(this);
    result = await runFaultCampaign({ seconds: 20, rate: 120, connections: 8, framework: 'koa' });
  });

  it('every response is a well-formed envelope; no server bug reported', () => {
    assert.ok(result.requests > 0);
    assert.equal(result.notEnvelope, 0, result.examples.join('\n'));
    assert.equal(result.serverBugs, 0);
  });

  it('Redis failures are answered ServiceUnavailable (503), never another 5xx', () => {
    const fiveHundreds = Object.keys(result.statuses).filter((key) => key.startsWith('5'));
    assert.deepEqual(fiveHundreds.filter((key) => key !== '503 ServiceUnavailable'), []);
    assert.ok((result.statuses['503 ServiceUnavailable'] ?? 0) > 0, 'the kill was felt');
  });

  it('the service recovers by itself after every fault, before the next one', () => {
    for (const window of result.windows) assert.notEqual(window.firstSuccessAfterMs, undefined, `no success after the ${window.fault}`);
  });

  it('nothing is accepted twice: no token answered with two InstanceIds, none created two instances', () => {
    assert.ok(result.tokenRetries > 0 && result.tokensAccepted > 0);
    assert.equal(result.tokensWithTwoIds, 0);
    assert.equal(result.tokensExecutedTwice, 0);
  });
});
