import assert from 'node:assert/strict';
import Koa from 'koa';
import request from 'supertest';
import { envelope, errors, ApiError, isApiError, defineError, CATALOGUE } from '../../lib/index.js';
import { SEED_ROWS, type SeedRow } from '../fixtures/seed-rows.js';
import { readError } from '../support/http.js';

/**
 * The seed page prints typographic quotes and is not consistent about the final period or
 * "processing this/the request"; the live service sends straight quotes and one wording
 * (docs/protocol.md §2.2). These are the only differences allowed.
 */
function normaliseSeedMessage(message: string): string {
  let m = message.replace(/[“”]/g, '"').replace(/’/g, "'").replace('processing the request', 'processing this request');
  if (!m.endsWith('.')) m += '.';
  return m;
}

function errorFor(row: SeedRow): ApiError {
  const cls = (errors as Record<string, new (arg?: string) => ApiError>)[row.name];
  assert.ok(cls, `a class for ${row.name}`);
  return row.parameter === undefined ? new cls() : new cls(row.parameter);
}

function serviceThrowing(make: () => unknown) {
  const app = new Koa();
  app.silent = true;
  app.use(envelope({ hostId: 'seed.test' }));
  app.use(() => {
    throw make();
  });
  return app.callback();
}

describe('error catalogue', () => {
  it('has all 41 rows of the seed table', () => {
    assert.equal(SEED_ROWS.length, 41);
  });

  for (const row of SEED_ROWS) {
    const label = `${row.code} ${row.status}${row.parameter ? ` (${row.parameter})` : ''}`;
    for (const format of ['XML', 'JSON'] as const) {
      it(`reproduces the seed row ${label} over HTTP in ${format}`, async () => {
        const res = await request(serviceThrowing(() => errorFor(row))).get(`/?Format=${format}`);
        const view = readError(res);
        assert.equal(res.status, row.status);
        assert.equal(view.Code, row.code);
        assert.equal(view.Message, normaliseSeedMessage(row.message));
        assert.equal(view.HostId, 'seed.test');
      });
    }
  }

  it('reaches every class by wire code and by identifier', () => {
    for (const row of CATALOGUE) {
      const byName = (errors as Record<string, unknown>)[row.name];
      assert.equal(typeof byName, 'function', row.name);
      const byCode = (errors as Record<string, new () => ApiError>)[row.code];
      assert.equal(new byCode().code, row.code);
    }
    assert.equal(errors['InvalidAccessKeyId.NotFound'], errors.InvalidAccessKeyIdNotFound);
    assert.equal(errors.MissingParameter, errors['MissingParameter']);
  });

  it('gives the table status and message by default, and takes overrides', () => {
    const plain = new errors.InvalidAccessKeyIdNotFound();
    assert.equal(plain.status, 400);
    assert.equal(plain.message, 'The specified Access Key ID does not exist.');
    const cause = new Error('lookup failed');
    const custom = new errors.InvalidParameter({
      parameter: 'PageSize',
      message: 'PageSize must be between 1 and 100.',
      httpStatus: 422,
      data: { Detail: 'x' },
      cause,
    });
    assert.equal(custom.code, 'InvalidParameter');
    assert.equal(custom.status, 422);
    assert.equal(custom.message, 'PageSize must be between 1 and 100.');
    assert.deepEqual(custom.data, { Detail: 'x' });
    assert.equal(custom.cause, cause);
    assert.ok(custom instanceof ApiError && custom instanceof Error);
    assert.equal(new errors.MissingParameter('Action').message, 'The input parameter "Action" that is mandatory for processing this request is not supplied.');
    assert.equal(new errors.InvalidParameter('Format').message, 'The specified parameter "Format" is not valid.');
    assert.equal(new errors.InvalidParamater('SignatureMethod').code, 'InvalidParamater');
    assert.throws(() => new errors.InvalidParameter({ httpStatus: 200 }), RangeError);
  });

  it('defineError makes a typed class with a template filled from options', () => {
    const NotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId "{instanceId}" does not exist.');
    const err = new NotFound({ instanceId: 'i-123' });
    assert.equal(err.code, 'InvalidInstanceId.NotFound');
    assert.equal(err.status, 404);
    assert.equal(err.message, 'The specified InstanceId "i-123" does not exist.');
    assert.equal(NotFound.code, 'InvalidInstanceId.NotFound');
    assert.ok(isApiError(err));
    assert.equal(new NotFound().message, 'The specified InstanceId "{instanceId}" does not exist.');
    assert.throws(() => defineError('', 400, 'x'), TypeError);
    assert.throws(() => defineError('X', 302, 'x'), RangeError);
  });

  it('isApiError recognises errors from another copy of the package by brand, not instanceof', () => {
    const foreign = Object.assign(Object.create({ [Symbol.for('aliyun-openapi-middleware.ApiError')]: true }), {
      code: 'Foreign',
      status: 409,
      message: 'from another copy',
    });
    assert.ok(isApiError(foreign));
    assert.ok(!isApiError(new Error('plain')));
    assert.ok(!isApiError({ code: 'X', status: 400, message: 'duck without brand' }));
    assert.ok(!isApiError(null));
  });

  it('renders an error from another copy of the package with its own code and status', async () => {
    const foreign = Object.assign(Object.create({ [Symbol.for('aliyun-openapi-middleware.ApiError')]: true }), {
      code: 'Foreign.Code',
      status: 409,
      message: 'from another copy',
    });
    const res = await request(serviceThrowing(() => foreign)).get('/?Format=JSON');
    const view = readError(res);
    assert.equal(res.status, 409);
    assert.equal(view.Code, 'Foreign.Code');
  });
});
