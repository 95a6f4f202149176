/**
 * `answerRefusedRequests(server)`: what Node's parser refuses becomes an XML error envelope (with
 * the CORS headers and RequestId generator given), over raw sockets.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { answerRefusedRequests, REFUSALS } from '../../lib/index.js';
import { parseXmlStrict } from '../support/xml.js';

async function rawAnswer(port: number, bytes: string): Promise<{ head: string; body: string }> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(bytes);
  await closed;
  const text = Buffer.concat(chunks).toString('latin1');
  const at = text.indexOf('\r\n\r\n');
  return { head: text.slice(0, at), body: text.slice(at + 4) };
}

describe('answerRefusedRequests', () => {
  let server: http.Server;
  let port: number;
  let ids = 0;
  before(async () => {
    server = answerRefusedRequests(
      http.createServer((_req, res) => res.end('app')),
      { hostId: 'api.example.com', requestId: () => `REFUSED-${++ids}`, cors: { origin: 'https://console.example.com' } },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases = [
    { name: 'a control character in a header', bytes: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n', refusal: REFUSALS.malformed, status: '400 Bad Request' },
    { name: 'headers over the limit', bytes: `GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`, refusal: REFUSALS.headersTooLarge, status: '431 Request Header Fields Too Large' },
    { name: 'an unknown Expect', bytes: 'GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n', refusal: REFUSALS.expectation, status: '417 Expectation Failed' },
    { name: 'HTTP/1.1 without Host', bytes: 'GET / HTTP/1.1\r\n\r\n', refusal: REFUSALS.missingHost, status: '400 Bad Request' },
  ];
  for (const { name, bytes, refusal, status } of cases) {
    it(`${name}: ${status}, ${refusal.code}, RequestId, CORS, connection closed`, async () => {
      const { head, body } = await rawAnswer(port, bytes);
      assert.ok(head.startsWith(`HTTP/1.1 ${status}\r\n`), head);
      const headers = new Map(head.split('\r\n').slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      assert.equal(headers.get('content-type'), 'text/xml;charset=utf-8');
      assert.equal(headers.get('connection'), 'close');
      assert.equal(headers.get('access-control-allow-origin'), 'https://console.example.com');
      assert.equal(Number(headers.get('content-length')), Buffer.byteLength(body, 'latin1'));
      const root = parseXmlStrict(body);
      const field = (n: string) => root.children.find((c) => c.name === n)?.text;
      assert.equal(root.name, 'Error');
      assert.equal(field('RequestId'), headers.get('x-acs-request-id'));
      assert.match(String(field('RequestId')), /^REFUSED-\d+$/);
      assert.equal(field('HostId'), 'api.example.com');
      assert.equal(field('Code'), refusal.code);
      assert.equal(field('Message'), refusal.message);
    });
  }

  it('a well-formed request still reaches the app', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(await res.text(), 'app');
  });

  it('HTTP/1.0 without Host is fine (Host is an HTTP/1.1 requirement)', async () => {
    const { head, body } = await rawAnswer(port, 'GET / HTTP/1.0\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 200 OK/);
    assert.equal(body, 'app');
  });

  it('refuses a server without its request listener yet (the Host check wraps it)', () => {
    assert.throws(() => answerRefusedRequests(http.createServer()), /attach it after the request listener/);
  });
});
