/**
 * The shared deadline timer of Redis operations: each wait expires once, unless settled first;
 * settled waits never expire; waits started after expiries or between settled ones still expire.
 */
import assert from 'node:assert/strict';
import { Deadlines } from '../../lib/stores/deadlines.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Deadlines (one timer for the operations of a store)', () => {
  it('a wait not settled in time expires once; settling it afterwards reports the expiry', async () => {
    const deadlines = new Deadlines(20);
    let expiries = 0;
    const deadline = deadlines.start(() => expiries++);
    assert.equal(deadline.expired, false);
    await sleep(80);
    assert.equal(expiries, 1);
    assert.equal(deadline.expired, true);
    assert.equal(deadline.remainingMs(), 0);
    assert.equal(deadline.settle(), false);
    assert.equal(expiries, 1);
  });

  it('a settled wait never expires, and settles only once', async () => {
    const deadlines = new Deadlines(20);
    let expiries = 0;
    const deadline = deadlines.start(() => expiries++);
    assert.ok(deadline.remainingMs() > 0);
    assert.equal(deadline.settle(), true);
    assert.equal(deadline.settle(), false);
    await sleep(80);
    assert.equal(expiries, 0);
    assert.equal(deadline.expired, false);
  });

  it('among many waits, exactly the unsettled ones expire, in the order they started', async () => {
    const deadlines = new Deadlines(30);
    const expired: number[] = [];
    const waits = Array.from({ length: 3000 }, (_, i) => deadlines.start(() => expired.push(i)));
    waits.forEach((wait, i) => {
      if (i % 7 !== 0) assert.equal(wait.settle(), true);
    });
    await sleep(120);
    assert.deepEqual(
      expired,
      waits.map((_, i) => i).filter((i) => i % 7 === 0),
    );
  });

  it('waits started after an expiry, and while settled ones are still queued, expire too', async () => {
    const deadlines = new Deadlines(20);
    const expired: string[] = [];
    deadlines.start(() => expired.push('first'));
    await sleep(60);
    deadlines.start(() => expired.push('never')).settle();
    deadlines.start(() => expired.push('second'));
    await sleep(60);
    deadlines.start(() => expired.push('third'));
    await sleep(60);
    assert.deepEqual(expired, ['first', 'second', 'third']);
  });
});
