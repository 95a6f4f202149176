import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { MemoryStore } from '../../lib/stores/index.js';
import { storeContract } from './store-contract.js';

describe('MemoryStore', () => {
  describe('store contract', () => {
    let store: MemoryStore;
    before(() => {
      store = new MemoryStore();
    });
    storeContract({ stores: () => [store] });
  });

  describe('setIfAbsentSync', () => {
    it('answers at once what setIfAbsent resolves to, in the same entries, and expires like it', async () => {
      let now = 1_000;
      const store = new MemoryStore({ sweepIntervalMs: 0, now: () => now });
      assert.equal(store.setIfAbsentSync('k', 'v1', 100), true);
      assert.equal(store.setIfAbsentSync('k', 'v2', 100), false);
      assert.equal(await store.setIfAbsent('k', 'v3', 100), false);
      assert.equal(await store.get('k'), 'v1');
      now += 100; // expired: the key is free again
      assert.equal(store.setIfAbsentSync('k', 'v4', 100), true);
      assert.equal(await store.get('k'), 'v4');
    });

    it('throws where setIfAbsent rejects', async () => {
      const store = new MemoryStore({ sweepIntervalMs: 0 });
      assert.throws(() => store.setIfAbsentSync('\uDC00', 'v', 100), TypeError);
      assert.throws(() => store.setIfAbsentSync('k', 'v', 0), RangeError);
      await assert.rejects(store.setIfAbsent('k', 'v', 0), RangeError);
      assert.equal(store.size, 0);
    });
  });

  describe('bounded memory', () => {
    it('200,000 distinct keys into maxEntries 50,000 never hold more than 50,000 entries', async () => {
      const store = new MemoryStore({ maxEntries: 50_000 });
      let largest = 0;
      for (let i = 0; i < 200_000; i += 1) {
        await store.setIfAbsent(`nonce-${i}`, 'v', 60_000);
        if (store.size > largest) largest = store.size;
      }
      assert.equal(largest, 50_000);
      assert.equal(store.size, 50_000);
      // The oldest went, the newest stayed; every eviction of a live entry is counted.
      assert.equal(await store.get('nonce-0'), undefined);
      assert.equal(await store.get('nonce-149999'), undefined);
      assert.equal(await store.get('nonce-150000'), 'v');
      assert.equal(await store.get('nonce-199999'), 'v');
      assert.equal(store.earlyEvictions, 150_000);
    });

    it('when full, evicts expired entries before live ones', async () => {
      let now = 1_000;
      const store = new MemoryStore({ maxEntries: 4, sweepIntervalMs: 0, now: () => now });
      await store.set('a', 'A', 1_000);
      await store.set('b', 'B', 10);
      await store.set('c', 'C', 1_000);
      await store.set('d', 'D', 1_000);
      now += 20; // b has expired, a is the oldest but live
      await store.set('e', 'E', 1_000);
      assert.equal(store.size, 4);
      assert.equal(await store.get('a'), 'A');
      assert.equal(await store.get('b'), undefined);
      assert.equal(store.earlyEvictions, 0);
    });

    it('when full of live entries, evicts the oldest-written one; rewriting a key makes it young', async () => {
      let now = 1_000;
      const store = new MemoryStore({ maxEntries: 3, sweepIntervalMs: 0, now: () => now });
      await store.set('a', 'A', 1_000);
      await store.set('b', 'B', 1_000);
      await store.set('c', 'C', 1_000);
      await store.set('a', 'A2', 1_000); // a is now the youngest
      now += 1;
      await store.setIfAbsent('d', 'D', 1_000);
      assert.equal(await store.get('b'), undefined);
      assert.deepEqual(
        await Promise.all(['a', 'c', 'd'].map((k) => store.get(k))),
        ['A2', 'C', 'D'],
      );
      assert.equal(store.earlyEvictions, 1);
    });

    it('with live entries only, always holds exactly the most recently written keys (property)', async () => {
      type Op = { kind: 'set' | 'setIfAbsent' | 'delete' | 'compareAndSet' | 'compareAndDelete'; key: number };
      const op = fc.record({
        kind: fc.constantFrom('set', 'setIfAbsent', 'delete', 'compareAndSet', 'compareAndDelete'),
        key: fc.integer({ min: 0, max: 12 }),
      }) as fc.Arbitrary<Op>;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 80 }), async (max, ops) => {
          const store = new MemoryStore({ maxEntries: max, sweepIntervalMs: 0 });
          let order: string[] = []; // the model: keys by write time, oldest first
          const write = (k: string): void => {
            order = order.filter((x) => x !== k);
            if (order.length >= max) order.shift();
            order.push(k);
          };
          for (const { kind, key } of ops) {
            const k = `k${key}`;
            const present = order.includes(k);
            if (kind === 'set') {
              await store.set(k, k, 60_000);
              write(k);
            } else if (kind === 'setIfAbsent') {
              assert.equal(await store.setIfAbsent(k, k, 60_000), !present);
              if (!present) write(k);
            } else if (kind === 'delete') {
              await store.delete(k);
              order = order.filter((x) => x !== k);
            } else if (kind === 'compareAndSet') {
              assert.equal(await store.compareAndSet(k, k, k, 60_000), present);
              if (present) write(k);
            } else {
              assert.equal(await store.compareAndDelete(k, k), present);
              order = order.filter((x) => x !== k);
            }
            assert.equal(store.size, order.length);
          }
          for (let key = 0; key <= 12; key += 1) {
            assert.equal(await store.get(`k${key}`), order.includes(`k${key}`) ? `k${key}` : undefined);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('a losing setIfAbsent or a failed compare never evicts anything', async () => {
      const store = new MemoryStore({ maxEntries: 2, sweepIntervalMs: 0 });
      await store.set('a', 'A', 60_000);
      await store.set('b', 'B', 60_000);
      assert.equal(await store.setIfAbsent('a', 'x', 60_000), false);
      assert.equal(await store.compareAndSet('b', 'nope', 'x', 60_000), false);
      assert.equal(await store.compareAndSet('b', 'B', 'B2', 60_000), true);
      assert.equal(store.size, 2);
      assert.equal(store.earlyEvictions, 0);
      assert.deepEqual(await Promise.all([store.get('a'), store.get('b')]), ['A', 'B2']);
    });

    it('keys and values built by concatenation are stored flat and read back exactly (property)', async () => {
      // The store flattens what it keeps (lib/stores/flat-string.ts): the same value, fewer objects.
      const part = fc.string({ unit: 'grapheme', maxLength: 12 });
      await fc.assert(
        fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 6 }), fc.array(part, { maxLength: 6 }), async (keyParts, valueParts) => {
          const store = new MemoryStore({ sweepIntervalMs: 0 });
          let key = '';
          for (const p of keyParts) key += p; // a rope of the parts, as NonceGuard builds its keys
          let value = 'v:';
          for (const p of valueParts) value += p;
          const sameKey = keyParts.join('');
          const sameValue = `v:${valueParts.join('')}`;
          assert.equal(await store.setIfAbsent(key, value, 60_000), true);
          assert.equal(await store.setIfAbsent(sameKey, 'other', 60_000), false);
          assert.equal(await store.get(sameKey), sameValue);
          assert.equal(await store.compareAndSet(sameKey, sameValue, `${value}!`, 60_000), true);
          assert.equal(await store.get(key), `${sameValue}!`);
          assert.equal(await store.compareAndDelete(key, `${sameValue}!`), true);
          assert.equal(store.size, 0);
        }),
        { numRuns: 200 },
      );
    });

    it('expired entries are dropped when read and by sweepExpired()', async () => {
      let now = 0;
      const store = new MemoryStore({ sweepIntervalMs: 0, now: () => now });
      for (let i = 0; i < 10; i += 1) await store.set(`k${i}`, 'v', 5 + i);
      await store.set('live', 'v', 1_000);
      now = 10; // k0..k5 expired
      assert.equal(await store.get('k0'), undefined);
      assert.equal(store.size, 10);
      assert.equal(store.sweepExpired(), 5);
      assert.equal(store.size, 5);
    });

    it('the background sweeper removes expired entries without any access', async () => {
      const store = new MemoryStore({ sweepIntervalMs: 10 });
      for (let i = 0; i < 20; i += 1) await store.set(`k${i}`, 'v', 1);
      await store.set('live', 'v', 60_000);
      for (let attempt = 0; attempt < 200 && store.size > 1; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(store.size, 1);
    });

    it('its sweep timer does not keep the process alive', async function () {
      this.timeout(30_000);
      const module = join(__dirname, '../../lib/stores/memory-store.ts');
      const script = `
        const { MemoryStore } = require(${JSON.stringify(module)});
        const store = new MemoryStore({ sweepIntervalMs: 5 });
        store.set('k', 'v', 60_000).then(() => console.log('created'));
      `;
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      const [code, signal] = (await new Promise((resolve) =>
        child.on('exit', (c, s) => resolve([c, s])),
      )) as [number | null, NodeJS.Signals | null];
      clearTimeout(timer);
      assert.equal(output.trim(), 'created');
      assert.deepEqual([code, signal], [0, null], 'the child had to be killed: the timer kept it alive');
    });
  });

  describe('options', () => {
    it('rejects a maxEntries that is not a positive integer', () => {
      for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => new MemoryStore({ maxEntries }), RangeError, String(maxEntries));
      }
    });

    it('rejects a negative or non-finite sweepIntervalMs', () => {
      for (const sweepIntervalMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => new MemoryStore({ sweepIntervalMs }), RangeError, String(sweepIntervalMs));
      }
    });

    it('defaults to 100,000 entries', () => {
      assert.equal(new MemoryStore().maxEntries, 100_000);
    });
  });
});
