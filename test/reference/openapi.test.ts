/**
 * `api.openapi()`: the document passes @readme/openapi-parser (a maintained OpenAPI 3.1
 * validator), its form-body schemas accept what the SDKs send and refuse what the service refuses
 * (ajv, JSON Schema 2020-12), its `xml` objects reproduce the wire XML byte for byte, and a real
 * generator (openapi-typescript) turns it into TypeScript that compiles and types the operations.
 * Everything runs offline.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import Koa from 'koa';
import type ts from 'typescript';
import { createEcsApi } from '../../examples/ecs/api.js';
import { documentedApi } from '../../examples/ecs/gen-readme.js';
import { MemoryInstanceRepository } from '../../examples/ecs/instances.js';
import { createRpcApi, envelope, errors, koaRpc, type OpenApiDocument, type SchemaObject } from '../../lib/index.js';
import { renderError } from '../../lib/core/render/envelope.js';
import { SHOWCASE, VERSION } from '../rpc/api-support.js';

type Schema = SchemaObject;

function operation(doc: OpenApiDocument, action: string): Schema {
  const item = doc.paths[`/#Action=${action}`];
  assert.ok(item !== undefined, action);
  return item.post;
}

function at(value: unknown, ...keys: string[]): Schema {
  let node = value;
  for (const key of keys) {
    assert.ok(typeof node === 'object' && node !== null && key in node, `missing ${keys.join('.')}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node as Schema;
}

function formSchema(doc: OpenApiDocument, action: string): Schema {
  return at(operation(doc, action), 'requestBody', 'content', 'application/x-www-form-urlencoded', 'schema');
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' ? at(doc, ...ref.slice(2).split('/')) : schema;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Serialise JSON data to XML following the OpenAPI 3.1 `xml` rules (an element per property, named
 * by `xml.name` or the property; an unwrapped array repeats its items' element; a wrapped array is
 * one element holding them): an implementation independent of the package's XML writer.
 */
function openApiXml(schema: Schema, name: string, value: unknown): string {
  const xml = (schema.xml ?? {}) as { name?: string; wrapped?: boolean };
  const element = xml.name ?? name;
  if (Array.isArray(value)) {
    const items = (schema.items ?? {}) as Schema;
    const inner = value.map((item) => openApiXml(items, element, item)).join('');
    return xml.wrapped === true ? `<${element}>${inner}</${element}>` : inner;
  }
  if (typeof value === 'object' && value !== null) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const inner = Object.entries(value).map(([key, member]) => openApiXml(properties[key] ?? {}, key, member)).join('');
    return `<${element}>${inner}</${element}>`;
  }
  return `<${element}>${escapeText(String(value))}</${element}>`;
}

async function listen(app: Koa): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app.callback());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}

describe('reference/openapi: the document', function () {
  this.timeout(60_000);
  const ecs = documentedApi().openapi({ title: 'ECS', servers: [{ url: 'http://127.0.0.1:3000' }] });
  const showcaseApi = createRpcApi({ version: VERSION, strict: true });
  showcaseApi.action('Showcase', { params: SHOWCASE, anonymous: true, handler: () => undefined });
  showcaseApi.action('Other', { version: ['2014-05-26', '2016-03-14'], handler: () => undefined });
  const showcase = showcaseApi.openapi({ title: 'Showcase' });

  it('passes @readme/openapi-parser (OpenAPI 3.1), which refuses a broken copy', async () => {
    for (const doc of [ecs, showcase]) {
      const result = await validate(structuredClone(doc) as never);
      assert.deepEqual(result, { valid: true, warnings: [], specification: 'OpenAPI' });
    }
    const broken = structuredClone(ecs) as unknown as { info: { title?: string } };
    delete broken.info.title;
    const result = await validate(broken as never);
    assert.equal(result.valid, false);
  });

  it('one POST operation per Action, operationId = the Action, on <path>#Action=<Action>', () => {
    assert.equal(ecs.openapi, '3.1.0');
    assert.deepEqual(ecs.servers, [{ url: 'http://127.0.0.1:3000' }]);
    assert.deepEqual(Object.keys(ecs.paths), ['DescribeRegions', 'CreateInstance', 'DescribeInstances', 'StartInstance', 'StopInstance', 'DeleteInstance'].map((a) => `/#Action=${a}`));
    for (const [path, item] of Object.entries(ecs.paths)) {
      assert.deepEqual(Object.keys(item), ['post']);
      assert.equal(item.post.operationId, path.slice('/#Action='.length));
    }
    const pathed = createRpcApi({ version: VERSION, path: '/api/v1' });
    pathed.action('Ping', { handler: () => undefined });
    assert.deepEqual(Object.keys(pathed.openapi({ title: 'x' }).paths), ['/api/v1#Action=Ping']);
    assert.throws(() => pathed.openapi({ title: '' }), /title is required/);
  });

  it('Action and Version are fixed per operation; common parameters are described', () => {
    const form = formSchema(ecs, 'CreateInstance');
    const properties = form.properties as Record<string, Schema>;
    assert.deepEqual(properties.Action, { type: 'string', const: 'CreateInstance', description: 'The action (or the x-acs-action header with Signature V3).' });
    assert.deepEqual(properties.Version?.enum, ['2014-05-26']);
    assert.deepEqual(properties.Format?.enum, ['XML', 'JSON']);
    for (const name of ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken']) assert.ok(name in properties, name);
    assert.deepEqual(form.required, ['Action', 'Version', 'RegionId', 'InstanceType']);
    assert.deepEqual(at(formSchema(showcase, 'Other'), 'properties', 'Version').enum, ['2014-05-26', '2016-03-14']);
  });

  it('every business parameter with its type, constraints and repeat-list naming', () => {
    const form = formSchema(showcase, 'Showcase');
    const properties = form.properties as Record<string, Schema>;
    const patterns = form.patternProperties as Record<string, Schema>;
    assert.deepEqual(properties.RegionId, { type: 'string', minLength: 2, maxLength: 20, pattern: '^[a-z]+(-[a-z0-9]+)+$', 'x-wire-name': 'RegionId' });
    assert.deepEqual(properties.PageSize, { type: 'integer', format: 'int32', minimum: 1, maximum: 100, 'x-wire-name': 'PageSize', default: 10 });
    assert.deepEqual(properties.Quota, { type: 'integer', format: 'int64', 'x-wire-name': 'Quota' });
    assert.deepEqual(properties.Ratio, { type: 'number', minimum: 0, maximum: 1, 'x-wire-name': 'Ratio' });
    assert.deepEqual(properties.DryRun, { type: 'boolean', 'x-wire-name': 'DryRun' });
    assert.deepEqual(properties.ChargeType, { type: 'string', enum: ['PrePaid', 'PostPaid'], 'x-wire-name': 'ChargeType', default: 'PostPaid' });
    assert.equal(properties.InstanceIds?.contentMediaType, 'application/json');
    assert.deepEqual(at(properties.InstanceIds, 'contentSchema'), { type: 'array', maxItems: 3, items: { type: 'string', pattern: '^i-' } });
    assert.equal(properties['SystemDisk.Category']?.['x-wire-name'], 'SystemDisk.Category');
    assert.match(String(properties['SystemDisk.Category']?.description), /Required whenever SystemDisk is sent/);
    assert.deepEqual(Object.keys(patterns), ['^InstanceId\\.[1-9][0-9]*$', '^Tag\\.[1-9][0-9]*\\.Key$', '^Tag\\.[1-9][0-9]*\\.Value$', '^Matrix\\.[1-9][0-9]*\\.[1-9][0-9]*$']);
    assert.equal(patterns['^Tag\\.[1-9][0-9]*\\.Key$']?.['x-wire-name'], 'Tag.N.Key');
    assert.match(String(patterns['^Tag\\.[1-9][0-9]*\\.Key$']?.description), /Repeat list Tag\.1, Tag\.2, … \(at most 5 items\)\. Required whenever Tag\.N is sent\./);
    assert.equal(form['x-strict'], true);
  });

  it('the form schemas accept what a client sends and refuse what the service refuses (ajv, JSON Schema 2020-12)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const create = ajv.compile(formSchema(ecs, 'CreateInstance'));
    const sent = { Action: 'CreateInstance', Version: '2014-05-26', Format: 'JSON', RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', 'Tag.1.Key': 'env', 'Tag.1.Value': 'demo', 'Tag.2.Key': 'team' };
    assert.ok(create(sent), JSON.stringify(create.errors));
    assert.equal(create({ ...sent, 'Tag.1.Key': 'k'.repeat(129) }), false);
    assert.equal(create({ ...sent, InstanceType: 'g7' }), false);
    assert.equal(create({ ...sent, Action: 'DeleteInstance' }), false);
    const { RegionId: _r, ...withoutRegion } = sent;
    assert.equal(create(withoutRegion), false);
  });

  it('success responses in JSON and XML: xml objects give the wire XML byte for byte', async () => {
    const api = createEcsApi<Koa.Context>({ instances: new MemoryInstanceRepository() });
    const app = new Koa().use(envelope({ hostId: 'ecs.test' })).use(koaRpc(api));
    const server = await listen(app);
    try {
      const post = async (body: Record<string, string>) => {
        const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ Version: '2014-05-26', ...body }) });
        assert.equal(res.status, 200);
        return res.text();
      };
      await post({ Action: 'CreateInstance', RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', InstanceName: 'a & <b>', 'Tag.1.Key': 'env', 'Tag.1.Value': 'demo', 'Tag.2.Key': 'team' });
      await post({ Action: 'CreateInstance', RegionId: 'cn-hangzhou', InstanceType: 'ecs.c7.large' });
      for (const action of ['DescribeInstances', 'DescribeRegions']) {
        const json = JSON.parse(await post({ Action: action, Format: 'JSON', RegionId: 'cn-hangzhou' })) as Record<string, unknown>;
        const xml = await post({ Action: action, Format: 'XML', RegionId: 'cn-hangzhou' });
        json.RequestId = /<RequestId>([^<]+)<\/RequestId>/.exec(xml)?.[1];
        const content = at(operation(ecs, action), 'responses', '200', 'content');
        assert.deepEqual(Object.keys(content), ['application/json', 'text/xml']);
        const schema = resolve(ecs, at(content, 'text/xml', 'schema'));
        assert.equal(`<?xml version="1.0" encoding="UTF-8"?>${openApiXml(schema, 'root', json)}`, xml, action);
      }
    } finally {
      await server.close();
    }
  });

  it('the error envelope per status, with the declared and the protocol errors and their rendered bodies', () => {
    const responses = at(operation(ecs, 'StartInstance'), 'responses');
    assert.deepEqual(Object.keys(responses), ['200', '400', '403', '404', '500']);
    const notFound = at(responses, '404');
    assert.match(String(notFound.description), /`InvalidInstanceId\.NotFound`: The specified InstanceId does not exist\./);
    assert.deepEqual(at(notFound, 'content', 'application/json', 'schema'), { $ref: '#/components/schemas/ErrorResponse' });
    const input = { requestId: '6B1F4C2E-8E45-4A3B-9D1C-2F0E7A5B3C9D', hostId: 'api.example.com' };
    assert.equal(at(notFound, 'content', 'text/xml', 'examples', 'InvalidInstanceId.NotFound').value, renderError('XML', { code: 'InvalidInstanceId.NotFound', status: 404, message: 'The specified InstanceId does not exist.' }, input).body.toString());
    const badRequest = Object.keys(at(responses, '400', 'content', 'application/json', 'examples'));
    for (const code of ['MissingParameter', 'InvalidParameter', 'UnsupportedParameter', 'SignatureDoesNotMatch', 'Throttling']) assert.ok(badRequest.includes(code), code);
    const envelopeSchema = ecs.components.schemas.ErrorResponse as Schema;
    assert.deepEqual(envelopeSchema.required, ['RequestId', 'HostId', 'Code', 'Message']);
    assert.deepEqual(envelopeSchema.xml, { name: 'Error' });
    const ajv = new Ajv2020({ strict: false });
    assert.ok(ajv.validate(envelopeSchema, JSON.parse(renderError('JSON', new errors.Throttling(), input).body.toString())));
  });

  it('Signature V1 and V3 security schemes; anonymous actions need none', () => {
    assert.deepEqual(Object.keys(ecs.components.securitySchemes), ['SignatureV1', 'SignatureV3']);
    assert.deepEqual(ecs.components.securitySchemes.SignatureV3?.name, 'Authorization');
    assert.deepEqual(ecs.security, [{ SignatureV1: [] }, { SignatureV3: [] }]);
    const signed = createRpcApi({ version: VERSION, authenticate: async () => ({ accessKeyId: 'testid', signatureVersion: 'V1' as const }) });
    signed.action('Public', { anonymous: true, handler: () => undefined });
    signed.action('Private', { handler: () => undefined });
    const doc = signed.openapi({ title: 'x' });
    assert.deepEqual(operation(doc, 'Public').security, []);
    assert.equal(operation(doc, 'Private').security, undefined);
    assert.equal(showcase.security, undefined);
  });

  it('a real generator (openapi-typescript) turns it into TypeScript that compiles and types each operation', async () => {
    // Loaded here rather than with the file: both are large, and the suite loads every file first.
    const { default: openapiTS, astToString } = await import('openapi-typescript');
    const { default: typescript } = await import('typescript');
    const generated = astToString(await openapiTS(structuredClone(ecs) as never));
    const use = `
import type { paths, operations } from './ecs-openapi';
type Ok<A extends keyof operations> = operations[A]['responses'][200]['content']['application/json'];
type Form<A extends keyof operations> = NonNullable<operations[A]['requestBody']>['content']['application/x-www-form-urlencoded'];
const page: Ok<'DescribeInstances'> = {
  RequestId: 'r', TotalCount: 1, PageNumber: 1, PageSize: 10,
  Instances: { Instance: [{ InstanceId: 'i', InstanceName: 'n', InstanceType: 't', RegionId: 'cn-hangzhou', Status: 'Running', CreationTime: '2026-01-01T00:00:00Z', Tags: { Tag: [{ TagKey: 'k', TagValue: 'v' }] } }] },
};
// @ts-expect-error Status is Running or Stopped
const badStatus: Ok<'DescribeInstances'>['Instances']['Instance'][number]['Status'] = 'Paused';
const created: Ok<'CreateInstance'>['InstanceId'] = 'i-1';
const form: Form<'CreateInstance'> = { Action: 'CreateInstance', Version: '2014-05-26', RegionId: 'cn-hangzhou', InstanceType: 'ecs.g7.large', 'Tag.1.Key': 'env' };
// @ts-expect-error the Action of this operation is fixed
const wrongAction: Form<'CreateInstance'>['Action'] = 'DeleteInstance';
const path: keyof paths = '/#Action=StartInstance';
export { page, badStatus, created, form, wrongAction, path };
`;
    const files = new Map([
      ['/virtual/ecs-openapi.ts', generated],
      ['/virtual/use.ts', use],
    ]);
    const options: ts.CompilerOptions = { strict: true, noEmit: true, target: typescript.ScriptTarget.ES2022, module: typescript.ModuleKind.ESNext, moduleResolution: typescript.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] };
    const host = typescript.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, version, onError, create) => {
      const text = files.get(name);
      return text !== undefined ? typescript.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, onError, create);
    };
    host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
    host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
    const { directoryExists } = host;
    host.directoryExists = (name) => name === '/virtual' || (directoryExists?.call(host, name) ?? false);
    const program = typescript.createProgram(['/virtual/use.ts'], options, host);
    const diagnostics = typescript.getPreEmitDiagnostics(program).map((d) => typescript.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(diagnostics, []);
    assert.match(generated, /"\/#Action=DescribeInstances": \{/);
    assert.match(generated, /CreationTime: string;/);
  });
});
