/**
 * Watching a Node HTTP response for the end of the exchange (adapters pass this to the pipeline as
 * `RpcRequest.onSettled`).
 */
import type { ServerResponse } from 'node:http';

/**
 * A function that registers listeners called once when the exchange of `res` is over: with the final
 * status when the response was sent in full, or `undefined` when its connection closed first.
 *
 * One `'close'` listener is enough: Node emits `'close'` on every `ServerResponse` once it is done,
 * after `'finish'` for a response sent in full (`writableFinished` is then true), or alone when the
 * connection went away before.
 *
 * @param res the response to watch
 * @example
 * const request: RpcRequest = { ..., onSettled: onResponseSettled(ctx.res) };
 * request.onSettled?.((status) => { if (status !== undefined && status >= 500) void claim.release(); });
 */
export function onResponseSettled(res: ServerResponse): (listener: (status: number | undefined) => void) => void {
  return (listener) => {
    res.once('close', () => listener(res.writableFinished ? res.statusCode : undefined));
  };
}
