/**
 * Kept for code that imported the example's own Express adapter before the package had one:
 * `expressRpc(api)` now comes from `aliyun-openapi-middleware/express` (service.ts uses it there).
 * Import it from the package; this file goes away once nothing imports it.
 */
export { expressRpc, type ExpressRpcContext as ExpressContext } from '../../lib/express/index.js';
