/**
 * Read a request body into a Buffer, within a size limit and a time limit, without buffering
 * anything past the limit.
 */
import type { IncomingMessage } from 'node:http';
import { errors } from '../errors/index.js';

/** Limits for reading a body. */
export interface BodyLimits {
  /** Most bytes accepted. */
  readonly bodyLimit: number;
  /** Most milliseconds a client may take to send the body. */
  readonly bodyTimeoutMs: number;
}

/** Thrown (as an ApiError) when a body is larger than the limit; the connection should be closed. */
export function bodyTooLarge(limit: number) {
  return new errors.InvalidParameter({
    message: `The request body is larger than the limit of ${limit} bytes.`,
    headers: { connection: 'close' },
  });
}

/**
 * True when the request says it has a body.
 *
 * @example
 * if (hasBody(req)) await readBody(req, limits);
 */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/**
 * Thrown (as an ApiError) when the client aborts or breaks the connection before the whole body
 * arrived: the client's doing, not a server bug, so it is never reported as an InternalError.
 * Usually nobody is left to read the answer; the connection is closed either way.
 *
 * @example
 * req.on('aborted', () => reject(bodyIncomplete()));
 */
function bodyIncomplete() {
  return new errors.InvalidParameter({
    message: 'The request body was not received completely.',
    headers: { connection: 'close' },
  });
}

/**
 * Read the whole body. Rejects with an `InvalidParameter` ApiError when the declared or actual
 * size passes the limit, when the client is too slow, and when the connection is aborted or fails
 * before the body is complete.
 *
 * @example
 * const raw = await readBody(ctx.req, { bodyLimit: 1 << 20, bodyTimeoutMs: 30_000 });
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) {
      return Promise.reject(new errors.InvalidParameter({ message: 'The Content-Length header is not valid.' }));
    }
    if (length > limits.bodyLimit) return Promise.reject(bodyTooLarge(limits.bodyLimit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const timer = setTimeout(() => {
      finish(new errors.InvalidParameter({ message: 'The request body was not received in time.', headers: { connection: 'close' } }));
    }, limits.bodyTimeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.bodyLimit) finish(bodyTooLarge(limits.bodyLimit));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    // A stream error on an incoming request is a connection problem (reset, broken framing).
    const onError = () => finish(bodyIncomplete());
    const onAborted = () => finish(bodyIncomplete());
    function finish(err: Error | undefined): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err === undefined) {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      } else {
        // Stop reading: the rest of the body is discarded, never buffered.
        req.pause();
        req.unpipe();
        reject(err);
      }
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
