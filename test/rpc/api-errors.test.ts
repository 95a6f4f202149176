/**
 * Issue 3, protocol errors and protocol parameters through real HTTP: Action/Version resolution,
 * replaceable error factories, HTTP methods, CORS, InvalidOwner, common parameters, strict mode,
 * Signature V3-style requests and non-form bodies.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import request from 'supertest';
import { errors, p } from '../../lib/index.js';
import { listen } from '../support/listen.js';
import { JSON_TYPE, XML_TYPE, readError } from '../support/http.js';
import { childText } from '../support/xml.js';
import {
  FORMATS,
  TRANSPORTS,
  VERSION,
  call,
  commonPairs,
  expectError,
  lastSeen,
  readSuccess,
  send,
  service,
  type Pairs,
} from './api-support.js';

const WAYS = TRANSPORTS.flatMap((transport) => FORMATS.map((format) => ({ transport, format })));

describe('rpc/api over HTTP: Action and Version', () => {
  const svc = service({}, (api) => {
    api.action('Legacy', { version: ['2013-01-10', '2014-05-26'], handler: () => ({ Served: true }) });
  });

  for (const { transport, format } of WAYS) {
    describe(`${transport}, ${format}`, () => {
      it('missing Action → MissingParameter "Action" 400', async () => {
        const res = await send(svc.server, transport, [['Version', VERSION], ['Format', format]], [['Name', 'x']]);
        expectError(res, 400, 'MissingParameter', 'Action', format);
      });

      it('empty Action → MissingParameter "Action" 400', async () => {
        const res = await send(svc.server, transport, [['Action', ''], ['Version', VERSION], ['Format', format]], []);
        expectError(res, 400, 'MissingParameter', 'Action', format);
      });

      it('missing Version → MissingParameter "Version" 400', async () => {
        const res = await send(svc.server, transport, [['Action', 'Echo'], ['Format', format]], []);
        expectError(res, 400, 'MissingParameter', 'Version', format);
      });

      it('unknown Action → InvalidAction 403', async () => {
        const res = await call(svc, transport, format, 'DescribeNothing', []);
        const view = expectError(res, 403, 'InvalidAction', undefined, format);
        assert.equal(view.Message, 'Specified action is not valid.');
      });

      it('Action names are case-sensitive: echo is not Echo → InvalidAction 403', async () => {
        const res = await call(svc, transport, format, 'echo', []);
        expectError(res, 403, 'InvalidAction', undefined, format);
      });

      it('known Action with a Version it does not serve → InvalidParameter "Action or Version" 400', async () => {
        const res = await send(svc.server, transport, commonPairs('Echo', format, '2099-01-01'), []);
        expectError(res, 400, 'InvalidParameter', 'Action or Version', format);
      });

      it('an action serving several versions answers each of them', async () => {
        for (const version of ['2013-01-10', '2014-05-26']) {
          const res = await send(svc.server, transport, commonPairs('Legacy', format, version), []);
          readSuccess(res, format, 'Legacy');
        }
        const res = await send(svc.server, transport, commonPairs('Legacy', format, '2015-01-01'), []);
        expectError(res, 400, 'InvalidParameter', 'Action or Version', format);
      });

      it('the XML root and the JSON body follow the Action', async () => {
        const res = await call(svc, transport, format, 'Echo', [['Name', 'n']]);
        const view = readSuccess(res, format, 'Echo');
        if (format === 'JSON') assert.deepEqual(view.json, { RequestId: view.RequestId, Name: 'n' });
        else assert.equal(childText(view.xml!, 'Name'), 'n');
        assert.equal(lastSeen(svc).action, 'Echo', 'ctx.state.action is set before the handler runs');
      });
    });
  }

  it('Action sent twice → InvalidParameter "Action"', async () => {
    const res = await request(svc.server).get(`/?Action=Echo&Action=Echo&Version=${VERSION}&Format=JSON`);
    expectError(res, 400, 'InvalidParameter', 'Action', 'JSON');
  });

  it('Version sent in the query and again in the body → InvalidParameter "Version"', async () => {
    const res = await request(svc.server).post(`/?Action=Echo&Version=${VERSION}&Format=JSON`).type('form').send(`Version=${VERSION}`);
    expectError(res, 400, 'InvalidParameter', 'Version', 'JSON');
  });
});

describe('rpc/api over HTTP: replaced error factories', () => {
  const svc = service({
    errors: {
      unknownAction: () => new errors['InvalidAction.NotFound'](),
      unsupportedVersion: (action, version) => new errors.InvalidParameter({ parameter: 'Version', message: `${action} is not served in ${version}.` }),
      methodNotAllowed: (method) => new errors.UnsupportedHTTPMethod({ message: `${method} is not supported.`, httpStatus: 405, headers: { allow: 'GET, POST' } }),
    },
  });

  for (const format of FORMATS) {
    it(`unknownAction → the gateway's InvalidAction.NotFound 404 (${format})`, async () => {
      const res = await call(svc, 'GET', format, 'DescribeNothing', []);
      const view = expectError(res, 404, 'InvalidAction.NotFound', undefined, format);
      assert.equal(view.Message, 'Specified api is not found, please check your url and method.');
    });

    it(`unsupportedVersion receives the Action and the Version (${format})`, async () => {
      const res = await send(svc.server, 'POST form', commonPairs('Echo', format, '2001-02-03'), []);
      const view = expectError(res, 400, 'InvalidParameter', undefined, format);
      assert.equal(view.Message, 'Echo is not served in 2001-02-03.');
    });
  }

  it('methodNotAllowed receives the method; its status and headers are sent', async () => {
    const res = await request(svc.server).put(`/?Action=Echo&Version=${VERSION}&Format=JSON`);
    const view = expectError(res, 405, 'UnsupportedHTTPMethod', undefined, 'JSON');
    assert.equal(view.Message, 'PUT is not supported.');
    assert.equal(res.headers.allow, 'GET, POST');
  });

  it('the defaults are untouched for another API', async () => {
    const plain = service();
    expectError(await call(plain, 'GET', 'JSON', 'DescribeNothing', []), 403, 'InvalidAction');
  });
});

/** Send `method` with node:http (supertest cannot send TRACE or CONNECT-like methods). */
async function rawRequest(port: number, method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('rpc/api over HTTP: methods other than GET and POST', () => {
  const svc = service();
  const query = `/?Action=Echo&Version=${VERSION}&Name=x`;

  for (const method of ['put', 'delete', 'patch', 'options'] as const) {
    for (const format of FORMATS) {
      it(`${method.toUpperCase()} → UnsupportedHTTPMethod 403 (${format}); the handler does not run`, async () => {
        const before = svc.seen.length;
        const res = await request(svc.server)[method](`${query}&Format=${format}`);
        const view = expectError(res, 403, 'UnsupportedHTTPMethod', undefined, format);
        assert.equal(view.Message, 'This http method is not supported.');
        assert.equal(svc.seen.length, before);
      });
    }
  }

  it('PUT with a form body is refused the same way (the body does not make it a POST)', async () => {
    const res = await request(svc.server).put('/').type('form').send(`Action=Echo&Version=${VERSION}&Format=JSON`);
    expectError(res, 403, 'UnsupportedHTTPMethod', undefined, 'JSON');
  });

  it('HEAD → 403 with the envelope headers and no body', async () => {
    const res = await request(svc.server).head(`${query}&Format=JSON`);
    assert.equal(res.status, 403);
    assert.match(String(res.headers['x-acs-request-id']), /^[0-9A-F-]{36}$/);
    assert.equal(res.headers['content-type'], JSON_TYPE);
    assert.equal(res.text, undefined);
  });

  it('TRACE → UnsupportedHTTPMethod 403 (sent with node:http)', async () => {
    const server = await listen(svc.server);
    try {
      const res = await rawRequest(server.port, 'TRACE', `${query}&Format=XML`);
      assert.equal(res.status, 403);
      assert.equal(res.headers['content-type'], XML_TYPE);
      assert.match(res.text, /<Code>UnsupportedHTTPMethod<\/Code>/);
      assert.match(res.text, new RegExp(`<RequestId>${String(res.headers['x-acs-request-id'])}</RequestId>`));
    } finally {
      await server.close();
    }
  });
});

describe('rpc/api over HTTP: CORS', () => {
  const cors = service({ cors: { origin: 'https://console.example.com', maxAgeSeconds: 120 } });

  it('answers an OPTIONS preflight with 204, the allowed methods and the requested headers', async () => {
    const res = await request(cors.server)
      .options('/')
      .set('origin', 'https://console.example.com')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'x-acs-action, x-acs-version, content-type');
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(res.headers['access-control-allow-origin'], 'https://console.example.com');
    assert.equal(res.headers['access-control-allow-methods'], 'GET, POST');
    assert.equal(res.headers['access-control-allow-headers'], 'x-acs-action, x-acs-version, content-type');
    assert.equal(res.headers['access-control-max-age'], '120');
    assert.match(String(res.headers['access-control-expose-headers']), /x-acs-request-id/);
  });

  it('does not echo requested headers that are not a plain token list', async () => {
    const res = await request(cors.server).options('/').set('access-control-request-method', 'POST').set('access-control-request-headers', 'x-a, <script>');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-headers'], undefined);
  });

  it('cors: true uses origin * ', async () => {
    const open = service({ cors: true });
    const res = await request(open.server).options('/').set('access-control-request-method', 'GET');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['access-control-max-age'], '600');
  });

  it('adds the CORS headers to successes', async () => {
    const res = await call(cors, 'GET', 'JSON', 'Echo', [['Name', 'a']]);
    readSuccess(res, 'JSON', 'Echo');
    assert.equal(res.headers['access-control-allow-origin'], 'https://console.example.com');
  });

  for (const { transport, format } of WAYS) {
    it(`keeps the CORS headers on error envelopes (${transport}, ${format})`, async () => {
      const res = await call(cors, transport, format, 'DescribeNothing', []);
      expectError(res, 403, 'InvalidAction', undefined, format);
      assert.equal(res.headers['access-control-allow-origin'], 'https://console.example.com');
      assert.match(String(res.headers['access-control-expose-headers']), /x-acs-request-id/);
    });
  }

  it('keeps the CORS headers on a parameter error and on an unsupported method', async () => {
    const invalid = await call(cors, 'GET', 'XML', 'Showcase', [['RegionId', 'x']]);
    expectError(invalid, 400, 'InvalidParameter', 'RegionId', 'XML');
    assert.equal(invalid.headers['access-control-allow-origin'], 'https://console.example.com');
    const put = await request(cors.server).put(`/?Action=Echo&Version=${VERSION}&Format=JSON`);
    expectError(put, 403, 'UnsupportedHTTPMethod', undefined, 'JSON');
    assert.equal(put.headers['access-control-allow-origin'], 'https://console.example.com');
  });

  it('HEAD stays UnsupportedHTTPMethod with CORS on', async () => {
    const res = await request(cors.server).head(`/?Action=Echo&Version=${VERSION}`);
    assert.equal(res.status, 403);
  });

  it('without CORS no access-control-* header is sent', async () => {
    const plain = service();
    const res = await call(plain, 'GET', 'JSON', 'Echo', []);
    assert.deepEqual(Object.keys(res.headers).filter((h) => h.startsWith('access-control-')), []);
  });
});

describe('rpc/api over HTTP: OwnerId with OwnerAccount', () => {
  const svc = service();

  for (const { transport, format } of WAYS) {
    it(`OwnerId + OwnerAccount → InvalidOwner 400 (${transport}, ${format})`, async () => {
      const res = await call(svc, transport, format, 'Echo', [['OwnerId', '1234567890'], ['OwnerAccount', 'ops@example.com']]);
      const view = expectError(res, 400, 'InvalidOwner', undefined, format);
      assert.equal(view.Message, "OwnerId and OwnerAccount can't be used at one API access.");
    });
  }

  it('either one alone, or one of them empty, is accepted', async () => {
    for (const pairs of [[['OwnerId', '1']], [['OwnerAccount', 'a']], [['OwnerId', '1'], ['OwnerAccount', '']], [['ResourceOwnerId', '1'], ['OwnerAccount', 'a']]] as Pairs[]) {
      const res = await call(svc, 'GET', 'JSON', 'Echo', pairs);
      readSuccess(res, 'JSON', 'Echo');
    }
  });

  it('is checked before the action parameters (InvalidOwner wins over MissingParameter)', async () => {
    const res = await call(svc, 'GET', 'JSON', 'Showcase', [['OwnerId', '1'], ['OwnerAccount', 'a']]);
    expectError(res, 400, 'InvalidOwner');
  });
});

/** Every common parameter a V1 SDK sends (with a Python-style empty SignatureType) plus RegionId. */
const COMMON_NOISE: Pairs = [
  ['AccessKeyId', 'LTAI-test'],
  ['Signature', 'c2lnbmF0dXJl'],
  ['SignatureMethod', 'HMAC-SHA1'],
  ['SignatureVersion', '1.0'],
  ['SignatureNonce', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  ['SignatureType', ''],
  ['Timestamp', '2026-01-02T03:04:05Z'],
  ['TimeStamp', '2026-01-02T03:04:05Z'],
  ['SecurityToken', 'sts-token'],
  ['BearerToken', 'bearer'],
  ['RegionId', 'cn-hangzhou'],
];

describe('rpc/api over HTTP: common parameters and strict mode', () => {
  const lenient = service({}, (api) => {
    api.action('StrictEcho', { strict: true, params: { Name: p.string() }, handler: (params) => ({ Name: params.Name ?? '' }) });
  });
  const strict = service({ strict: true }, (api, seen) => {
    api.action('LenientEcho', {
      strict: false,
      params: { Name: p.string() },
      handler: (params) => {
        seen.push({ params, action: 'LenientEcho' });
        return {};
      },
    });
    api.action('Regional', {
      params: { RegionId: p.string({ required: true, enum: ['cn-hangzhou'] }) },
      handler: (params) => {
        seen.push({ params, action: 'Regional' });
        return {};
      },
    });
  });

  for (const { transport, format } of WAYS) {
    it(`common parameters never reach the handler and never fail strict mode (${transport}, ${format})`, async () => {
      for (const svc of [lenient, strict]) {
        const res = await call(svc, transport, format, 'Echo', [...COMMON_NOISE, ['Name', 'n']]);
        readSuccess(res, format, 'Echo');
        assert.deepEqual(lastSeen(svc).params, { Name: 'n' });
      }
    });
  }

  it('an unknown extra parameter is ignored by default', async () => {
    const res = await call(lenient, 'POST split', 'JSON', 'Echo', [['Name', 'n'], ['Colour', 'blue'], ['Extra.1.Key', 'x']]);
    readSuccess(res, 'JSON', 'Echo');
    assert.deepEqual(lastSeen(lenient).params, { Name: 'n' });
  });

  for (const { transport, format } of WAYS) {
    it(`strict API: an unknown parameter → UnsupportedParameter "<Name>" 400 (${transport}, ${format})`, async () => {
      const res = await call(strict, transport, format, 'Echo', [...COMMON_NOISE, ['Name', 'n'], ['Colour', 'blue']]);
      expectError(res, 400, 'UnsupportedParameter', 'Colour', format);
    });
  }

  it('strict mode names an unknown sub-name of a declared parameter', async () => {
    const res = await call(strict, 'GET', 'JSON', 'Showcase', [['RegionId', 'cn-hangzhou'], ['SystemDisk.Category', 'c'], ['SystemDisk.Colour', 'x']]);
    expectError(res, 400, 'UnsupportedParameter', 'SystemDisk.Colour');
  });

  it('strict per action: one strict action on a lenient API', async () => {
    expectError(await call(lenient, 'GET', 'XML', 'StrictEcho', [['Colour', 'blue']]), 400, 'UnsupportedParameter', 'Colour', 'XML');
    readSuccess(await call(lenient, 'GET', 'XML', 'Echo', [['Colour', 'blue']]), 'XML', 'Echo');
  });

  it('lenient per action: one lenient action on a strict API', async () => {
    readSuccess(await call(strict, 'GET', 'JSON', 'LenientEcho', [['Colour', 'blue'], ['Name', 'n']]), 'JSON', 'LenientEcho');
    assert.deepEqual(lastSeen(strict).params, { Name: 'n' });
  });

  it('a declared RegionId is validated like any parameter and then reaches the handler', async () => {
    readSuccess(await call(strict, 'GET', 'JSON', 'Regional', [['RegionId', 'cn-hangzhou']]), 'JSON', 'Regional');
    assert.deepEqual(lastSeen(strict).params, { RegionId: 'cn-hangzhou' });
    expectError(await call(strict, 'GET', 'JSON', 'Regional', [['RegionId', 'us-east-1']]), 400, 'InvalidParameter', 'RegionId');
  });

  it('Format, Action and Version are not business parameters either', async () => {
    const res = await call(strict, 'POST form', 'JSON', 'Echo', []);
    readSuccess(res, 'JSON', 'Echo');
    assert.deepEqual(lastSeen(strict).params, {});
  });
});

describe('rpc/api over HTTP: Signature V3-style requests (x-acs-action / x-acs-version headers)', () => {
  const svc = service();
  const v3Headers = { 'x-acs-action': 'Echo', 'x-acs-version': VERSION, accept: 'application/json' };

  it('a GET with only the headers works and answers JSON', async () => {
    const res = await request(svc.server).get('/?Name=from%20query').set(v3Headers);
    const view = readSuccess(res, 'JSON', 'Echo');
    assert.equal(view.json?.Name, 'from query');
    assert.equal(lastSeen(svc).action, 'Echo');
  });

  it('a POST with a form body and only the headers works and answers JSON', async () => {
    const res = await request(svc.server).post('/?RegionId=cn-hangzhou').set(v3Headers).type('form').send('Name=%E4%B8%AD%20%F0%9F%98%80');
    const view = readSuccess(res, 'JSON', 'Echo');
    assert.equal(view.json?.Name, '中 😀');
  });

  it('an ACS3 Authorization header alone selects JSON', async () => {
    const res = await request(svc.server)
      .post('/')
      .set({ 'x-acs-action': 'Echo', 'x-acs-version': VERSION, authorization: 'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=00' })
      .type('form')
      .send('Name=v3');
    readSuccess(res, 'JSON', 'Echo');
  });

  it('without Accept or Authorization, Format still chooses (XML root <Action>Response)', async () => {
    const res = await request(svc.server).get('/?Name=v3').set({ 'x-acs-action': 'Echo', 'x-acs-version': VERSION });
    readSuccess(res, 'XML', 'Echo');
  });

  it('unknown action and missing version from headers give the same errors', async () => {
    expectError(await request(svc.server).get('/').set({ ...v3Headers, 'x-acs-action': 'Nope' }), 403, 'InvalidAction', undefined, 'JSON');
    expectError(await request(svc.server).get('/').set({ 'x-acs-action': 'Echo', accept: 'application/json' }), 400, 'MissingParameter', 'Version', 'JSON');
    expectError(await request(svc.server).get('/').set({ 'x-acs-version': VERSION, accept: 'application/json' }), 400, 'MissingParameter', 'Action', 'JSON');
  });

  it('an Action parameter wins over the x-acs-action header (pop-core and openapi V1 send both)', async () => {
    const res = await request(svc.server).get(`/?Action=Nothing&Version=${VERSION}&Format=XML`).set({ 'x-acs-action': 'Echo', 'x-acs-version': VERSION });
    readSuccess(res, 'XML', 'Nothing');
  });
});

describe('rpc/api over HTTP: only form bodies carry parameters', () => {
  const svc = service();

  it('a JSON body is not read as parameters', async () => {
    const res = await request(svc.server)
      .post(`/?Action=Echo&Version=${VERSION}&Format=JSON`)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ Name: 'from json', Format: 'XML' }));
    const view = readSuccess(res, 'JSON', 'Echo');
    assert.equal(view.json?.Name, '');
    assert.deepEqual(lastSeen(svc).params, {});
  });

  it('a JSON body carrying Action and Version is not a call', async () => {
    const res = await request(svc.server).post('/').set('content-type', 'application/json').send(JSON.stringify({ Action: 'Echo', Version: VERSION }));
    expectError(res, 400, 'MissingParameter', 'Action', 'XML');
  });

  it('a text/plain body in form syntax is not read either', async () => {
    const res = await request(svc.server).post(`/?Action=Echo&Version=${VERSION}&Format=JSON`).set('content-type', 'text/plain').send('Name=plain');
    assert.equal(readSuccess(res, 'JSON', 'Echo').json?.Name, '');
  });

  it('a form body with a charset parameter is read', async () => {
    const res = await request(svc.server)
      .post('/')
      .set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
      .send(`Action=Echo&Version=${VERSION}&Format=JSON&Name=charset`);
    assert.equal(readSuccess(res, 'JSON', 'Echo').json?.Name, 'charset');
  });

  it('a chunked form body without Content-Length is read and merged with the query', async () => {
    const server = await listen(svc.server);
    try {
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: `/?Action=Echo&Version=${VERSION}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write('Format=JSON&Na');
        req.write('me=chu');
        req.end('nked');
      });
      assert.equal(res.status, 200, res.text);
      assert.equal((JSON.parse(res.text) as { Name: string }).Name, 'chunked');
    } finally {
      await server.close();
    }
  });

  it('a malformed percent-encoding in the body is an InvalidParameter envelope', async () => {
    const res = await request(svc.server).post('/').type('form').send(`Action=Echo&Version=${VERSION}&Format=JSON&Name=%E4%B8`);
    const view = readError(res);
    assert.equal(view.status, 400);
    assert.equal(view.Code, 'InvalidParameter');
  });
});
