/** Options of the explorer middleware (Koa `explorer()` and Express `explorer()`). */
export interface ExplorerOptions {
  /**
   * Where the page is served, e.g. `'/explorer'` (GET and HEAD on exactly this path). Required:
   * the explorer is off until a service mounts it somewhere.
   */
  readonly path: string;
  /**
   * Where the page sends its requests. Default: the API's own path on the page's origin. A full
   * URL (`https://api.example.com/`) points it at another origin, which must then answer CORS
   * (`createRpcApi({ cors: true })`) and is added to the page's `connect-src`.
   */
  readonly endpoint?: string;
  /** The page title. Default `'API explorer'`. */
  readonly title?: string;
}
