/**
 * ROA route patterns: literal segments (letters, digits, `-._~`) and `:Name` path parameters (`/clusters/:ClusterId/nodes`),
 * matched segment by segment, case-sensitively, as the gateway keys APIs by method and path.
 */

/** A compiled pattern. */
export interface RoutePattern {
  /** The pattern as declared. */
  readonly source: string;
  /** Per segment: a literal, or the name of a path parameter. */
  readonly segments: ReadonlyArray<{ readonly literal: string } | { readonly param: string }>;
  /** The path parameter names, in order. */
  readonly params: readonly string[];
}

const LITERAL = /^[A-Za-z0-9._~-]+$/;
const PARAM = /^:([A-Za-z][A-Za-z0-9_]{0,63})$/;

/**
 * Compile `/a/:Id/b`. Throws a TypeError for anything else (empty segments, `*`, regex groups,
 * a parameter named twice).
 *
 * @example
 * compileRoutePattern('/clusters/:ClusterId').params; // ['ClusterId']
 */
export function compileRoutePattern(source: string): RoutePattern {
  if (typeof source !== 'string' || !source.startsWith('/')) throw new TypeError(`ROA route path ${JSON.stringify(source)} must start with '/'`);
  const segments: Array<{ literal: string } | { param: string }> = [];
  const params: string[] = [];
  if (source !== '/') {
    for (const segment of source.slice(1).split('/')) {
      const param = PARAM.exec(segment);
      if (param !== null) {
        const name = param[1] as string;
        if (params.includes(name)) throw new TypeError(`ROA route path ${source} names :${name} twice`);
        params.push(name);
        segments.push({ param: name });
      } else if (LITERAL.test(segment)) {
        segments.push({ literal: segment });
      } else {
        throw new TypeError(`ROA route path ${JSON.stringify(source)}: segment ${JSON.stringify(segment)} is neither a literal nor :Name`);
      }
    }
  }
  return { source, segments, params };
}

/** The outcome of matching a path. */
export type RouteMatch = { readonly ok: true; readonly params: Record<string, string> } | { readonly ok: false; readonly malformed: boolean };

/**
 * Match a raw request path (percent-encoded as received) against a pattern. Literal segments
 * compare byte for byte; parameter segments must be non-empty and are percent-decoded
 * (`malformed: true` when that fails: invalid escapes or UTF-8).
 *
 * @example
 * matchRoutePattern(compileRoutePattern('/clusters/:ClusterId'), '/clusters/c%2D1'); // { ok: true, params: { ClusterId: 'c-1' } }
 */
export function matchRoutePattern(pattern: RoutePattern, path: string): RouteMatch {
  const parts = path === '/' ? [] : path.slice(1).split('/');
  if (parts.length !== pattern.segments.length) return { ok: false, malformed: false };
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  let malformed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = pattern.segments[i] as { literal?: string; param?: string };
    if (segment.literal !== undefined) {
      if (part !== segment.literal) return { ok: false, malformed: false };
      continue;
    }
    if (part === '') return { ok: false, malformed: false };
    try {
      params[segment.param as string] = decodeURIComponent(part);
    } catch {
      malformed = true;
    }
  }
  return malformed ? { ok: false, malformed: true } : { ok: true, params };
}
