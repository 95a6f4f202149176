/**
 * Issue 3, safety through real HTTP: prototype-pollution names at any depth, list indexes, the
 * parameter count, body size limits (a 20 MB body is refused without being buffered).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import request from 'supertest';
import { FORMATS, TRANSPORTS, VERSION, call, expectError, lastSeen, readSuccess, send, service, type Pairs } from './api-support.js';

function assertUnpolluted(): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype.polluted');
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'Key'), false);
  assert.equal(Object.prototype.hasOwnProperty.call(Array.prototype, 'polluted'), false);
  assert.equal(typeof Object.prototype.toString, 'function');
}

/** Names with `__proto__`, `constructor` or `prototype` as a segment, declared roots and undeclared alike. */
const FORBIDDEN_NAMES: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  '__proto__.polluted',
  'constructor.prototype.polluted',
  'Undeclared.__proto__.polluted',
  'Tag.__proto__.Key',
  'Tag.1.__proto__',
  'Tag.1.constructor',
  'Tag.1.__proto__.polluted',
  'SystemDisk.__proto__',
  'SystemDisk.constructor.prototype',
  'SystemDisk.prototype',
  'InstanceId.__proto__',
  'Matrix.1.__proto__',
  'Matrix.__proto__.1',
  'RegionId.__proto__',
];

describe('rpc/api over HTTP: prototype-pollution names', () => {
  const svc = service();
  const strict = service({ strict: true });

  for (const transport of TRANSPORTS) {
    for (const format of FORMATS) {
      describe(`${transport}, ${format}`, () => {
        for (const name of FORBIDDEN_NAMES) {
          it(`${name} → InvalidParameter "${name}", nothing polluted`, async () => {
            for (const target of [svc, strict]) {
              const before = target.seen.length;
              const pairs: Pairs = [['RegionId', 'cn-hangzhou'], ['Tag.1.Key', 'k'], ['SystemDisk.Category', 'c'], [name, '1']];
              const res = await call(target, transport, format, 'Showcase', pairs);
              expectError(res, 400, 'InvalidParameter', name, format);
              assert.equal(target.seen.length, before, 'the handler did not run');
              assertUnpolluted();
            }
          });
        }
      });
    }
  }

  it('a forbidden name is refused even for an action without parameters', async () => {
    const res = await call(svc, 'GET', 'JSON', 'Nothing', [['__proto__.polluted', 'yes']]);
    expectError(res, 400, 'InvalidParameter', '__proto__.polluted', 'JSON');
    assertUnpolluted();
  });

  it('Action names that are Object.prototype members are unknown actions', async () => {
    for (const action of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const res = await call(svc, 'GET', 'JSON', action, []);
      expectError(res, 403, 'InvalidAction', undefined, 'JSON');
    }
    assertUnpolluted();
  });

  it('names that merely contain the words are ordinary names', async () => {
    const res = await call(svc, 'GET', 'JSON', 'Echo', [['Name', '__proto__'], ['my__proto__', 'x'], ['constructors', 'y']]);
    readSuccess(res, 'JSON', 'Echo');
    assert.deepEqual(lastSeen(svc).params, { Name: '__proto__' });
  });
});

describe('rpc/api over HTTP: list indexes', () => {
  const svc = service();

  for (const index of ['0', '-1', '1e9', '99999999', 'x', '01', '1.5', '', '+1', '1001', '9007199254740993', ' 1']) {
    for (const transport of TRANSPORTS) {
      it(`InstanceId.${index} → InvalidParameter (${transport})`, async () => {
        const name = `InstanceId.${index}`;
        const res = await call(svc, transport, 'JSON', 'Showcase', [['RegionId', 'cn-hangzhou'], [name, 'i-a']]);
        expectError(res, 400, 'InvalidParameter', name, 'JSON');
      });
    }
    // (Tag.1.5.Key would be the unknown field "5" of Tag.1: ignored like any unknown name.)
    if (index.includes('.')) continue;
    it(`Tag.${index}.Key → InvalidParameter`, async () => {
      const name = `Tag.${index}.Key`;
      const res = await call(svc, 'GET', 'XML', 'Showcase', [['RegionId', 'cn-hangzhou'], [name, 'k']]);
      expectError(res, 400, 'InvalidParameter', name, 'XML');
    });
  }

  it('index 1000 (the default cap) is accepted and gives a one-item array, not a sparse one', async () => {
    const res = await call(svc, 'POST form', 'JSON', 'Showcase', [['RegionId', 'cn-hangzhou'], ['Matrix.1000.1000', '7']]);
    readSuccess(res, 'JSON', 'Showcase');
    const matrix = lastSeen(svc).params.Matrix as number[][];
    assert.deepEqual(matrix, [[7]]);
    assert.equal(matrix.length, 1);
  });

  it('the cap is configurable per API (maxListIndex)', async () => {
    const small = service({ maxListIndex: 5 });
    readSuccess(await call(small, 'GET', 'JSON', 'Showcase', [['RegionId', 'cn-hangzhou'], ['InstanceId.5', 'i-a']]), 'JSON', 'Showcase');
    expectError(await call(small, 'GET', 'JSON', 'Showcase', [['RegionId', 'cn-hangzhou'], ['InstanceId.6', 'i-a']]), 400, 'InvalidParameter', 'InstanceId.6');
    expectError(await call(small, 'GET', 'JSON', 'Showcase', [['RegionId', 'cn-hangzhou'], ['Tag.6.Key', 'k']]), 400, 'InvalidParameter', 'Tag.6.Key');
  });

  it('an invalid maxListIndex is refused at start-up', () => {
    for (const maxListIndex of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => service({ maxListIndex }), TypeError);
    }
  });
});

describe('rpc/api over HTTP: parameter count', () => {
  function many(count: number): Pairs {
    return Array.from({ length: count }, (_, i) => [`P${i}`, 'v'] as const);
  }

  for (const transport of TRANSPORTS) {
    it(`more than 1000 parameters (Action, Version, Format included) → InvalidParameter 400 (${transport})`, async () => {
      const svc = service();
      const res = await call(svc, transport, 'JSON', 'Echo', many(998));
      // Format is not trusted from a request that could not be read whole: the answer may be XML.
      const view = expectError(res, 400, 'InvalidParameter');
      assert.equal(view.Message, 'The request has more than 1000 parameters.');
      assert.equal(svc.seen.length, 0);
    });

    it(`exactly 1000 parameters are accepted (${transport})`, async () => {
      const svc = service();
      const res = await call(svc, transport, 'JSON', 'Echo', many(997));
      readSuccess(res, 'JSON', 'Echo');
    });
  }

  it('the limit is configurable (envelope maxParameters)', async () => {
    const svc = service({}, undefined, { maxParameters: 5 });
    readSuccess(await call(svc, 'POST split', 'JSON', 'Echo', many(2)), 'JSON', 'Echo');
    const res = await call(svc, 'POST split', 'JSON', 'Echo', many(3));
    assert.equal(expectError(res, 400, 'InvalidParameter').Message, 'The request has more than 5 parameters.');
  });

  it('100 000 parameters are refused quickly and the service still answers', async () => {
    const svc = service();
    const body = Array.from({ length: 100_000 }, (_, i) => `P${i}=v`).join('&');
    const res = await request(svc.server).post(`/?Action=Echo&Version=${VERSION}&Format=JSON`).type('form').send(body);
    expectError(res, 400, 'InvalidParameter', undefined, 'JSON'); // Format came in the query, read before the body
    readSuccess(await call(svc, 'GET', 'JSON', 'Echo', []), 'JSON', 'Echo');
  });
});

interface BigBodyOutcome {
  /** The response, when the server answered before closing. */
  readonly status?: number;
  readonly text?: string;
  /** The client's error, when the connection was closed first. */
  readonly error?: string;
  /** Bytes the server read from the socket. */
  readonly serverBytesRead: number;
  /** Highest RSS growth seen while sending, in bytes. */
  readonly rssGrowth: number;
}

/** Stream `total` bytes of form body (generated lazily, nothing preallocated) to a fresh server. */
async function sendBigBody(svc: ReturnType<typeof service>, total: number, framing: 'content-length' | 'chunked'): Promise<BigBodyOutcome> {
  const sockets: Socket[] = [];
  const server = http.createServer(svc.server);
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  try {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    chunk.write('Name=');
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    if (framing === 'chunked') headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(total);
    const outcome = await new Promise<{ status?: number; text?: string; error?: string }>((resolve) => {
      let settled = false;
      const settle = (value: { status?: number; text?: string; error?: string }) => {
        if (settled) return;
        settled = true;
        req.destroy();
        resolve(value);
      };
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/?Action=Echo&Version=${VERSION}&Format=JSON`, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => settle({ status: res.statusCode ?? 0, text }));
        res.on('error', (err) => settle({ error: err.message }));
      });
      req.on('error', (err) => settle({ error: err.message }));
      let written = 0;
      const pump = (): void => {
        // Bounded: at most total / 64 KiB writes.
        while (!settled && written < total) {
          const piece = Math.min(chunk.length, total - written);
          written += piece;
          const flushed = req.write(piece === chunk.length ? chunk : chunk.subarray(0, piece));
          if (!flushed) {
            req.once('drain', pump);
            return;
          }
        }
        if (!settled) req.end();
      };
      pump();
    });
    const serverBytesRead = sockets.reduce((sum, socket) => sum + socket.bytesRead, 0);
    return { ...outcome, serverBytesRead, rssGrowth: peak - before };
  } finally {
    clearInterval(sampler);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('rpc/api over HTTP: body size', () => {
  const MiB = 1024 * 1024;

  for (const framing of ['content-length', 'chunked'] as const) {
    it(`a 20 MB form body (${framing}) is refused with an envelope or a closed connection, never buffered`, async () => {
      const svc = service();
      const outcome = await sendBigBody(svc, 20 * MiB, framing);
      if (outcome.status !== undefined) {
        assert.equal(outcome.status, 400, outcome.text);
        const body = JSON.parse(outcome.text ?? '') as { Code: string; Message: string; RequestId: string };
        assert.equal(body.Code, 'InvalidParameter');
        assert.equal(body.Message, 'The request body is larger than the limit of 1048576 bytes.');
      } else {
        assert.match(String(outcome.error), /ECONNRESET|EPIPE|socket hang up/);
      }
      assert.equal(svc.seen.length, 0, 'the handler never ran');
      assert.ok(outcome.serverBytesRead < 10 * MiB, `the server read ${outcome.serverBytesRead} bytes of a 20 MB body`);
      assert.ok(outcome.rssGrowth < 20 * MiB, `RSS grew by ${outcome.rssGrowth} bytes`);
      // The service still answers afterwards.
      readSuccess(await call(svc, 'GET', 'JSON', 'Echo', []), 'JSON', 'Echo');
    });
  }

  it('a body of exactly 1 MiB (the default limit) is read whole', async () => {
    const svc = service();
    const prefix = `Action=Echo&Version=${VERSION}&Format=JSON&Name=`;
    const body = prefix + 'x'.repeat(MiB - prefix.length);
    const res = await request(svc.server).post('/').type('form').send(body);
    readSuccess(res, 'JSON', 'Echo');
    assert.equal((lastSeen(svc).params.Name as string).length, MiB - prefix.length);
  });

  it('one byte more is refused', async () => {
    const svc = service();
    const prefix = `Action=Echo&Version=${VERSION}&Format=JSON&Name=`;
    const res = await request(svc.server).post('/').type('form').send(prefix + 'x'.repeat(MiB - prefix.length + 1));
    // Format=JSON was in the refused body: the error is in the default format.
    expectError(res, 400, 'InvalidParameter', undefined, 'XML');
    assert.equal(res.headers.connection, 'close');
  });

  it('the limit is configurable (envelope bodyLimit)', async () => {
    const svc = service({}, undefined, { bodyLimit: 64 });
    const small = await send(svc.server, 'POST form', [['Action', 'Echo'], ['Version', VERSION], ['Format', 'JSON']], [['Name', 'n']]);
    readSuccess(small, 'JSON', 'Echo');
    const big = await send(svc.server, 'POST form', [['Action', 'Echo'], ['Version', VERSION], ['Format', 'JSON']], [['Name', 'n'.repeat(64)]]);
    assert.equal(expectError(big, 400, 'InvalidParameter', undefined, 'XML').Message, 'The request body is larger than the limit of 64 bytes.');
  });
});
