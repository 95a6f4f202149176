/**
 * The request as the RPC pipeline sees it (`RpcRequest`), built from an Express request with the
 * same fields, computed the same way, as the Koa adapter builds it from `ctx`.
 */
import type { Request, Response } from 'express';
import type { OpenApiState } from '../core/exchange.js';
import { requestTarget } from '../core/request-target.js';
import { onResponseSettled } from '../auth/response-settled.js';
import type { RpcRequest } from '../rpc/pipeline.js';

/**
 * An `RpcRequest` for an Express exchange: the path and query of the whole request target
 * (`req.originalUrl`, as Koa's `ctx.path` / `ctx.querystring`, even under a mount path: Signature V3
 * signs the path the client sent), the headers, the envelope's state, `req.ip` (which follows
 * Express's `trust proxy` setting, as `ctx.ip` follows Koa's `app.proxy`) and a settle hook on `res`.
 *
 * @example
 * const request = expressRpcRequest(req, res, openapiState(res));
 */
export function expressRpcRequest(req: Request, res: Response, state: OpenApiState): RpcRequest {
  return new ExpressRpcRequest(req, res, state);
}

/** A class, not an object literal with a getter: see KoaRpcRequest in lib/koa/rpc-request.ts. */
class ExpressRpcRequest implements RpcRequest {
  readonly method: string;
  readonly path: string;
  readonly querystring: string;
  readonly headers: Request['headers'];
  readonly state: OpenApiState;
  readonly onSettled: RpcRequest['onSettled'];
  private readonly req: Request;

  constructor(req: Request, res: Response, state: OpenApiState) {
    const { path, querystring } = requestTarget(req.originalUrl ?? req.url ?? '');
    this.method = req.method;
    this.path = path;
    this.querystring = querystring;
    this.headers = req.headers;
    this.state = state;
    this.onSettled = onResponseSettled(res);
    this.req = req;
  }

  /** Read only when a step needs it (anonymous throttling): Express's req.ip walks the proxy chain. */
  get clientIp(): string {
    return this.req.ip ?? this.req.socket?.remoteAddress ?? '';
  }
}
