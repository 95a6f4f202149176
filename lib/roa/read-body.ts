/**
 * Reading a ROA request's body bytes (any content type but the form bodies `envelope()` reads
 * itself) into `state.rawBody`, so that Content-MD5, the V3 payload hash and the JSON parser all see
 * the bytes exactly as received.
 */
import type { IncomingMessage } from 'node:http';
import type { OpenApiState } from '../core/exchange.js';
import { hasBody, readBody, type BodyLimits } from '../core/params/read-body.js';

/** Thrown (rendered as InternalError, reported) when another middleware consumed the body before the ROA API. */
export class RoaBodyUnavailableError extends Error {
  override readonly name = 'RoaBodyUnavailableError';
  constructor() {
    super('The ROA API needs the raw request body, but another middleware read it first: mount the ROA API before any JSON body parser.');
  }
}

/**
 * Read the body into `state.rawBody` when the envelope has not (non-form bodies), within `limits`.
 * Rejects with InvalidParameter for oversized, slow or aborted bodies.
 *
 * @example
 * await readRoaBody(ctx.req, state, { bodyLimit: 1 << 20, bodyTimeoutMs: 30_000 });
 */
export async function readRoaBody(req: IncomingMessage, state: OpenApiState, limits: BodyLimits): Promise<void> {
  if (state.rawBody !== undefined || !hasBody(req)) return;
  if (req.readableEnded) throw new RoaBodyUnavailableError();
  state.rawBody = await readBody(req, limits);
}
