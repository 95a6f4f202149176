/**
 * Success and error envelopes as bytes, in XML or JSON.
 *
 * Success: JSON `{"RequestId":"…",…data}`; XML declaration + `<ActionResponse><RequestId>…</RequestId>…`.
 * Error: JSON `{"RequestId","HostId","Code","Message"[,"Recommend"][,…data]}`; XML `<Error>` with the
 * same children in the same order. All five named fields are strings.
 */
import type { Format } from '../format.js';
import type { ApiErrorLike } from '../errors/api-error.js';
import { writeXmlDocument } from './xml-writer.js';
import { writeObject } from './json-writer.js';
import { isXmlName } from './xml-name.js';

/** Content types sent, exactly (openapi-client compares the XML one byte for byte: docs/protocol.md §1.5). */
export const CONTENT_TYPES: Readonly<Record<Format, string>> = Object.freeze({
  JSON: 'application/json;charset=utf-8',
  XML: 'text/xml;charset=utf-8',
});

/** A rendered response: status, content type and body. */
export interface RenderedEnvelope {
  readonly status: number;
  readonly contentType: string;
  /**
   * The document, as text: the adapters hand it to Node, which encodes it as UTF-8 while writing it
   * (as bare Koa and Express do with their string bodies), instead of a copy into a Buffer first.
   */
  readonly body: string;
}

/** Fields reserved by the error envelope: error data cannot replace them. */
const ERROR_FIELDS = new Set(['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);

/**
 * The root element name for a success: `<Action>Response`, or `Response` without an Action.
 *
 * @example
 * successRoot('DescribeRegions'); // 'DescribeRegionsResponse'
 */
export function successRoot(action: string | undefined): string {
  const root = `${action ?? ''}Response`;
  return isXmlName(root) ? root : 'Response';
}

/**
 * Render a success envelope. Throws ResponseDataError for data that cannot be rendered.
 *
 * @example
 * renderSuccess('JSON', 'DescribeRegions', requestId, { Regions: { Region: [] } }, 200);
 */
export function renderSuccess(format: Format, action: string | undefined, requestId: string, data: object, status: number): RenderedEnvelope {
  const body = withoutRequestId(data);
  const text =
    format === 'JSON'
      ? writeObject(body, 0, `"RequestId":${JSON.stringify(requestId)}`)
      : writeXmlDocument(successRoot(action), [['RequestId', requestId]], body);
  return { status, contentType: CONTENT_TYPES[format], body: text };
}

/** The envelope's RequestId wins over a `RequestId` in the handler's data. */
function withoutRequestId(data: object): object {
  if (!Object.prototype.hasOwnProperty.call(data, 'RequestId')) return data;
  const { RequestId: _ignored, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** Everything an error envelope says besides the error itself. */
export interface ErrorEnvelopeInput {
  readonly requestId: string;
  readonly hostId: string;
  readonly recommend?: string | undefined;
}

function errorData(error: ApiErrorLike): Record<string, unknown> | undefined {
  const data = error.data;
  if (data === undefined || data === null || typeof data !== 'object') return undefined;
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(data)) {
    if (ERROR_FIELDS.has(key)) continue;
    (extra ??= {})[key] = data[key];
  }
  return extra;
}

/**
 * Render an error envelope. Throws ResponseDataError when the error's data cannot be rendered
 * (the caller then renders InternalError without data).
 *
 * @example
 * renderError('XML', new errors.MissingParameter('Action'), { requestId, hostId });
 */
export function renderError(format: Format, error: ApiErrorLike, input: ErrorEnvelopeInput): RenderedEnvelope {
  const fields: Array<readonly [string, string]> = [
    ['RequestId', input.requestId],
    ['HostId', input.hostId],
    ['Code', String(error.code)],
    ['Message', String(error.message)],
  ];
  if (input.recommend !== undefined) fields.push(['Recommend', input.recommend]);
  const data = errorData(error);
  let text: string;
  if (format === 'JSON') {
    const leading = fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
    text = writeObject(data ?? {}, 0, leading);
  } else {
    text = writeXmlDocument('Error', fields, data);
  }
  return { status: error.status, contentType: CONTENT_TYPES[format], body: text };
}
