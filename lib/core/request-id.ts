/**
 * RequestIds: an upper-case UUID (`8-4-4-4-12`), as the Alibaba Cloud gateway sends.
 */
import { randomUUID } from 'node:crypto';

/**
 * A new RequestId.
 *
 * @example
 * createRequestId(); // '4C467B38-3910-447D-87BC-AC049166F216'
 */
export function createRequestId(): string {
  return randomUUID().toUpperCase();
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._=-]{0,127}$/;

/**
 * Wrap a custom generator so that whatever it returns is safe in a header and in XML: a value
 * that is not 1-128 characters of `[A-Za-z0-9._=-]` (or a throw) falls back to a UUID.
 *
 * @example
 * const next = safeRequestIdGenerator(() => myIdService.next());
 */
export function safeRequestIdGenerator(generate: () => string): () => string {
  return function nextRequestId(): string {
    try {
      const id = generate();
      return typeof id === 'string' && SAFE_ID.test(id) ? id : createRequestId();
    } catch {
      return createRequestId();
    }
  };
}
