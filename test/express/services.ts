/**
 * One set of framework-free route definitions, mounted on Koa (the reference) and on Express 5
 * and 4 through the adapters, so that the same request can be sent to all three.
 */
import Koa from 'koa';
import type { Express } from 'express';
import { envelope as koaEnvelope, type EnvelopeOptions, type ParamRecord } from '../../lib/index.js';
import { envelope, handle, errorHandler, openapiState, type ReportedError } from '../../lib/express/index.js';

/** What a route's code sees. */
export interface RouteInput {
  readonly params: ParamRecord;
  readonly requestId: string;
}

/** A route: optional Action (XML root) and status, and the code that returns data or throws. */
export interface Route {
  readonly action?: string;
  readonly status?: number;
  /** Headers the handler sets before running (kept on success; only CORS ones survive an error). */
  readonly headers?: Readonly<Record<string, string>>;
  run(input: RouteInput): object | Promise<object>;
}

export type Routes = Readonly<Record<string, Route>>;

/** A running service and what it reported as server bugs. */
export interface Service<App> {
  readonly app: App;
  readonly reported: ReportedError[];
}

/** The Koa reference: `envelope()` plus a path lookup. */
export function koaService(routes: Routes, options: EnvelopeOptions): Service<Koa> {
  const app = new Koa();
  const reported: ReportedError[] = [];
  app.on('error', (err: ReportedError) => reported.push(err));
  app.use(koaEnvelope(options));
  app.use(async (ctx) => {
    const route = Object.hasOwn(routes, ctx.path) ? routes[ctx.path] : undefined;
    if (route === undefined) return;
    if (route.action !== undefined) ctx.state.action = route.action;
    if (route.status !== undefined) ctx.status = route.status;
    if (route.headers !== undefined) ctx.set({ ...route.headers });
    ctx.body = await route.run({ params: ctx.state.openapi!.params.all, requestId: ctx.state.requestId! });
  });
  return { app, reported };
}

/** The Express service: `envelope()`, one `handle()` route per definition, `errorHandler()`. */
export function expressService(createApp: () => Express, routes: Routes, options: EnvelopeOptions): Service<Express> {
  const app = createApp();
  app.disable('x-powered-by'); // Express's own banner: not part of the protocol, absent on Koa
  const reported: ReportedError[] = [];
  app.use(envelope({ ...options, onError: (err) => reported.push(err) }));
  for (const path of Object.keys(routes)) {
    const route = routes[path] as Route;
    app.all(
      path,
      handle(async (_req, res) => {
        if (route.action !== undefined) res.locals.action = route.action;
        if (route.status !== undefined) res.status(route.status);
        if (route.headers !== undefined) res.set({ ...route.headers });
        const state = openapiState(res);
        return route.run({ params: state.params.all, requestId: state.requestId });
      }),
    );
  }
  app.use(errorHandler());
  return { app, reported };
}
