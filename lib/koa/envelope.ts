/**
 * `envelope()`: the Koa middleware that makes every response an Alibaba Cloud OpenAPI envelope.
 */
import type { Context, Middleware } from 'koa';
import { resolveEnvelopeOptions, type EnvelopeOptions, type ResolvedEnvelopeOptions } from '../core/options.js';
import { beginExchange, readParameters, renderData, renderThrown, type OpenApiState, type RenderedFailure } from '../core/exchange.js';
import { errors } from '../core/errors/index.js';
import { actionFor } from '../core/action-name.js';
import { isEnvelopeData, keptOnError, successStatus } from '../core/success.js';
import { recordExchange } from '../core/exchange-record.js';

declare module 'koa' {
  interface DefaultState {
    /** This request's RequestId (set by `envelope()`). */
    requestId?: string;
    /** Protocol state (set by `envelope()`). */
    openapi?: OpenApiState;
    /** The Action being served: names the XML root `<Action>Response`. */
    action?: string;
  }
}

/**
 * The OpenAPI envelope for Koa.
 *
 * Sets a RequestId (`ctx.state.requestId`, header `x-acs-request-id`), chooses XML or JSON,
 * reads an urlencoded body (kept as `ctx.request.body`, raw bytes as `ctx.state.openapi.rawBody`),
 * renders plain-object bodies as success envelopes and anything thrown as an error envelope.
 *
 * @example
 * const app = new Koa();
 * app.use(envelope({ defaultFormat: 'XML', hostId: 'ecs.example.com' }));
 * app.use(async (ctx) => {
 *   ctx.state.action = 'DescribeRegions';
 *   ctx.body = { Regions: { Region: [{ RegionId: 'cn-hangzhou' }] } };
 * });
 */
export function envelope(options: EnvelopeOptions = {}): Middleware {
  const resolved = resolveEnvelopeOptions(options);
  return async function openApiEnvelope(ctx, next) {
    const state = beginExchange(resolved, ctx.req.headers);
    ctx.state.requestId = state.requestId;
    ctx.state.openapi = state;
    // Straight to Node: what ctx.set does for a string, without Koa's delegation.
    if (!ctx.res.headersSent) ctx.res.setHeader('x-acs-request-id', state.requestId);
    if (resolved.corsHeaders !== undefined) ctx.set(resolved.corsHeaders);
    if (resolved.onExchange !== undefined) {
      recordExchange(ctx.req, ctx.res, state, resolved.onExchange, () => ({ action: ctx.state.action, caller: ctx.state.caller }), (err) =>
        ctx.app.emit('error', err, ctx),
      );
    }
    try {
      const request = ctx.request as { body?: unknown; rawBody?: Buffer | string };
      const preParsed = request.body === undefined ? undefined : { parsed: request.body, raw: request.rawBody };
      const pending = readParameters(resolved, state, ctx.req, ctx.querystring, preParsed);
      if (pending !== undefined) await pending;
      // Only a form body read here is handed on; other bodies stay for their own parsers.
      if (request.body === undefined && state.rawBody !== undefined) request.body = state.params.body;
      await next();
    } catch (err) {
      respond(ctx, renderThrown(resolved, state, err), state);
      return;
    }
    respondToBody(ctx, resolved, state);
  };
}

function respondToBody(ctx: Context, options: ResolvedEnvelopeOptions, state: OpenApiState): void {
  const body: unknown = ctx.body;
  if (body === undefined || body === null) {
    if (ctx.status === 404) respond(ctx, renderThrown(options, state, new errors.InvalidAction()), state);
    return; // 204 and friends: nothing to wrap
  }
  if (!isEnvelopeData(body)) return; // strings, Buffers, streams, redirects: left alone
  // Only XML names its root after the Action.
  const action = state.format === 'XML' ? actionFor(ctx.state.action, state.params.all, ctx.req.headers, options) : undefined;
  respond(ctx, renderData(options, state, action, body, successStatus(ctx.status)), state);
}

function respond(ctx: Context, rendered: RenderedFailure, state: OpenApiState): void {
  if (rendered.report !== undefined) ctx.app.emit('error', rendered.report, ctx);
  if (ctx.headerSent || !ctx.writable) {
    // Too late for an envelope: close the connection so the client sees a failure, not a truncated success.
    ctx.req.socket.destroy();
    return;
  }
  const { envelope: out, headers } = rendered;
  if (rendered.code !== undefined) state.errorCode = rendered.code; // errors only: successes keep the state's shape
  if (out.status >= 400) {
    // Headers the handler set do not belong to an error; CORS policy headers do.
    for (const name of ctx.res.getHeaderNames()) if (!keptOnError(name)) ctx.res.removeHeader(name);
    ctx.set('x-acs-request-id', state.requestId);
    if (headers !== undefined) ctx.set(headers);
  }
  // A success usually has its status already; an error always sets it (explicitly: Koa's body
  // setter below would otherwise turn an implicit 404 into 200).
  if (out.status >= 400 || ctx.status !== out.status) ctx.status = out.status;
  ctx.res.setHeader('Content-Type', out.contentType); // headers not sent (checked above)
  ctx.body = out.body;
}
