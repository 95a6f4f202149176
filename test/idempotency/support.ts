/**
 * Shared by the ClientToken tests: a Store wrapper whose operations can be made to fail (as an
 * unreachable Redis would) or be observed, and a call builder.
 */
import { MemoryStore, StoreUnavailableError, type Caller, type IdempotentCall, type Store } from '../../lib/index.js';

export type StoreOperation = keyof Store;

/** A MemoryStore whose operations can be replaced one by one, and that counts calls. */
export class ScriptedStore implements Store {
  readonly inner: MemoryStore;
  readonly calls: Record<StoreOperation, number> = { setIfAbsent: 0, get: 0, set: 0, delete: 0, compareAndSet: 0, compareAndDelete: 0 };
  /** Replacements: return a value, or throw. */
  readonly override: Partial<{ [K in StoreOperation]: (...args: Parameters<Store[K]>) => ReturnType<Store[K]> }> = {};

  constructor(inner = new MemoryStore({ sweepIntervalMs: 0 })) {
    this.inner = inner;
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.calls.setIfAbsent++;
    return this.override.setIfAbsent?.(key, value, ttlMs) ?? this.inner.setIfAbsent(key, value, ttlMs);
  }
  get(key: string): Promise<string | undefined> {
    this.calls.get++;
    return this.override.get?.(key) ?? this.inner.get(key);
  }
  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.calls.set++;
    return this.override.set?.(key, value, ttlMs) ?? this.inner.set(key, value, ttlMs);
  }
  delete(key: string): Promise<void> {
    this.calls.delete++;
    return this.override.delete?.(key) ?? this.inner.delete(key);
  }
  compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean> {
    this.calls.compareAndSet++;
    return this.override.compareAndSet?.(key, expected, value, ttlMs) ?? this.inner.compareAndSet(key, expected, value, ttlMs);
  }
  compareAndDelete(key: string, expected: string): Promise<boolean> {
    this.calls.compareAndDelete++;
    return this.override.compareAndDelete?.(key, expected) ?? this.inner.compareAndDelete(key, expected);
  }
}

/** A rejection like RedisStore's when Redis cannot answer. */
export function unavailable(operation: string): Promise<never> {
  return Promise.reject(new StoreUnavailableError({ operation, reason: 'not-connected' }));
}

export function caller(accessKeyId: string): Caller {
  return { accessKeyId, signatureVersion: 'V1' };
}

/** An idempotent call; `fingerprint` stands for the business parameters. */
export function idempotentCall(clientToken: string, fingerprint = '[["Name","a"]]', who: Caller | undefined = caller('ak1'), action = 'CreateThing'): IdempotentCall {
  return { caller: who, action, clientToken, fingerprint };
}
