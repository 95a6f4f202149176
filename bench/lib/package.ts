/**
 * The package as users run it: the built bundles in `dist/` (`npm run build`), not the TypeScript
 * sources. Every contestant server and every signed request of the HTTP benchmark comes from here,
 * so `npm run bench` measures what `require('aliyun-openapi-middleware')` loads; the types come from
 * the sources the bundles are built from. Loading refuses a missing or stale `dist/`.
 */
import { join } from 'node:path';
import type * as MainEntry from '../../lib/index.js';
import type * as ExpressEntry from '../../lib/express/index.js';
import { assertBuiltPackage, BUNDLES, ROOT_DIR } from './build-check.js';

function load<T>(bundle: string): T {
  assertBuiltPackage();
  return require(join(ROOT_DIR, bundle)) as T;
}

/** `require('aliyun-openapi-middleware')`: the main entry (Koa adapters, RPC API, auth, stores, throttling). */
export const pkg: typeof MainEntry = load<typeof MainEntry>(BUNDLES[0]);

/** `require('aliyun-openapi-middleware/express')`: the Express entry. */
export const expressPkg: typeof ExpressEntry = load<typeof ExpressEntry>(BUNDLES[1]);
