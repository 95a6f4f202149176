/**
 * What a client observes of an envelope: status, headers and the parsed body, in either format.
 */
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { parseXmlStrict, childText, childNames, type XmlElement } from './xml.js';

export const JSON_TYPE = 'application/json;charset=utf-8';
export const XML_TYPE = 'text/xml;charset=utf-8';
export const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** The error fields of an envelope, read in its own format. */
export interface ErrorView {
  readonly status: number;
  readonly RequestId: string;
  readonly HostId: string;
  readonly Code: string;
  readonly Message: string;
  readonly Recommend?: string;
  readonly order: string[];
}

/** Parse an error envelope (JSON or XML by content type) and check its invariants. */
export function readError(res: Response): ErrorView {
  const type = res.headers['content-type'];
  const header = res.headers['x-acs-request-id'];
  assert.match(String(header), /\S/, 'x-acs-request-id header present');
  let view: ErrorView;
  if (type === JSON_TYPE) {
    const body = JSON.parse(res.text) as Record<string, unknown>;
    for (const key of ['RequestId', 'HostId', 'Code', 'Message']) assert.equal(typeof body[key], 'string', `${key} is a string`);
    view = { status: res.status, ...(body as Omit<ErrorView, 'status' | 'order'>), order: Object.keys(body) };
  } else {
    assert.equal(type, XML_TYPE);
    assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><Error>'), res.text.slice(0, 80));
    const root = parseXmlStrict(res.text);
    assert.equal(root.name, 'Error');
    const rec = root.children.find((c: XmlElement) => c.name === 'Recommend');
    view = {
      status: res.status,
      RequestId: childText(root, 'RequestId'),
      HostId: childText(root, 'HostId'),
      Code: childText(root, 'Code'),
      Message: childText(root, 'Message'),
      ...(rec ? { Recommend: rec.text } : {}),
      order: childNames(root),
    };
  }
  assert.equal(view.RequestId, header, 'body RequestId equals the x-acs-request-id header');
  assert.deepEqual(view.order.slice(0, 4), ['RequestId', 'HostId', 'Code', 'Message']);
  return view;
}
