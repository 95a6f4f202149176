/**
 * Thrown by the renderers when a handler's data cannot be rendered faithfully (a key that is not
 * an XML element name, a cycle or excessive nesting, an invalid Date). It is a server bug: the
 * middleware answers `InternalError` and reports this error through the app's `error` event.
 */
export class ResponseDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseDataError';
  }
}

/** Deepest nesting the renderers follow; deeper data (or a cycle) is a ResponseDataError. */
export const MAX_DEPTH = 64;
