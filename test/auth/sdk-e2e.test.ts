/**
 * The official Node SDKs, unmodified, against a real service on 127.0.0.1
 * (envelope() + koaRpc(createRpcApi({ authenticate: signatureAuthenticator(...) }))), real clock:
 * each succeeds with the right secret and awkward parameter values (spaces, * ! ' ( ) ~ + /, Chinese,
 * emoji, lists), and surfaces SignatureDoesNotMatch / InvalidAccessKeyId.NotFound /
 * Forbidden.AccessKeyDisabled / IllegalTimestamp with the code where each SDK puts it (docs/protocol.md §7).
 * Captured requests replayed byte for byte get SignatureNonceUsed.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import RPCClient from '@alicloud/pop-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import OpenApiCoreClient, * as $Core from '@alicloud/openapi-core';
import { listen, type Listening } from '../support/listen.js';
import { SECRETS, VERSION, authService, type AuthService } from './auth-service.js';

// aliyun-sdk ships no types; its ECS client is a callback API.
const ALY = require('aliyun-sdk') as {
  ECS: new (cfg: Record<string, unknown>) => {
    describeInstances(p: Record<string, string>, cb: (err: unknown, data: unknown) => void): void;
  };
};

const RIGHT = { id: 'mock-ak', secret: 'mock-secret-Zq7' };
const WRONG_SECRET = { id: 'mock-ak', secret: 'mock-secret-Zq8' };
const UNKNOWN = { id: 'nobody-ak', secret: 'whatever-secret' };
const DISABLED = { id: 'disabled-ak', secret: 'disabled-secret-Zq7' };
type Key = typeof RIGHT;

/** Every character class the clients encode differently on the wire (docs/protocol.md §3.2). */
const TRICKY = "a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀";
const VALUES = { Name: TRICKY, Spaces: '  two  spaces ', Marks: "*!'()~+/", Chinese: '阿里云短信测试专用', Emoji: '😀🎉👍🏽' };

/** What an SDK call ended with. */
type Outcome = { ok: true; body: Record<string, unknown> } | { ok: false; code: string; status: number | undefined; name: string; message: string };

interface Sdk {
  readonly name: string;
  readonly version: 'V1' | 'V3';
  /** Calls DescribeInstances with VALUES plus a list and a list of structs (each SDK's own way). */
  call(endpoint: Listening, key: Key): Promise<Outcome>;
  /** The business parameters the server must have received. */
  readonly expected: Record<string, string>;
}

function failure(err: unknown): Outcome {
  const e = err as { code?: unknown; statusCode?: unknown; name?: unknown; message?: unknown };
  return { ok: false, code: String(e.code), status: typeof e.statusCode === 'number' ? e.statusCode : undefined, name: String(e.name), message: String(e.message) };
}

const LIST_EXPECTED = { 'InstanceId.1': 'i-1', 'InstanceId.2': 'i 2*', 'Tag.1.Key': 'k 1', 'Tag.1.Value': "v!'()~", 'Tag.2.Key': '键' };

function popCore(method: 'GET' | 'POST'): Sdk {
  return {
    name: `@alicloud/pop-core ${method}`,
    version: 'V1',
    expected: { ...VALUES, ...LIST_EXPECTED },
    async call(srv, key) {
      const Ctor = RPCClient as unknown as new (cfg: Record<string, string>) => { request(a: string, p: Record<string, unknown>, o: Record<string, unknown>): Promise<Record<string, unknown>> };
      const client = new Ctor({ accessKeyId: key.id, accessKeySecret: key.secret, endpoint: srv.endpoint, apiVersion: VERSION });
      try {
        const params = { ...VALUES, InstanceId: ['i-1', 'i 2*'], Tag: [{ Key: 'k 1', Value: "v!'()~" }, { Key: '键' }] };
        return { ok: true, body: await client.request('DescribeInstances', params, { method, timeout: 10_000 }) };
      } catch (err) {
        return failure(err);
      }
    },
  };
}

const RPC_PARAMS = { action: 'DescribeInstances', version: VERSION, protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' };
type TeaClient = { callApi(p: unknown, r: unknown, rt: unknown): Promise<{ body: Record<string, unknown> }> };

function openApiClient(mode: 'V1' | 'V3'): Sdk {
  return {
    name: `@alicloud/openapi-client ${mode === 'V1' ? "V1 (signatureAlgorithm 'v2')" : 'V3 (default)'}`,
    version: mode,
    expected: { ...VALUES, ...LIST_EXPECTED, Desc: TRICKY },
    async call(srv, key) {
      const config = new $OpenApi.Config({
        accessKeyId: key.id,
        accessKeySecret: key.secret,
        endpoint: srv.endpoint.replace('http://', ''),
        protocol: 'HTTP',
        readTimeout: 10_000,
        ...(mode === 'V1' ? { signatureAlgorithm: 'v2' } : {}),
      });
      const client = new (OpenApiClient as unknown as new (c: unknown) => TeaClient)(config);
      const request = new $OpenApi.OpenApiRequest({
        query: OpenApiUtil.query({ ...VALUES, InstanceId: ['i-1', 'i 2*'], Tag: [{ Key: 'k 1', Value: "v!'()~" }, { Key: '键' }] }),
        body: { Desc: TRICKY },
      });
      try {
        return { ok: true, body: (await client.callApi(new $OpenApi.Params(RPC_PARAMS), request, {})).body };
      } catch (err) {
        return failure(err);
      }
    },
  };
}

function openApiCore(): Sdk {
  return {
    name: '@alicloud/openapi-core V3 (default)',
    version: 'V3',
    expected: { ...VALUES, ...LIST_EXPECTED, Desc: TRICKY },
    async call(srv, key) {
      const Ctor = OpenApiCoreClient as unknown as new (c: unknown) => TeaClient;
      const client = new Ctor(new $Core.$OpenApiUtil.Config({ accessKeyId: key.id, accessKeySecret: key.secret, endpoint: srv.endpoint.replace('http://', ''), protocol: 'HTTP', readTimeout: 10_000 }));
      const request = new $Core.$OpenApiUtil.OpenApiRequest({
        query: $Core.OpenApiUtil.query({ ...VALUES, InstanceId: ['i-1', 'i 2*'], Tag: [{ Key: 'k 1', Value: "v!'()~" }, { Key: '键' }] }),
        body: { Desc: TRICKY },
      });
      try {
        return { ok: true, body: (await client.callApi(new $Core.$OpenApiUtil.Params(RPC_PARAMS), request, {})).body };
      } catch (err) {
        return failure(err);
      }
    },
  };
}

function aliyunSdk(): Sdk {
  // aliyun-sdk validates parameters against its ECS model and does not flatten lists: the values go
  // into model fields, the list of structs as flat Tag.N.* names, the id list as ECS's JSON string.
  const params = {
    RegionId: 'cn-hangzhou',
    InstanceName: VALUES.Name,
    VpcId: VALUES.Spaces,
    VSwitchId: VALUES.Marks,
    ZoneId: VALUES.Chinese,
    SecurityGroupId: VALUES.Emoji,
    InstanceIds: JSON.stringify(['i-1', 'i 2*']),
    'Tag.1.Key': 'k 1',
    'Tag.1.Value': "v!'()~",
    'Tag.2.Key': '键',
  };
  return {
    name: 'aliyun-sdk (POST, millisecond Timestamp)',
    version: 'V1',
    expected: params,
    async call(srv, key) {
      const ecs = new ALY.ECS({ accessKeyId: key.id, secretAccessKey: key.secret, endpoint: srv.endpoint, apiVersion: VERSION, httpOptions: { timeout: 10_000 } });
      return new Promise<Outcome>((resolve) => {
        ecs.describeInstances({ ...params }, (err, data) => resolve(err ? failure(err) : { ok: true, body: data as Record<string, unknown> }));
      });
    },
  };
}

const SDKS: readonly Sdk[] = [popCore('GET'), popCore('POST'), openApiClient('V1'), openApiClient('V3'), openApiCore(), aliyunSdk()];

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

describe('auth/sdk-e2e: official SDKs against signatureAuthenticator over 127.0.0.1', () => {
  let service: AuthService;
  let srv: Listening;
  let skewMs = 0;
  const recorded: Recorded[] = [];

  before(async () => {
    service = authService(() => Date.now() + skewMs);
    srv = await listen((req, res) => {
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
      service.callback(req, res);
    });
  });
  after(async () => {
    await srv.close();
  });
  beforeEach(() => {
    skewMs = 0;
    recorded.length = 0;
  });

  function assertCode(outcome: Outcome, sdk: Sdk, code: string, status: number): void {
    assert.equal(outcome.ok, false, `${sdk.name}: expected ${code}`);
    if (outcome.ok) return;
    assert.equal(outcome.code, code, `${sdk.name}: ${outcome.message}`);
    // Where each SDK exposes the status (pop-core never does; docs/protocol.md §7.1).
    if (sdk.name.startsWith('@alicloud/pop-core')) assert.equal(outcome.name, code + 'Error');
    else assert.equal(outcome.status, status, sdk.name);
    if (sdk.name.startsWith('@alicloud/openapi-core')) assert.equal(outcome.name, status >= 500 ? 'ServerError' : 'ClientError');
    for (const secret of SECRETS) if (secret.length >= 4) assert.ok(!outcome.message.includes(secret), `${sdk.name} message leaks a secret`);
  }

  for (const sdk of SDKS) {
    describe(sdk.name, () => {
      it('succeeds with the right secret; every value and list item arrives intact', async () => {
        const outcome = await sdk.call(srv, RIGHT);
        assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.code}: ${outcome.message}`);
        assert.equal(outcome.body.AccessKeyId, 'mock-ak');
        assert.equal(outcome.body.SignatureVersion, sdk.version);
        const echo = JSON.parse(String(outcome.body.Echo)) as Record<string, string>;
        assert.deepEqual(echo, sdk.expected);
        assert.ok(recorded.length >= 1);
        assert.equal(recorded[0]?.method, sdk.name === '@alicloud/pop-core GET' ? 'GET' : 'POST');
        // aliyun-sdk signs a Timestamp with milliseconds; the others whole seconds.
        assert.match(String(outcome.body.Timestamp), sdk.name.startsWith('aliyun-sdk') ? /T\d\d:\d\d:\d\d\.\d{3}Z$/ : /T\d\d:\d\d:\d\dZ$/);
        if (sdk.version === 'V3') assert.match(String(recorded[0]?.headers.authorization), /^ACS3-HMAC-SHA256 Credential=mock-ak,/);
        else assert.equal(recorded[0]?.headers.authorization, undefined);
      });

      it('wrong secret → SignatureDoesNotMatch', async () => {
        const outcome = await sdk.call(srv, WRONG_SECRET);
        assertCode(outcome, sdk, 'SignatureDoesNotMatch', 400);
        if (!outcome.ok) assert.ok(outcome.message.includes('Specified signature is not matched with our calculation. server string to sign is:'), outcome.message);
      });

      it('unknown AccessKeyId → InvalidAccessKeyId.NotFound', async () => {
        assertCode(await sdk.call(srv, UNKNOWN), sdk, 'InvalidAccessKeyId.NotFound', 400);
      });

      it('disabled key → Forbidden.AccessKeyDisabled', async () => {
        assertCode(await sdk.call(srv, DISABLED), sdk, 'Forbidden.AccessKeyDisabled', 403);
      });

      it('signed 20 minutes before the server clock → IllegalTimestamp', async () => {
        skewMs = 20 * 60_000;
        const outcome = await sdk.call(srv, RIGHT);
        assertCode(outcome, sdk, 'IllegalTimestamp', 400);
        if (!outcome.ok) assert.match(outcome.message, /is more than 15 minutes before the server time/);
      });

      it('exactly one request per call (no SDK retried)', async () => {
        await sdk.call(srv, WRONG_SECRET);
        assert.equal(recorded.length, 1);
      });
    });
  }

  async function replay(rec: Recorded): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const url = new URL(rec.url, srv.endpoint);
      const req = http.request({ host: '127.0.0.1', port: srv.port, method: rec.method, path: url.pathname + url.search, headers: rec.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('replaying a captured pop-core GET (V1) → SignatureNonceUsed', async () => {
    const outcome = await popCore('GET').call(srv, RIGHT);
    assert.ok(outcome.ok);
    const [captured] = recorded;
    assert.ok(captured !== undefined && captured.method === 'GET');
    const again = await replay(captured);
    assert.equal(again.status, 400);
    assert.equal(again.body.Code, 'SignatureNonceUsed');
  });

  it('replaying a captured openapi-core V3 call without a body → SignatureNonceUsed', async () => {
    const Ctor = OpenApiCoreClient as unknown as new (c: unknown) => TeaClient;
    const client = new Ctor(new $Core.$OpenApiUtil.Config({ accessKeyId: RIGHT.id, accessKeySecret: RIGHT.secret, endpoint: srv.endpoint.replace('http://', ''), protocol: 'HTTP' }));
    const result = await client.callApi(new $Core.$OpenApiUtil.Params(RPC_PARAMS), new $Core.$OpenApiUtil.OpenApiRequest({ query: { RegionId: 'cn-hangzhou' } }), {});
    assert.equal(result.body.AccessKeyId, 'mock-ak');
    const [captured] = recorded;
    assert.ok(captured !== undefined);
    assert.match(String(captured.headers.authorization), /^ACS3-/);
    const again = await replay(captured);
    assert.equal(again.status, 400);
    assert.equal(again.body.Code, 'SignatureNonceUsed');
  });
});
