/**
 * Issue 3, the action's life: what a handler may return (and what is a bug), what it sees of the
 * request (ctx.state.action, ctx.state.caller), introspection with `api.describe()`, declarations
 * refused at start-up, and where koaRpc is mounted.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Koa from 'koa';
import request from 'supertest';
import { createRpcApi, envelope, errors, koaRpc, p, type ActionInfo, type Caller, type RpcApi } from '../../lib/index.js';
import { childNames } from '../support/xml.js';
import { FORMATS, SHOWCASE, VERSION, call, expectError, readSuccess, service } from './api-support.js';

class InstanceView {
  constructor(readonly InstanceId = 'i-1') {}
}

/** Handler results that are not envelope data: each must become InternalError 500, reported. */
const NOT_DATA: ReadonlyArray<{ readonly what: string; readonly value: () => unknown }> = [
  { what: 'an array', value: () => [{ InstanceId: 'i-1' }] },
  { what: 'a string', value: () => 'done' },
  { what: 'a number', value: () => 42 },
  { what: 'a boolean', value: () => true },
  { what: 'a Buffer', value: () => Buffer.from('raw') },
  { what: 'a stream', value: () => Readable.from(['raw']) },
  { what: 'a Map', value: () => new Map([['InstanceId', 'i-1']]) },
  { what: 'a class instance', value: () => new InstanceView() },
];

describe('rpc/api over HTTP: handler results', () => {
  const svc = service({}, (api) => {
    NOT_DATA.forEach(({ value }, i) => api.action(`Bad${i}`, { handler: value }));
    api.action('Null', { handler: () => null });
    api.action('Later', { handler: async () => ({ Done: true }) });
    api.action('Refuse', {
      handler: () => {
        throw new errors['Forbidden.AccessKeyDisabled']();
      },
    });
    api.action('Crash', {
      handler: async () => {
        throw new RangeError('secret internal detail');
      },
    });
    api.action('NullProto', { handler: () => Object.assign(Object.create(null) as object, { A: 1 }) });
  });

  for (const format of FORMATS) {
    it(`undefined → an empty success with only the RequestId (${format})`, async () => {
      const view = readSuccess(await call(svc, 'GET', format, 'Nothing', []), format, 'Nothing');
      if (format === 'JSON') assert.deepEqual(view.json, { RequestId: view.RequestId });
      else assert.deepEqual(childNames(view.xml!), ['RequestId']);
    });

    it(`null → an empty success too (${format})`, async () => {
      const view = readSuccess(await call(svc, 'POST form', format, 'Null', []), format, 'Null');
      if (format === 'JSON') assert.deepEqual(view.json, { RequestId: view.RequestId });
      else assert.deepEqual(childNames(view.xml!), ['RequestId']);
    });

    NOT_DATA.forEach(({ what }, i) => {
      it(`${what} → InternalError 500 reported through the app's 'error' event (${format})`, async () => {
        const reportedBefore = svc.reported.length;
        const res = await call(svc, 'GET', format, `Bad${i}`, []);
        const view = expectError(res, 500, 'InternalError', undefined, format);
        assert.equal(svc.reported.length, reportedBefore + 1);
        const reported = svc.reported[svc.reported.length - 1] as Error & { requestId?: string };
        assert.match(reported.message, /must return a plain object/);
        assert.equal(reported.requestId, view.RequestId);
      });
    });
  }

  it('an async handler is awaited', async () => {
    const view = readSuccess(await call(svc, 'GET', 'JSON', 'Later', []), 'JSON', 'Later');
    assert.deepEqual(view.json, { RequestId: view.RequestId, Done: true });
  });

  it('a null-prototype object is data', async () => {
    const view = readSuccess(await call(svc, 'GET', 'JSON', 'NullProto', []), 'JSON', 'NullProto');
    assert.equal(view.json?.A, 1);
  });

  it('a thrown ApiError is rendered as itself and not reported', async () => {
    const before = svc.reported.length;
    const res = await call(svc, 'GET', 'XML', 'Refuse', []);
    expectError(res, 403, 'Forbidden.AccessKeyDisabled', undefined, 'XML');
    assert.equal(svc.reported.length, before);
  });

  it('any other thrown error is InternalError 500, reported, its message not shown', async () => {
    const before = svc.reported.length;
    const res = await call(svc, 'GET', 'JSON', 'Crash', []);
    const view = expectError(res, 500, 'InternalError', undefined, 'JSON');
    assert.doesNotMatch(res.text, /secret internal detail/);
    assert.equal(svc.reported.length, before + 1);
    assert.equal((svc.reported[before] as Error & { requestId?: string }).requestId, view.RequestId);
  });
});

describe('rpc/api over HTTP: what the handler sees', () => {
  const caller: Caller = { accessKeyId: 'LTAI-caller', signatureVersion: 'V1', principal: { accountId: '1234' } };
  const told: ActionInfo[] = [];
  const seenState: Array<{ action: unknown; caller: unknown; same: boolean; requestId: unknown }> = [];
  const api = createRpcApi<Koa.Context>({
    version: VERSION,
    authenticate: async (req, info) => {
      told.push(info);
      if (req.state.params.all.AccessKeyId === 'bad') throw new errors['InvalidAccessKeyId.NotFound']();
      return caller;
    },
  });
  api.action('WhoAmI', {
    handler: (_params, ctx, call) => {
      seenState.push({ action: ctx.state.action, caller: ctx.state.caller, same: ctx.state.caller === call.caller, requestId: call.request.state.requestId });
      return { AccessKeyId: call.caller?.accessKeyId ?? '' };
    },
  });
  api.action('Public', {
    anonymous: true,
    handler: (_params, ctx) => {
      seenState.push({ action: ctx.state.action, caller: ctx.state.caller, same: true, requestId: ctx.state.requestId });
      return {};
    },
  });
  const app = new Koa();
  app.use(envelope({ hostId: 'rpc.test' }));
  app.use(koaRpc(api));
  const server = app.callback();

  it('ctx.state.action and ctx.state.caller are set before the handler runs', async () => {
    const res = await request(server).get(`/?Action=WhoAmI&Version=${VERSION}&Format=JSON&AccessKeyId=ak`);
    const view = readSuccess(res, 'JSON', 'WhoAmI');
    assert.equal(view.json?.AccessKeyId, 'LTAI-caller');
    const last = seenState[seenState.length - 1];
    assert.deepEqual(last, { action: 'WhoAmI', caller, same: true, requestId: view.RequestId });
    assert.deepEqual(told[told.length - 1], { name: 'WhoAmI', version: VERSION, known: true });
  });

  it('an anonymous action is not authenticated and has no caller', async () => {
    const before = told.length;
    const res = await request(server).get(`/?Action=Public&Version=${VERSION}&Format=JSON`);
    readSuccess(res, 'JSON', 'Public');
    assert.equal(told.length, before);
    assert.equal(seenState[seenState.length - 1]?.caller, undefined);
  });

  it('an unknown action is authenticated first (known: false), then refused', async () => {
    const res = await request(server).get(`/?Action=Nope&Version=${VERSION}&Format=JSON`);
    expectError(res, 403, 'InvalidAction');
    assert.deepEqual(told[told.length - 1], { name: 'Nope', version: VERSION, known: false });
  });

  it('an authentication error is the answer; the handler does not run', async () => {
    const before = seenState.length;
    const res = await request(server).get(`/?Action=WhoAmI&Version=${VERSION}&Format=JSON&AccessKeyId=bad`);
    expectError(res, 400, 'InvalidAccessKeyId.NotFound', undefined, 'JSON');
    assert.equal(seenState.length, before);
  });
});

describe('rpc/api: describe()', () => {
  const svc = service({}, (api) => {
    api.action('Versions', { version: ['2013-01-10', '2014-05-26'], strict: true, anonymous: true, handler: () => undefined });
  });
  const described = svc.api.describe();

  it('is plain JSON (survives JSON round-trip unchanged)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(described)), described);
  });

  it('names the API version, path and every action in declaration order', () => {
    assert.equal(described.version, VERSION);
    assert.equal(described.path, '/');
    assert.deepEqual(
      described.actions.map((a) => a.name),
      ['Showcase', 'Echo', 'Nothing', 'Versions'],
    );
    const versions = described.actions.find((a) => a.name === 'Versions');
    assert.deepEqual(versions, { name: 'Versions', versions: ['2013-01-10', '2014-05-26'], anonymous: true, idempotent: false, strict: true, parameters: [] });
    const showcase = described.actions[0];
    assert.equal(showcase?.description, 'Every parameter type.');
    assert.deepEqual(showcase?.versions, [VERSION]);
    assert.equal(showcase?.strict, false);
  });

  it('lists every wire-name pattern with its type and constraints', () => {
    const params = described.actions[0]?.parameters ?? [];
    const byName = new Map(params.map((d) => [d.name, d]));
    assert.deepEqual(
      params.map((d) => d.name),
      [
        'RegionId', 'InstanceName', 'DiskCategory', 'PageSize', 'Offset', 'Quota', 'Ratio', 'DryRun', 'ChargeType', 'InstanceIds',
        'InstanceId', 'InstanceId.N', 'Tag', 'Tag.N', 'Tag.N.Key', 'Tag.N.Value', 'SystemDisk', 'SystemDisk.Category', 'SystemDisk.Size',
        'Matrix', 'Matrix.N', 'Matrix.N.N',
      ],
    );
    assert.deepEqual(byName.get('RegionId'), { name: 'RegionId', type: 'string', required: true, minLength: 2, maxLength: 20, pattern: '^[a-z]+(-[a-z0-9]+)+$' });
    assert.deepEqual(byName.get('DiskCategory'), { name: 'DiskCategory', type: 'string', required: false, enum: ['cloud_ssd', 'cloud_essd'] });
    assert.deepEqual(byName.get('PageSize'), { name: 'PageSize', type: 'integer', required: false, min: 1, max: 100, default: 10 });
    assert.deepEqual(byName.get('Quota'), { name: 'Quota', type: 'long', required: false, min: '-9223372036854775808', max: '9223372036854775807' });
    assert.deepEqual(byName.get('Ratio'), { name: 'Ratio', type: 'float', required: false, min: 0, max: 1 });
    assert.deepEqual(byName.get('DryRun'), { name: 'DryRun', type: 'boolean', required: false });
    assert.deepEqual(byName.get('ChargeType'), { name: 'ChargeType', type: 'enum', required: false, enum: ['PrePaid', 'PostPaid'], default: 'PostPaid' });
    assert.equal(byName.get('InstanceIds')?.type, 'json');
    assert.equal((byName.get('InstanceIds')?.jsonSchema as { type?: string } | undefined)?.type, 'array');
    assert.deepEqual(byName.get('InstanceId'), { name: 'InstanceId', type: 'list', required: false, maxItems: 10 });
    assert.deepEqual(byName.get('Tag.N.Key'), { name: 'Tag.N.Key', type: 'string', required: true, maxLength: 16 });
    assert.deepEqual(byName.get('SystemDisk.Size'), { name: 'SystemDisk.Size', type: 'integer', required: false, min: 20, max: 500 });
    assert.deepEqual(byName.get('Matrix.N.N'), { name: 'Matrix.N.N', type: 'integer', required: false, min: 0, max: 2147483647 });
  });

  it('can be served by an action of the API itself', async () => {
    const self = service({}, (api) => {
      api.action('DescribeApi', { anonymous: true, handler: () => ({ Api: JSON.stringify(api.describe()) }) });
    });
    const view = readSuccess(await call(self, 'GET', 'JSON', 'DescribeApi', []), 'JSON', 'DescribeApi');
    const api = JSON.parse(String(view.json?.Api)) as { actions: Array<{ name: string }> };
    assert.ok(api.actions.some((a) => a.name === 'DescribeApi'));
  });
});

describe('rpc/api: declarations refused at start-up', () => {
  function api(): RpcApi<Koa.Context> {
    return createRpcApi<Koa.Context>({ version: VERSION });
  }

  for (const name of ['', '1Describe', 'Describe-Instances', 'Describe.Instances', 'Describe Instances', '_Hidden', '__proto__', 'A'.repeat(129), 'Décrire']) {
    it(`an invalid action name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}…` : name)} throws`, () => {
      assert.throws(() => api().action(name, { handler: () => undefined }), TypeError);
    });
  }

  it('the longest valid name (128 characters) is accepted', () => {
    assert.doesNotThrow(() => api().action(`A${'b'.repeat(127)}`, { handler: () => undefined }));
  });

  it('declaring an action twice throws, even with another version', () => {
    const a = api().action('DescribeRegions', { handler: () => undefined });
    assert.throws(() => a.action('DescribeRegions', { version: '2020-01-01', handler: () => undefined }), /declared twice/);
  });

  it('an action serving no version, or an empty one, throws', () => {
    for (const version of [[], '', ['2014-05-26', '']] as const) {
      assert.throws(() => api().action('NoVersion', { version, handler: () => undefined }), /at least one non-empty version/);
    }
  });

  it('an action without a handler throws', () => {
    assert.throws(() => api().action('NoHandler', {} as unknown as Parameters<RpcApi['action']>[1]), /needs a handler/);
  });

  it('a bad parameter declaration throws when it is built or declared', () => {
    assert.throws(() => p.string({ required: true, default: 'x' }), TypeError);
    assert.throws(() => p.integer({ min: 10, max: 1 }), TypeError);
    assert.throws(() => p.integer({ default: 0, min: 1 }), TypeError);
    assert.throws(() => p.string({ pattern: /x/g }), TypeError);
    assert.throws(() => api().action('DottedName', { params: { 'Tag.Key': p.string() }, handler: () => undefined }), TypeError);
    assert.throws(() => api().action('ProtoName', { params: JSON.parse('{"__proto__":{}}') as Record<string, never>, handler: () => undefined }), TypeError);
    assert.throws(() => api().action('NotBuilt', { params: { Name: 'string' } as unknown as Record<string, never>, handler: () => undefined }), TypeError);
  });

  it('createRpcApi needs a version and a path starting with /', () => {
    assert.throws(() => createRpcApi({ version: '' }), TypeError);
    assert.throws(() => createRpcApi({} as unknown as { version: string }), TypeError);
    assert.throws(() => createRpcApi({ version: VERSION, path: 'rpc' }), TypeError);
  });

  it('action() chains', () => {
    const a = api();
    assert.equal(a.action('One', { handler: () => undefined }), a);
    assert.deepEqual(
      a.action('Two', { params: SHOWCASE, handler: () => undefined }).describe().actions.map((x) => x.name),
      ['One', 'Two'],
    );
  });
});

describe('rpc/api: mounting with koaRpc', () => {
  it('serves the configured path only; other paths get the envelope of an unknown action', async () => {
    const api = createRpcApi<Koa.Context>({ version: VERSION, path: '/ecs' });
    api.action('Echo', { params: { Name: p.string() }, handler: ({ Name }) => ({ Name: Name ?? '' }) });
    const app = new Koa();
    app.use(envelope({ hostId: 'rpc.test' }));
    app.use(koaRpc(api));
    const server = app.callback();
    const ok = await request(server).get(`/ecs?Action=Echo&Version=${VERSION}&Format=JSON&Name=a`);
    assert.equal(readSuccess(ok, 'JSON', 'Echo').json?.Name, 'a');
    const elsewhere = await request(server).get(`/?Action=Echo&Version=${VERSION}&Format=JSON`);
    expectError(elsewhere, 403, 'InvalidAction', undefined, 'JSON');
  });

  it('matches its path as @koa/router matches a literal path (any letter case, one trailing /); other paths go on to the next middleware', async () => {
    const api = createRpcApi<Koa.Context>({ version: VERSION, path: '/ecs' });
    api.action('Echo', { params: { Name: p.string() }, handler: ({ Name }) => ({ Name: Name ?? '' }) });
    const app = new Koa();
    app.use(envelope({ hostId: 'rpc.test' }));
    app.use(koaRpc(api));
    app.use((ctx) => {
      ctx.state.action = 'Fallback';
      ctx.body = { Path: ctx.path };
    });
    const server = app.callback();
    for (const path of ['/ecs', '/ECS', '/Ecs/', '/ecs/']) {
      const res = await request(server).get(`${path}?Action=Echo&Version=${VERSION}&Format=JSON&Name=${encodeURIComponent(path)}`);
      assert.equal(readSuccess(res, 'JSON', 'Echo').json?.Name, path, path);
    }
    for (const path of ['/ecs//', '/ecsx', '/ecs/x', '/', '/%65cs']) {
      const res = await request(server).get(`${path}?Action=Echo&Version=${VERSION}&Format=JSON`);
      assert.equal(readSuccess(res, 'JSON', 'Fallback').json?.Path, path, path);
    }
  });

  it('two APIs on two paths of one app', async () => {
    const ecs = createRpcApi<Koa.Context>({ version: '2014-05-26', path: '/ecs' });
    ecs.action('DescribeRegions', { handler: () => ({ Product: 'ecs' }) });
    const rds = createRpcApi<Koa.Context>({ version: '2014-08-15', path: '/rds' });
    rds.action('DescribeRegions', { handler: () => ({ Product: 'rds' }) });
    const app = new Koa();
    app.use(envelope({ hostId: 'rpc.test' }));
    app.use(koaRpc(ecs));
    app.use(koaRpc(rds));
    const server = app.callback();
    const a = await request(server).get('/ecs?Action=DescribeRegions&Version=2014-05-26&Format=JSON');
    assert.equal(readSuccess(a, 'JSON', 'DescribeRegions').json?.Product, 'ecs');
    const b = await request(server).get('/rds?Action=DescribeRegions&Version=2014-08-15&Format=JSON');
    assert.equal(readSuccess(b, 'JSON', 'DescribeRegions').json?.Product, 'rds');
    expectError(await request(server).get('/rds?Action=DescribeRegions&Version=2014-05-26&Format=JSON'), 400, 'InvalidParameter', 'Action or Version');
  });

  it('without envelope() in front it fails loudly (reported, 500)', async () => {
    const api = createRpcApi<Koa.Context>({ version: VERSION });
    api.action('Echo', { handler: () => ({}) });
    const app = new Koa();
    const reported: Error[] = [];
    app.on('error', (err: Error) => reported.push(err));
    app.use(koaRpc(api));
    const res = await request(app.callback()).get(`/?Action=Echo&Version=${VERSION}`);
    assert.equal(res.status, 500);
    assert.match(reported[0]?.message ?? '', /needs envelope\(\) mounted before it/);
  });
});
