/**
 * Checking a load-test response the way a client would: the body is a well-formed envelope in the
 * format its content type names (JSON.parse, or a conformant XML parser), and its RequestId is the
 * `x-acs-request-id` header's.
 */
import { parseXmlStrict } from '../../test/support/xml.js';

const JSON_TYPE = 'application/json;charset=utf-8';
const XML_TYPE = 'text/xml;charset=utf-8';

/**
 * Why the response is not a well-formed envelope, or undefined when it is one.
 *
 * @example
 * const problem = envelopeProblem(status, body, headers);
 */
export function envelopeProblem(status: number, body: string, rawHeaders: Readonly<Record<string, unknown>>): string | undefined {
  const headers: Record<string, string> = Object.create(null);
  for (const name of Object.keys(rawHeaders)) headers[name.toLowerCase()] = String(rawHeaders[name]);
  const requestId = headers['x-acs-request-id'];
  if (requestId === undefined || requestId.length === 0) return 'no x-acs-request-id';
  try {
    if (headers['content-type'] === JSON_TYPE) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      if (parsed === null || typeof parsed !== 'object') return 'JSON body is not an object';
      if (parsed.RequestId !== requestId) return 'RequestId differs from the header';
      if (status >= 400 && (typeof parsed.Code !== 'string' || typeof parsed.Message !== 'string')) return 'error without Code/Message';
      return undefined;
    }
    if (headers['content-type'] === XML_TYPE) {
      const root = parseXmlStrict(body);
      const id = root.children.find((child) => child.name === 'RequestId')?.text;
      if (id !== requestId) return 'RequestId differs from the header';
      if (status >= 400 && (root.name !== 'Error' || !root.children.some((child) => child.name === 'Code'))) return 'error without <Error><Code>';
      if (status < 400 && !root.name.endsWith('Response')) return `success root <${root.name}>`;
      return undefined;
    }
    return `content type ${JSON.stringify(headers['content-type'])}`;
  } catch (err) {
    return `unparsable body: ${(err as Error).message}`;
  }
}
