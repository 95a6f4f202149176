/**
 * Watching a Node HTTP response for the end of the exchange (adapters pass this to the pipeline as
 * `RpcRequest.onSettled`).
 */
import type { ServerResponse } from 'node:http';

/**
 * A function that registers listeners called once when `res` has been sent (`'finish'`: the final
 * status) or its connection closed first (`'close'` without `'finish'`: `undefined`).
 *
 * @param res the response to watch
 * @example
 * const request: RpcRequest = { ..., onSettled: onResponseSettled(ctx.res) };
 * request.onSettled?.((status) => { if (status !== undefined && status >= 500) void claim.release(); });
 */
export function onResponseSettled(res: ServerResponse): (listener: (status: number | undefined) => void) => void {
  return (listener) => {
    let done = false;
    const settle = (): void => {
      if (done) return;
      done = true;
      res.off('finish', settle);
      res.off('close', settle);
      listener(res.writableFinished ? res.statusCode : undefined);
    };
    res.once('finish', settle);
    res.once('close', settle);
  };
}
