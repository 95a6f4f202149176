/**
 * The one behavioural contract every Store must meet, run against each implementation by
 * test/stores/*.test.ts. Call it inside a `describe` whose `before` has set the stores up.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Store } from '../../lib/stores/index.js';

export interface StoreContractOptions {
  /**
   * One or more stores that see the same data. Where the backend allows it they use separate
   * connections, so the concurrency tests race real clients against each other.
   */
  stores: () => readonly Store[];
  /** fast-check runs for the model-based property (default 50). */
  propertyRuns?: number;
}

/** A TTL that will not expire during a test. */
const LONG = 60_000;
/** A TTL that will have expired after `waitPast()`. */
const SHORT = 50;
/**
 * A TTL for tests that must still see the entry on the next operation or two: long enough that
 * a loaded machine cannot let it lapse in between.
 */
const MEDIUM = 1_000;

/** Sleeps well past `ttlMs`. Expiry is asserted after it; nothing asserts how long anything took. */
function waitPast(ttlMs: number = SHORT): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ttlMs + 200));
}

/** Keys that broke stores elsewhere: prototype names, empty, whitespace, control bytes, unicode. */
export const ODD_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '',
  ' ',
  'two words',
  ' leading and trailing ',
  'tab\there',
  'line\r\nbreak',
  'nul\u0000byte',
  'del\u007f',
  'ключ',
  '键值',
  'emoji 🔑',
  'caf\u00e9', // precomposed é
  'cafe\u0301', // e + combining acute: a different key
  'Token', // ClientTokens are case-sensitive
  'token',
  'a:b:c',
  '*',
  '?[]',
  '"quoted"',
  '\\backslash',
  'x'.repeat(10_000),
];

export function storeContract(options: StoreContractOptions): void {
  const { propertyRuns = 50 } = options;
  const stores = (): readonly Store[] => {
    const list = options.stores();
    assert.ok(list.length > 0, 'the contract needs at least one store');
    return list;
  };
  const store = (): Store => stores()[0]!;
  const peer = (i: number): Store => {
    const list = stores();
    return list[i % list.length]!;
  };
  /** A fresh key namespace per test so tests never see each other's data. */
  const key = (name: string): string => `contract:${randomUUID()}:${name}`;

  describe('get / set / delete', () => {
    it('get of a key never written resolves undefined', async () => {
      assert.equal(await store().get(key('missing')), undefined);
    });

    it('set then get returns the value; set again replaces it', async () => {
      const k = key('a');
      await store().set(k, 'first', LONG);
      assert.equal(await store().get(k), 'first');
      await store().set(k, 'second', LONG);
      assert.equal(await peer(1).get(k), 'second');
    });

    it('stores the empty string as a value, distinct from no entry', async () => {
      const k = key('empty');
      await store().set(k, '', LONG);
      assert.equal(await store().get(k), '');
      assert.equal(await store().setIfAbsent(k, 'x', LONG), false);
    });

    it('delete removes the entry; deleting a missing key resolves', async () => {
      const k = key('d');
      await store().set(k, 'v', LONG);
      await peer(1).delete(k);
      assert.equal(await store().get(k), undefined);
      await store().delete(k);
      await store().delete(key('never'));
      assert.equal(await store().setIfAbsent(k, 'again', LONG), true);
    });
  });

  describe('setIfAbsent', () => {
    it('creates a missing key and resolves true; a second call resolves false and changes nothing', async () => {
      const k = key('nx');
      assert.equal(await store().setIfAbsent(k, 'one', LONG), true);
      assert.equal(await peer(1).setIfAbsent(k, 'two', LONG), false);
      assert.equal(await store().get(k), 'one');
    });

    it('of 100 concurrent callers exactly one wins, and the stored value is the winner’s', async () => {
      const k = key('race');
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => peer(i).setIfAbsent(k, `caller-${i}`, LONG)),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      assert.equal(winners.length, 1, `winners: ${winners.join(',')}`);
      assert.equal(await store().get(k), `caller-${winners[0]}`);
    });

    it('100 concurrent callers on 100 different keys all win', async () => {
      const prefix = key('many');
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => peer(i).setIfAbsent(`${prefix}:${i}`, 'v', LONG)),
      );
      assert.deepEqual(results, Array.from({ length: 100 }, () => true));
    });

    it('a losing call does not extend the TTL of the existing entry', async () => {
      const k = key('nx-ttl');
      assert.equal(await store().setIfAbsent(k, 'v', MEDIUM), true);
      assert.equal(await store().setIfAbsent(k, 'w', LONG), false);
      await waitPast(MEDIUM);
      assert.equal(await store().get(k), undefined);
    });
  });

  describe('TTL', () => {
    it('an entry is gone after its TTL, while a longer-lived one remains', async () => {
      const short = key('short');
      const long = key('long');
      await store().set(short, 's', SHORT);
      await store().set(long, 'l', LONG);
      await waitPast();
      assert.equal(await store().get(short), undefined);
      assert.equal(await store().get(long), 'l');
    });

    it('setIfAbsent succeeds again once the previous entry expired (nonce window over)', async () => {
      const k = key('renew');
      assert.equal(await store().setIfAbsent(k, 'old', SHORT), true);
      await waitPast();
      assert.equal(await peer(1).setIfAbsent(k, 'new', LONG), true);
      assert.equal(await store().get(k), 'new');
    });

    it('set gives a fresh TTL, replacing a short one', async () => {
      const k = key('refresh');
      await store().set(k, 'v', SHORT);
      await store().set(k, 'v', LONG);
      await waitPast();
      assert.equal(await store().get(k), 'v');
    });

    it('set can shorten a TTL', async () => {
      const k = key('shorten');
      await store().set(k, 'v', LONG);
      await store().set(k, 'v', SHORT);
      await waitPast();
      assert.equal(await store().get(k), undefined);
    });
  });

  describe('compareAndSet', () => {
    it('replaces the value when it matches, and resolves true', async () => {
      const k = key('cas');
      await store().set(k, 'pending:me', LONG);
      assert.equal(await peer(1).compareAndSet(k, 'pending:me', 'done:result', LONG), true);
      assert.equal(await store().get(k), 'done:result');
    });

    it('leaves a different value alone and resolves false', async () => {
      const k = key('cas-miss');
      await store().set(k, 'pending:other', LONG);
      assert.equal(await store().compareAndSet(k, 'pending:me', 'done:mine', LONG), false);
      assert.equal(await store().get(k), 'pending:other');
    });

    it('does not create a missing key, nor resurrect an expired one', async () => {
      const missing = key('cas-none');
      assert.equal(await store().compareAndSet(missing, 'x', 'y', LONG), false);
      assert.equal(await store().get(missing), undefined);
      const expired = key('cas-expired');
      await store().set(expired, 'x', SHORT);
      await waitPast();
      assert.equal(await store().compareAndSet(expired, 'x', 'y', LONG), false);
      assert.equal(await store().get(expired), undefined);
    });

    it('applies the new TTL', async () => {
      const k = key('cas-ttl');
      await store().set(k, 'a', LONG);
      assert.equal(await store().compareAndSet(k, 'a', 'b', SHORT), true);
      await waitPast();
      assert.equal(await store().get(k), undefined);
      const kept = key('cas-ttl-long');
      await store().set(kept, 'a', MEDIUM);
      assert.equal(await store().compareAndSet(kept, 'a', 'b', LONG), true);
      await waitPast(MEDIUM);
      assert.equal(await store().get(kept), 'b');
    });

    it('compares exactly (no trimming, case folding or normalisation)', async () => {
      const k = key('cas-exact');
      await store().set(k, 'Value', LONG);
      for (const near of ['value', 'Value ', ' Value', 'VALUE', '']) {
        assert.equal(await store().compareAndSet(k, near, 'changed', LONG), false, JSON.stringify(near));
      }
      assert.equal(await store().get(k), 'Value');
      await store().set(k, 'caf\u00e9', LONG);
      assert.equal(await store().compareAndSet(k, 'cafe\u0301', 'changed', LONG), false);
      assert.equal(await store().get(k), 'caf\u00e9');
    });

    it('of 50 concurrent callers expecting the same value exactly one wins', async () => {
      const k = key('cas-race');
      await store().set(k, 'start', LONG);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => peer(i).compareAndSet(k, 'start', `by-${i}`, LONG)),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      assert.equal(winners.length, 1);
      assert.equal(await store().get(k), `by-${winners[0]}`);
    });
  });

  describe('compareAndDelete', () => {
    it('deletes when the value matches, and resolves true', async () => {
      const k = key('cad');
      await store().set(k, 'mine', LONG);
      assert.equal(await peer(1).compareAndDelete(k, 'mine'), true);
      assert.equal(await store().get(k), undefined);
    });

    it('keeps a different value and resolves false', async () => {
      const k = key('cad-miss');
      await store().set(k, 'theirs', LONG);
      assert.equal(await store().compareAndDelete(k, 'mine'), false);
      assert.equal(await store().get(k), 'theirs');
    });

    it('resolves false for a missing key', async () => {
      assert.equal(await store().compareAndDelete(key('cad-none'), 'x'), false);
    });

    it('a late release never deletes the reservation that replaced an expired one', async () => {
      const k = key('cad-late');
      assert.equal(await store().setIfAbsent(k, 'reservation-A', SHORT), true);
      await waitPast();
      assert.equal(await peer(1).setIfAbsent(k, 'reservation-B', LONG), true);
      assert.equal(await store().compareAndDelete(k, 'reservation-A'), false);
      assert.equal(await store().get(k), 'reservation-B');
    });

    it('of 50 concurrent releases of the same value exactly one resolves true', async () => {
      const k = key('cad-race');
      await store().set(k, 'once', LONG);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => peer(i).compareAndDelete(k, 'once')));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store().get(k), undefined);
    });
  });

  describe('odd keys and values', () => {
    it('round-trips every odd key independently, without prototype pollution', async () => {
      const base = key('odd');
      // Write them all first, then read them all: a collision between two keys would show.
      await Promise.all(ODD_KEYS.map((k, i) => peer(i).set(base + k, `value-${i}`, LONG)));
      const read = await Promise.all(ODD_KEYS.map((k) => store().get(base + k)));
      assert.deepEqual(
        read,
        ODD_KEYS.map((_, i) => `value-${i}`),
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.getPrototypeOf({}), Object.prototype);
    });

    it('odd keys work unprefixed too (the whole key is odd)', async () => {
      // Not namespaced: clean up so repeated runs start empty.
      for (const k of ['__proto__', 'constructor', '', ' ']) {
        await store().delete(k);
        assert.equal(await store().get(k), undefined, JSON.stringify(k));
        assert.equal(await store().setIfAbsent(k, 'v', LONG), true, JSON.stringify(k));
        assert.equal(await store().setIfAbsent(k, 'w', LONG), false, JSON.stringify(k));
        assert.equal(await store().compareAndDelete(k, 'v'), true, JSON.stringify(k));
      }
    });

    it('odd values round-trip exactly and compare exactly', async () => {
      const values = ['', ' ', 'line\r\nbreak', 'nul\u0000', 'ключ', '🔑', 'x'.repeat(100_000), '{"Code":"OK"}'];
      for (const [i, value] of values.entries()) {
        const k = key(`value-${i}`);
        assert.equal(await store().setIfAbsent(k, value, LONG), true);
        assert.equal(await store().get(k), value);
        assert.equal(await store().compareAndSet(k, value, `${value}!`, LONG), true);
        assert.equal(await store().compareAndDelete(k, `${value}!`), true);
      }
    });
  });

  describe('argument checks (reject, never throw synchronously)', () => {
    const badTtls: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1000', undefined, 2 ** 53];

    it('rejects a TTL that is not a positive safe integer with a RangeError', async () => {
      for (const ttl of badTtls) {
        const s = store() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        const calls = [
          () => s.setIfAbsent!(key('ttl'), 'v', ttl),
          () => s.set!(key('ttl'), 'v', ttl),
          () => s.compareAndSet!(key('ttl'), 'v', 'w', ttl),
        ];
        for (const call of calls) {
          let pending: Promise<unknown> | undefined;
          assert.doesNotThrow(() => {
            pending = call();
          });
          await assert.rejects(pending!, RangeError, String(ttl));
        }
      }
    });

    it('rejects non-string keys and values with a TypeError', async () => {
      const s = store() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      for (const bad of [42, null, undefined, {}, Symbol('k'), ['a']]) {
        await assert.rejects(s.get!(bad), TypeError);
        await assert.rejects(s.delete!(bad), TypeError);
        await assert.rejects(s.set!(key('v'), bad, LONG), TypeError);
        await assert.rejects(s.setIfAbsent!(bad, 'v', LONG), TypeError);
        await assert.rejects(s.compareAndDelete!(key('v'), bad), TypeError);
        await assert.rejects(s.compareAndSet!(key('v'), 'v', bad, LONG), TypeError);
      }
    });

    it('rejects keys and values with lone surrogates (they would collide once encoded as UTF-8)', async () => {
      for (const bad of ['\uD800', 'a\uDC00', '\uDBFF\uDBFF', 'x\uD83D']) {
        await assert.rejects(store().get(bad), TypeError);
        await assert.rejects(store().setIfAbsent(bad, 'v', LONG), TypeError);
        await assert.rejects(store().set(key('s'), bad, LONG), TypeError);
        await assert.rejects(store().compareAndSet(key('s'), bad, 'v', LONG), TypeError);
      }
      // A proper surrogate pair is fine.
      const k = key('pair\uD83D\uDD11');
      assert.equal(await store().setIfAbsent(k, '\uD83D\uDD11', LONG), true);
      assert.equal(await store().get(k), '🔑');
    });
  });

  describe('model-based property', () => {
    type Op =
      | { kind: 'get'; key: number; via: number }
      | { kind: 'set'; key: number; value: string; via: number }
      | { kind: 'setIfAbsent'; key: number; value: string; via: number }
      | { kind: 'delete'; key: number; via: number }
      | { kind: 'compareAndSet'; key: number; expected: string; value: string; via: number }
      | { kind: 'compareAndDelete'; key: number; expected: string; via: number };

    const value = fc.constantFrom('a', 'b', '', 'ü', '__proto__');
    const k = fc.integer({ min: 0, max: 4 });
    const via = fc.nat(7);
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), key: k, via }),
      fc.record({ kind: fc.constant('set' as const), key: k, value, via }),
      fc.record({ kind: fc.constant('setIfAbsent' as const), key: k, value, via }),
      fc.record({ kind: fc.constant('delete' as const), key: k, via }),
      fc.record({ kind: fc.constant('compareAndSet' as const), key: k, expected: value, value, via }),
      fc.record({ kind: fc.constant('compareAndDelete' as const), key: k, expected: value, via }),
    );

    it('any sequence of operations behaves like a plain Map (no expiry involved)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
          const base = key('model');
          const names = ['__proto__', '', 'k', 'K', 'ключ'];
          const model = new Map<string, string>();
          for (const o of ops) {
            const name = base + names[o.key]!;
            const s = peer(o.via);
            const current = model.get(name);
            switch (o.kind) {
              case 'get':
                assert.equal(await s.get(name), current);
                break;
              case 'set':
                await s.set(name, o.value, LONG);
                model.set(name, o.value);
                break;
              case 'setIfAbsent':
                assert.equal(await s.setIfAbsent(name, o.value, LONG), current === undefined);
                if (current === undefined) model.set(name, o.value);
                break;
              case 'delete':
                await s.delete(name);
                model.delete(name);
                break;
              case 'compareAndSet':
                assert.equal(await s.compareAndSet(name, o.expected, o.value, LONG), current === o.expected);
                if (current === o.expected) model.set(name, o.value);
                break;
              case 'compareAndDelete':
                assert.equal(await s.compareAndDelete(name, o.expected), current === o.expected);
                if (current === o.expected) model.delete(name);
                break;
            }
          }
          for (const [i, n] of names.entries()) {
            assert.equal(await store().get(base + n), model.get(base + n), `final ${i}`);
          }
        }),
        { numRuns: propertyRuns },
      );
    });
  });
}
