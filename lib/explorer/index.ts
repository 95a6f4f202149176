/** The API explorer: a page with the reference and signed "try it" forms (docs/explorer.md). */
export { explorerResponder, type ExplorerAnswer, type ExplorerResponder } from './serve.js';
export type { ExplorerOptions } from './options.js';
