/**
 * `setIfAbsent(key, value, ttlMs, { uniqueValue: true })` on a real redis-server, with both client
 * libraries: an entry holding exactly the caller's value is its own earlier write (answered true,
 * left as it was); any other entry still refuses; without the option nothing changes. A model-based
 * property checks sequences of calls against an oracle written from the Store JSDoc. The lost reply
 * itself (ioredis resending the SET) is test/stores/redis-lost-reply.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MemoryStore, RedisStore, type RedisClientLike, type Store } from '../../lib/stores/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { REDIS_KITS } from '../support/redis-kits.js';

const LONG = 60_000;

describe('setIfAbsent with { uniqueValue: true }', () => {
  let server: RedisServer;

  before(async function () {
    requireRedisServer(this);
    server = await startRedisServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const kit of REDIS_KITS) {
    describe(`RedisStore with ${kit.library}`, () => {
      let client: RedisClientLike;
      let store: RedisStore;
      const key = (): string => `k:${randomUUID()}`;

      before(async () => {
        client = await kit.connect(server.port);
        store = new RedisStore({ client, prefix: `unique-${randomUUID()}:`, commandTimeoutMs: 5_000 });
      });
      after(async () => {
        if (client !== undefined) await kit.close(client);
      });

      it('creates an absent entry (true), as without the option', async () => {
        const k = key();
        assert.equal(await store.setIfAbsent(k, 'mine', LONG, { uniqueValue: true }), true);
        assert.equal(await store.get(k), 'mine');
      });

      it('an entry holding exactly the value is the call\'s own write: true, value and TTL untouched', async () => {
        const k = key();
        assert.equal(await store.setIfAbsent(k, 'mine', LONG), true);
        const ttlBefore = Number(await kit.raw(client, 'PTTL', [store.prefix + k]));
        assert.equal(await store.setIfAbsent(k, 'mine', 5, { uniqueValue: true }), true);
        assert.equal(await store.get(k), 'mine');
        const ttlAfter = Number(await kit.raw(client, 'PTTL', [store.prefix + k]));
        assert.ok(ttlAfter > 1_000 && ttlAfter <= ttlBefore, `TTL ${ttlBefore} → ${ttlAfter}`);
      });

      it('an entry holding another value refuses (false) and is left alone', async () => {
        const k = key();
        assert.equal(await store.setIfAbsent(k, 'theirs', LONG), true);
        assert.equal(await store.setIfAbsent(k, 'mine', LONG, { uniqueValue: true }), false);
        assert.equal(await store.setIfAbsent(k, 'the', LONG, { uniqueValue: true }), false); // a prefix is not equal
        assert.equal(await store.get(k), 'theirs');
      });

      it('without the option (or with uniqueValue: false) an identical value still refuses: constant values stay safe', async () => {
        const k = key();
        assert.equal(await store.setIfAbsent(k, '1', LONG), true);
        assert.equal(await store.setIfAbsent(k, '1', LONG), false);
        assert.equal(await store.setIfAbsent(k, '1', LONG, {}), false);
        assert.equal(await store.setIfAbsent(k, '1', LONG, { uniqueValue: false }), false);
      });

      it('matches the oracle over random sequences of calls (model-based)', async () => {
        const op = fc.record({ value: fc.constantFrom('a', 'b', 'ä', ''.padEnd(3, 'a')), unique: fc.boolean(), remove: fc.boolean() });
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
            const k = key();
            let current: string | undefined;
            for (const { value, unique, remove } of ops) {
              if (remove) {
                await store.delete(k);
                current = undefined;
                continue;
              }
              // The oracle, from the Store JSDoc: created when absent; with uniqueValue, an entry
              // holding exactly `value` is the caller's own; anything else refuses, untouched.
              const expected = current === undefined || (unique && current === value);
              assert.equal(await store.setIfAbsent(k, value, LONG, unique ? { uniqueValue: true } : undefined), expected);
              if (current === undefined) current = value;
              assert.equal(await store.get(k), current);
            }
          }),
          { numRuns: 40 },
        );
      });
    });
  }

  // MemoryStore never runs a command twice, so it may ignore the option (Store JSDoc): an
  // identical value refuses there, as it always did. Nothing in the package relies on either
  // answer, since its unique values are never written twice by anyone but a resent command.
  it('MemoryStore accepts the option and keeps its one-shot answer', async () => {
    const store: Store = new MemoryStore({ sweepIntervalMs: 0 }); // its own signature (not edited here) takes three arguments
    assert.equal(await store.setIfAbsent('k', 'mine', LONG, { uniqueValue: true }), true);
    assert.equal(await store.setIfAbsent('k', 'other', LONG, { uniqueValue: true }), false);
    assert.equal(await store.get('k'), 'mine');
  });
});
