/**
 * The credentials provider contract, STS, the security-token hook, option validation, and the rule that
 * a secret never appears in a response or a reported error.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { errors, signatureAuthenticator, staticCredentials, type CredentialsLookup, type SecurityTokenCheckInput } from '../../lib/index.js';
import { StoreUnavailableError } from '../../lib/stores/index.js';
import {
  KEYS,
  SECRETS,
  assertError,
  assertNoSecret,
  assertOk,
  authService,
  commonV1,
  sendV1,
  sendV3,
  signedV1,
  signedV3,
  type Pairs,
} from './auth-service.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const SECRET = 'provider-secret-8Hq';

function signed(accessKeyId = 'mock-ak', secret = 'mock-secret-Zq7', extra: Pairs = []): Pairs {
  return signedV1(commonV1('DescribeRegions', accessKeyId, NOW, extra), secret);
}

describe('auth/authenticator options', () => {
  describe('credentials provider', () => {
    it('receives the AccessKeyId, the SecurityToken and the signature version', async () => {
      const lookups: Array<[string, CredentialsLookup]> = [];
      const service = authService(NOW, {
        credentials: async (id, lookup) => {
          lookups.push([id, lookup]);
          return { secret: SECRET, state: 'active', principal: { account: '42' } };
        },
      });
      assertOk(await sendV1(service, signed('k1', SECRET, [['SecurityToken', 'tok']])), 'k1');
      assertOk(await sendV3(service, signedV3({ action: 'DescribeRegions', accessKeyId: 'k2', secret: SECRET, now: NOW })), 'k2', 'V3');
      assert.deepEqual(lookups, [
        ['k1', { securityToken: 'tok', signatureVersion: 'V1' }],
        ['k2', { securityToken: undefined, signatureVersion: 'V3' }],
      ]);
      assert.deepEqual(service.callers[0], { accessKeyId: 'k1', signatureVersion: 'V1', securityToken: 'tok', principal: { account: '42' } });
    });

    it('may answer without a promise: accepted, unknown, thrown ApiError, thrown outage, as with a promise; sync STS hook too', async () => {
      const hooked: string[] = [];
      const service = authService(NOW, {
        credentials: (id) => {
          if (id === 'expired-ak') throw new errors['InvalidSecurityToken.Expired']();
          if (id === 'down-ak') throw new StoreUnavailableError({ operation: 'get', reason: 'timeout' });
          return id === 'k1' ? { secret: SECRET, state: 'active' } : undefined;
        },
        checkSecurityToken: ({ accessKeyId }) => {
          hooked.push(accessKeyId);
        },
      });
      const pairs = signed('k1', SECRET);
      assertOk(await sendV1(service, pairs), 'k1');
      assertError(await sendV1(service, pairs), 400, 'SignatureNonceUsed');
      assertOk(await sendV3(service, signedV3({ action: 'DescribeRegions', accessKeyId: 'k1', secret: SECRET, now: NOW })), 'k1', 'V3');
      assertError(await sendV1(service, signed('nobody', SECRET)), 400, 'InvalidAccessKeyId.NotFound');
      assertError(await sendV1(service, signed('expired-ak', SECRET)), 400, 'InvalidSecurityToken.Expired');
      assertError(await sendV1(service, signed('down-ak', SECRET)), 503, 'ServiceUnavailable');
      assert.deepEqual(hooked, ['k1', 'k1', 'k1']);
    });

    it('an ApiError it throws is rendered as is (InvalidSecurityToken.Expired)', async () => {
      const service = authService(NOW, {
        credentials: async () => {
          throw new errors['InvalidSecurityToken.Expired']();
        },
      });
      assertError(await sendV1(service, signed()), 400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    });

    it('StoreUnavailableError → ServiceUnavailable 503; another error → InternalError 500, reported', async () => {
      const down = authService(NOW, {
        credentials: async () => {
          throw new StoreUnavailableError({ operation: 'get', reason: 'timeout' });
        },
      });
      assertError(await sendV1(down, signed()), 503, 'ServiceUnavailable');
      const buggy = authService(NOW, {
        credentials: async () => {
          throw new Error('database exploded');
        },
      });
      assertError(await sendV1(buggy, signed()), 500, 'InternalError');
      assert.deepEqual(buggy.reported.map((e) => e.message), ['database exploded']);
    });

    it('an answer without a secret or with an unknown state is a server bug (500), and says so without the secret', async () => {
      for (const answer of [{ secret: '', state: 'active' }, { secret: SECRET, state: 'enabled' }, { state: 'active' }]) {
        const service = authService(NOW, { credentials: async () => answer as never });
        assertError(await sendV1(service, signed('k', SECRET)), 500, 'InternalError');
        assert.equal(service.reported.length, 1);
        assert.match(String(service.reported[0]?.message), /^signatureAuthenticator: /);
        assert.ok(!String(service.reported[0]?.stack).includes(SECRET));
      }
    });

    it('null means unknown, like undefined', async () => {
      const service = authService(NOW, { credentials: async () => null as never });
      assertError(await sendV1(service, signed()), 400, 'InvalidAccessKeyId.NotFound');
    });
  });

  describe('staticCredentials', () => {
    it('keys are looked up in a Map: "__proto__", "constructor" and "toString" are ordinary (unknown) ids', async () => {
      const provider = staticCredentials({ ['__proto__']: { secret: 'p' }, normal: { secret: 'n' } } as never);
      for (const id of ['constructor', 'toString', 'hasOwnProperty']) {
        assert.equal(await provider(id, { securityToken: undefined, signatureVersion: 'V1' }), undefined);
      }
      const keys = JSON.parse('{"__proto__": {"secret": "proto-secret"}}') as Record<string, { secret: string }>;
      const fromJson = staticCredentials(keys);
      assert.deepEqual(await fromJson('__proto__', { securityToken: undefined, signatureVersion: 'V1' }), { secret: 'proto-secret', state: 'active', principal: undefined });
    });

    it('copies the table; refuses empty secrets', async () => {
      const table: Record<string, { secret: string; disabled?: boolean }> = { a: { secret: 's' } };
      const provider = staticCredentials(table);
      table.a = { secret: 'changed', disabled: true };
      table.b = { secret: 'x' };
      assert.deepEqual(await provider('a', { securityToken: undefined, signatureVersion: 'V1' }), { secret: 's', state: 'active', principal: undefined });
      assert.equal(await provider('b', { securityToken: undefined, signatureVersion: 'V1' }), undefined);
      assert.throws(() => staticCredentials({ a: { secret: '' } }), /secret of "a" must be a non-empty string/);
    });

    it('STS keys: V1 SecurityToken parameter; a token on a plain key is refused', async () => {
      const service = authService(NOW);
      assertOk(await sendV1(service, signed('sts-ak', 'sts-secret-Zq7', [['SecurityToken', 'token-1']])), 'sts-ak');
      assertError(await sendV1(service, signed('sts-ak', 'sts-secret-Zq7')), 400, 'MissingParameter', /"SecurityToken"/);
      assertError(await sendV1(service, signed('sts-ak', 'sts-secret-Zq7', [['SecurityToken', 'token-2']])), 400, 'InvalidSecurityToken.MismatchWithAccessKey');
      assertError(await sendV1(service, signed('mock-ak', 'mock-secret-Zq7', [['SecurityToken', 'token-1']])), 400, 'InvalidSecurityToken.MismatchWithAccessKey');
      // An empty SecurityToken (some clients send empty optional parameters) counts as none.
      assertOk(await sendV1(service, signed('mock-ak', 'mock-secret-Zq7', [['SecurityToken', '']])), 'mock-ak');
    });

    it('V3: header and SecurityToken query parameter that differ → InvalidSecurityToken.Malformed', async () => {
      const req = signedV3({ action: 'DescribeRegions', accessKeyId: 'sts-ak', secret: 'sts-secret-Zq7', now: NOW, query: [['SecurityToken', 'token-2']], extraHeaders: { 'x-acs-security-token': 'token-1' } });
      assertError(await sendV3(authService(NOW), req), 400, 'InvalidSecurityToken.Malformed');
      const query = signedV3({ action: 'DescribeRegions', accessKeyId: 'sts-ak', secret: 'sts-secret-Zq7', now: NOW, query: [['SecurityToken', 'token-1']] });
      assertOk(await sendV3(authService(NOW), query), 'sts-ak', 'V3');
    });
  });

  describe('checkSecurityToken hook', () => {
    it('runs only after the signature verified, before the nonce is recorded; its error is rendered', async () => {
      const seen: SecurityTokenCheckInput[] = [];
      let refuse = true;
      const service = authService(NOW, {
        checkSecurityToken: (input) => {
          seen.push(input);
          if (refuse) throw new errors['InvalidSecurityToken.Expired']();
        },
      });
      assertError(await sendV1(service, signed('sts-ak', 'wrong', [['SecurityToken', 'token-1']])), 400, 'SignatureDoesNotMatch');
      assert.equal(seen.length, 0);
      const pairs = signed('sts-ak', 'sts-secret-Zq7', [['SecurityToken', 'token-1']]);
      assertError(await sendV1(service, pairs), 400, 'InvalidSecurityToken.Expired');
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.accessKeyId, 'sts-ak');
      assert.equal(seen[0]?.securityToken, 'token-1');
      assert.equal(seen[0]?.signatureVersion, 'V1');
      assert.equal(seen[0]?.credentials.state, 'active');
      refuse = false;
      assertOk(await sendV1(service, pairs), 'sts-ak'); // the nonce was not burnt by the refusal
    });
  });

  describe('option validation', () => {
    const credentials = staticCredentials(KEYS);
    it('rejects bad options at construction', () => {
      assert.throws(() => signatureAuthenticator({} as never), /credentials must be a function/);
      assert.throws(() => signatureAuthenticator({ credentials, signatureVersions: [] }), /signatureVersions/);
      assert.throws(() => signatureAuthenticator({ credentials, signatureVersions: ['V2' as never] }), /signatureVersions/);
      assert.throws(() => signatureAuthenticator({ credentials, timestampErrorCodes: 'Other' as never }), /timestampErrorCodes/);
      assert.throws(() => signatureAuthenticator({ credentials, timestampWindowMs: 1.5 }), /timestampWindowMs/);
    });
  });

  describe('the secret never appears in a response or a reported error', () => {
    it('every failure path, V1 and V3, JSON and XML', async () => {
      const service = authService(NOW);
      const responses = [];
      for (const [id, secret] of [['mock-ak', 'mock-secret-Zq7'], ['disabled-ak', 'disabled-secret-Zq7'], ['sts-ak', 'sts-secret-Zq7']] as const) {
        for (const format of ['JSON', 'XML']) {
          const base = commonV1('DescribeRegions', id, NOW).map(([n, v]) => [n, n === 'Format' ? format : v] as const);
          responses.push(await sendV1(service, signedV1(base, secret + 'x')));
          responses.push(await sendV1(service, signedV1(base, secret)));
          responses.push(await sendV1(service, [...base, ['Signature', 'garbage']]));
          const good = signedV1(base, secret);
          responses.push(await sendV1(service, good));
        }
        responses.push(await sendV3(service, signedV3({ action: 'DescribeRegions', accessKeyId: id, secret: secret + 'x', now: NOW })));
        responses.push(await sendV3(service, signedV3({ action: 'Boom', accessKeyId: id, secret, now: NOW })));
      }
      responses.push(await request(service.callback).get('/?Action=DescribeRegions&Version=2014-05-26'));
      assert.ok(responses.some((r) => r.status === 400) && responses.some((r) => r.status === 403) && responses.some((r) => r.status === 500));
      for (const res of responses) assertNoSecret(res);
      for (const err of service.reported) {
        const text = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
        for (const secret of SECRETS) if (secret.length >= 4) assert.ok(!text.includes(secret), secret);
      }
    });
  });
});
