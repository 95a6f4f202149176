/**
 * The reference model (`api.reference()` / `buildReference`): plain JSON, built from the
 * declarations, with sample bodies that are byte for byte what the service sends; and the files
 * generated from the ECS example's declarations (README table, reference.json, openapi.json) are
 * fresh.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { z } from 'zod';
import { buildReference, createRpcApi, errors, p, SAMPLE_REQUEST_ID, type ActionReference } from '../../lib/index.js';
import { checkResponse } from '../../lib/rpc/response/check.js';
import { sampleResponse } from '../../lib/rpc/response/sample.js';
import { documentedApi, generatedFiles, README_PATH } from '../../examples/ecs/gen-readme.js';
import { service, VERSION } from '../rpc/api-support.js';
import { parseXmlStrict } from '../support/xml.js';

function action(name: string, actions: readonly ActionReference[]): ActionReference {
  const found = actions.find((a) => a.name === name);
  assert.ok(found !== undefined, name);
  return found;
}

describe('reference/model: the ECS example', () => {
  const api = documentedApi();
  const reference = api.reference();

  it('the generated README table, reference.json and openapi.json are fresh (run `npx tsx examples/ecs/gen-readme.ts` when this fails)', () => {
    for (const [file, fresh] of generatedFiles(readFileSync(README_PATH, 'utf8'))) {
      assert.equal(readFileSync(file, 'utf8'), fresh, `${file} is stale`);
    }
  });

  it('is plain JSON, and api.reference() is buildReference(api)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(reference)), reference);
    assert.deepEqual(buildReference(api), reference);
    assert.equal(reference.version, '2014-05-26');
    assert.equal(reference.path, '/');
  });

  it('lists every action with its flags, parameters (describeParams) and declared errors', () => {
    assert.deepEqual(
      reference.actions.map((a) => [a.name, a.signed, a.idempotent, a.responseDeclared]),
      [
        ['DescribeRegions', true, false, true],
        ['CreateInstance', true, true, true],
        ['DescribeInstances', true, false, true],
        ['StartInstance', true, false, true],
        ['StopInstance', true, false, true],
        ['DeleteInstance', true, false, true],
      ],
    );
    const described = api.describe().actions;
    for (const a of reference.actions) assert.deepEqual(a.parameters, action(a.name, described as never).parameters);
    assert.deepEqual(action('StartInstance', reference.actions).errors, [
      { code: 'InvalidInstanceId.NotFound', status: 404, message: 'The specified InstanceId does not exist.' },
      { code: 'IncorrectInstanceStatus', status: 403, message: 'The current status of the resource does not support this operation.' },
    ]);
    assert.deepEqual(action('DescribeRegions', reference.actions).errors, []);
  });

  it('flattens the response like the parameters: Name.N for list items, p.* and zod alike', () => {
    const rows = action('DescribeInstances', reference.actions).response;
    assert.deepEqual(
      rows.map((row) => row.name),
      [
        'TotalCount',
        'PageNumber',
        'PageSize',
        'Instances',
        'Instances.Instance',
        'Instances.Instance.N',
        'Instances.Instance.N.InstanceId',
        'Instances.Instance.N.InstanceName',
        'Instances.Instance.N.InstanceType',
        'Instances.Instance.N.RegionId',
        'Instances.Instance.N.Status',
        'Instances.Instance.N.CreationTime',
        'Instances.Instance.N.Tags',
        'Instances.Instance.N.Tags.Tag',
        'Instances.Instance.N.Tags.Tag.N',
        'Instances.Instance.N.Tags.Tag.N.TagKey',
        'Instances.Instance.N.Tags.Tag.N.TagValue',
      ],
    );
    const byName = new Map(rows.map((row) => [row.name, row]));
    assert.deepEqual(byName.get('Instances.Instance'), { name: 'Instances.Instance', type: 'list', required: true, list: true });
    assert.deepEqual(byName.get('Instances.Instance.N.Status'), { name: 'Instances.Instance.N.Status', type: 'string', required: true, enum: ['Running', 'Stopped'] });
    assert.deepEqual(byName.get('Instances.Instance.N.CreationTime'), { name: 'Instances.Instance.N.CreationTime', type: 'datetime', required: true, description: 'When the instance was created (UTC).' });
    assert.deepEqual(byName.get('PageSize'), { name: 'PageSize', type: 'integer', required: true, min: 1, max: 100 });
    assert.deepEqual(action('StartInstance', reference.actions).response, []);
  });

  it('sample bodies: the declared data, in the envelope, valid in both formats', () => {
    for (const a of reference.actions) {
      const json = JSON.parse(a.examples.json) as Record<string, unknown>;
      assert.equal(json.RequestId, SAMPLE_REQUEST_ID);
      const { RequestId: _id, ...data } = json;
      const shape = api.describe().actions.find((d) => d.name === a.name)?.response;
      assert.ok(shape !== undefined);
      // The JSON sample satisfies the declaration (dates are strings in JSON, which the check accepts).
      assert.equal(checkResponse(shape, data), undefined, a.name);
      const root = parseXmlStrict(a.examples.xml);
      assert.equal(root.name, `${a.name}Response`);
      assert.equal(root.children[0]?.name, 'RequestId');
      assert.deepEqual(root.children.slice(1).map((c) => c.name), Object.keys(data));
    }
    const instances = JSON.parse(action('DescribeInstances', reference.actions).examples.json) as { Instances: { Instance: Array<{ InstanceType: string; CreationTime: string }> } };
    assert.equal(instances.Instances.Instance[0]?.InstanceType, 'ecs.g7.large');
    assert.equal(instances.Instances.Instance[0]?.CreationTime, '2026-01-01T00:00:00Z');
  });

  it('lists the protocol errors of the steps the service runs', () => {
    const codes = reference.errors.map((e) => e.code);
    for (const code of ['InvalidAction', 'MissingParameter', 'InvalidParameter', 'SignatureDoesNotMatch', 'IncompleteSignature', 'SignatureNonceUsed', 'Throttling', 'IdempotentParameterMismatch', 'LastTokenProcessing', 'InternalError']) {
      assert.ok(codes.includes(code), code);
    }
  });
});

describe('reference/model: any API', () => {
  it('an action without a response declaration: response [], a bare sample, not signed without authentication', () => {
    const api = createRpcApi({ version: VERSION });
    api.action('Ping', { anonymous: true, handler: () => ({ Pong: true }) });
    const [ping] = api.reference().actions;
    assert.deepEqual(ping, {
      name: 'Ping',
      versions: [VERSION],
      anonymous: true,
      signed: false,
      idempotent: false,
      strict: false,
      parameters: [],
      responseDeclared: false,
      response: [],
      errors: [],
      examples: {
        json: `{"RequestId":"${SAMPLE_REQUEST_ID}"}`,
        xml: `<?xml version="1.0" encoding="UTF-8"?><PingResponse><RequestId>${SAMPLE_REQUEST_ID}</RequestId></PingResponse>`,
      },
    });
    assert.deepEqual(
      api.reference().errors.map((e) => e.code),
      ['InvalidAction', 'InvalidParameter', 'UnsupportedHTTPMethod', 'MissingParameter', 'UnsupportedParameter', 'InvalidOwner', 'InternalError'],
    );
  });

  it('lists replaced protocol errors as replaced', () => {
    const api = createRpcApi({ version: VERSION, errors: { unknownAction: () => new errors.InvalidActionNotFound() } });
    assert.deepEqual(api.reference().errors[0], { code: 'InvalidAction.NotFound', status: 404, message: 'Specified api is not found, please check your url and method.' });
  });

  it('the samples are byte for byte what the service sends for that data (JSON and XML)', async () => {
    const response = {
      Name: p.string({ required: true, minLength: 12 }),
      Count: p.integer({ min: 5 }),
      Big: p.long({ min: 10n }),
      Ratio: p.float({ max: 1 }),
      On: p.boolean(),
      Kind: p.enum(['a<b', 'c']),
      Escaped: z.string().meta({ examples: ['AT&T <x> "q"'] }),
      Disks: z.object({ Disk: z.array(z.object({ Size: z.int(), When: z.date() })).min(2) }),
      Tags: p.struct({ Tag: p.list(p.struct({ Key: p.string({ required: true }) }), { minItems: 2 }) }),
      Matrix: z.array(z.array(z.number().int())),
    };
    let data: object = {};
    const svc = service({}, (api) => {
      api.action('Sample', { response, handler: () => data as never });
    });
    const sample = svc.api.reference().actions.find((a) => a.name === 'Sample');
    assert.ok(sample !== undefined);
    const shape = svc.api.describe().actions.find((a) => a.name === 'Sample')?.response;
    assert.ok(shape !== undefined);
    data = sampleResponse(shape);
    for (const format of ['JSON', 'XML'] as const) {
      const res = await request(svc.server).get(`/?Action=Sample&Version=${VERSION}&Format=${format}`).buffer(true).parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => cb(null, text));
      });
      assert.equal(res.status, 200);
      const live = (res.body as string).replace(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/, SAMPLE_REQUEST_ID);
      assert.equal(live, format === 'JSON' ? sample.examples.json : sample.examples.xml);
    }
    assert.deepEqual(svc.reported, []);
    assert.match(sample.examples.xml, /<Escaped>AT&amp;T &lt;x&gt; "q"<\/Escaped>/);
    assert.match(sample.examples.json, /"Big":10,/);
    assert.match(sample.examples.xml, /<Disks><Disk><Size>1<\/Size><When>2026-01-01T00:00:00Z<\/When><\/Disk><Disk>/);
    assert.match(sample.examples.xml, /<Tags><Tag><Key>Key<\/Key><\/Tag><Tag><Key>Key<\/Key><\/Tag><\/Tags>/);
  });
});
