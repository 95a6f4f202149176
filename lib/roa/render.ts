/**
 * ROA success bodies: the handler's data itself as JSON (or XML when `Accept` prefers it), without
 * the RPC `RequestId` wrapper unless the route asks for one (docs/roa.md §Responses).
 */
import type { Format } from '../core/format.js';
import { CONTENT_TYPES, successRoot, type RenderedEnvelope } from '../core/render/envelope.js';
import { writeObject } from '../core/render/json-writer.js';
import { writeXmlDocument } from '../core/render/xml-writer.js';

/** Key under which array data is wrapped for the writers (which take objects), and its XML element. */
const ITEM = 'Item';

/**
 * Render ROA success data: an object or an array (some ROA APIs answer a bare JSON array). The same
 * writers as the RPC envelopes, so the same value mapping, key checks and nesting bound apply.
 * `requestIdKey` puts the RequestId into the data under that key (first), as products such as
 * Container Service do (`request_id`). XML: `<ActionResponse>` holding the members, or one
 * `<Item>` per array element. Throws ResponseDataError for data that cannot be rendered.
 *
 * @example
 * renderRoaSuccess('JSON', 'DescribeClusterDetail', { cluster_id: 'c1' }, 200, { requestId: 'R', requestIdKey: undefined });
 * // body '{"cluster_id":"c1"}'
 */
export function renderRoaSuccess(
  format: Format,
  action: string,
  data: object,
  status: number,
  options: { readonly requestId: string; readonly requestIdKey: string | undefined },
): RenderedEnvelope {
  const isArray = Array.isArray(data);
  const { requestId, requestIdKey } = options;
  let text: string;
  if (format === 'JSON') {
    if (isArray) {
      // `{"Item":[…]}` less its first 8 and last 1 characters is the array's own JSON.
      text = writeObject({ [ITEM]: data }, 0, undefined).slice(ITEM.length + 4, -1);
    } else {
      const leading = requestIdKey === undefined ? undefined : `${JSON.stringify(requestIdKey)}:${JSON.stringify(requestId)}`;
      text = writeObject(withoutKey(data, requestIdKey), 0, leading);
    }
  } else {
    const first: Array<readonly [string, string]> = requestIdKey === undefined || isArray ? [] : [[requestIdKey, requestId]];
    text = writeXmlDocument(successRoot(action), first, isArray ? { [ITEM]: data } : withoutKey(data, requestIdKey));
  }
  return { status, contentType: CONTENT_TYPES[format], body: text };
}

function withoutKey(data: object, key: string | undefined): object {
  if (key === undefined || !Object.prototype.hasOwnProperty.call(data, key)) return data;
  const copy: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  delete copy[key];
  return copy;
}
