/**
 * signatureAuthenticator over HTTP (envelope() + koaRpc(createRpcApi({ authenticate }))), Signature V1:
 * the published vectors verify with a fixed clock, one-character changes fail, and every check
 * answers in the protocol's order (one test per step, each request also failing every later step).
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { SIGNATURE_MISMATCH_PREFIX } from '../../lib/index.js';
import { refCanonical, refEncode, refSignV1 } from './reference.js';
import { readError } from '../support/http.js';
import {
  assertError,
  assertOk,
  authService,
  commonV1,
  isoSeconds,
  sendV1,
  signedV1,
  wire,
  type Pairs,
} from './auth-service.js';

const TV1_TIME = Date.parse('2016-02-23T12:46:24Z');
const TV1: Pairs = [
  ['AccessKeyId', 'testid'],
  ['Action', 'DescribeRegions'],
  ['Format', 'XML'],
  ['SignatureMethod', 'HMAC-SHA1'],
  ['SignatureNonce', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
  ['SignatureVersion', '1.0'],
  ['Timestamp', '2016-02-23T12:46:24Z'],
  ['Version', '2014-05-26'],
];
const TV1_SIGNATURE = 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=';
const TV1_STRING_TO_SIGN =
  'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26';

const TV2_TIME = Date.parse('2017-07-12T02:42:19Z');
const TV2: Pairs = [
  ['AccessKeyId', 'testId'],
  ['Action', 'SendSms'],
  ['Format', 'XML'],
  ['OutId', '123'],
  ['PhoneNumbers', '15300000001'],
  ['RegionId', 'cn-hangzhou'],
  ['SignName', '阿里云短信测试专用'],
  ['SignatureMethod', 'HMAC-SHA1'],
  ['SignatureNonce', '45e25e9b-0a6f-4070-8c85-2956eda1b466'],
  ['SignatureVersion', '1.0'],
  ['TemplateCode', 'SMS_71390007'],
  ['TemplateParam', '{"customer":"test"}'],
  ['Timestamp', '2017-07-12T02:42:19Z'],
  ['Version', '2017-05-25'],
];

const CAPTURE_TIME = Date.parse('2026-11-29T18:43:17Z');
const TV4_QUERY =
  'AccessKeyId=ak&Action=DescribeRegions&Format=JSON&InstanceId.1=i-1&InstanceId.2=i%202%2A&Name=a%2Bb%21~&SignatureMethod=HMAC-SHA1&SignatureNonce=e438d631d2af5c82f5175ee3e6dc412a&SignatureVersion=1.0&Timestamp=2026-11-29T18%3A43%3A17Z&Version=2014-05-26&Signature=LcYdNScKjqrUSivgXm2Lopk4iA8%3D';
const TV5_QUERY =
  'Action=DescribeRegions&Format=json&Version=2014-05-26&Timestamp=2026-11-29T18%3A43%3A17Z&SignatureNonce=e289c9c4417bdc6630f59888ac7e9c8c&RegionId=cn-hangzhou&Tag.1.Key=k&Tag.1.Value=v%20w&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=ak&Signature=uIJvyiKdLhyTL53%2FnfOC9Oi6AMI%3D';

function withSignature(pairs: Pairs, signature: string): Pairs {
  return [...pairs, ['Signature', signature]];
}

function replace(pairs: Pairs, name: string, value: string | undefined): Pairs {
  const out = pairs.filter(([n]) => n !== name);
  return value === undefined ? out : [...out, [name, value]];
}

/** Change one character of a string (keeps the length). */
function oneCharOff(s: string, i = s.length - 1): string {
  return s.slice(0, i) + (s[i] === 'x' ? 'y' : 'x') + s.slice(i + 1);
}

describe('auth/authenticator V1 over HTTP', () => {
  describe('published test vectors, fixed clock', () => {
    it('TV-1 (GET, Format=XML) verifies and the handler sees the caller', async () => {
      const service = authService(TV1_TIME);
      const res = await sendV1(service, withSignature(TV1, TV1_SIGNATURE));
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, /<DescribeRegionsResponse>.*<AccessKeyId>testid<\/AccessKeyId><SignatureVersion>V1<\/SignatureVersion>/s);
      assert.deepEqual(service.callers, [{ accessKeyId: 'testid', signatureVersion: 'V1' }]);
    });

    it('TV-1 with a wrong secret: SignatureDoesNotMatch carrying the published StringToSign', async () => {
      const service = authService(TV1_TIME, {
        credentials: async (id) => (id === 'testid' ? { secret: 'testsecreT', state: 'active' } : undefined),
      });
      const res = await sendV1(service, withSignature(TV1, TV1_SIGNATURE));
      const error = readError(res); // Format=XML
      assert.equal(error.status, 400);
      assert.equal(error.Code, 'SignatureDoesNotMatch');
      assert.equal(error.Message, SIGNATURE_MISMATCH_PREFIX + TV1_STRING_TO_SIGN);
      assert.equal(service.callers.length, 0);
    });

    it('TV-1 sent by POST (form body) no longer verifies: the method is signed', async () => {
      const service = authService(TV1_TIME);
      const res = await sendV1(service, withSignature(replace(TV1, 'Format', 'JSON'), TV1_SIGNATURE), 'POST');
      const body = assertError(res, 400, 'SignatureDoesNotMatch');
      assert.ok(String(body.Message).startsWith(SIGNATURE_MISMATCH_PREFIX + 'POST&%2F&AccessKeyId%3Dtestid'), String(body.Message));
    });

    it('TV-1: a one-character change to any parameter fails (at the step that checks it)', async () => {
      const service = authService(TV1_TIME);
      /** The code a changed parameter gets; everything signed and not checked earlier is a mismatch. */
      const expectedCode: Record<string, string> = {
        AccessKeyId: 'InvalidAccessKeyId.NotFound',
        SignatureMethod: 'InvalidParamater',
        SignatureVersion: 'InvalidParamater',
        Timestamp: 'SignatureDoesNotMatch', // one second later, still within the window
      };
      for (const [name, value] of TV1) {
        const changed = name === 'Format' ? 'xml' : name === 'Timestamp' ? '2016-02-23T12:46:25Z' : oneCharOff(value); // another valid Format
        const res = await sendV1(service, withSignature(replace(TV1, name, changed), TV1_SIGNATURE));
        const error = readError(res);
        assert.equal(error.Code, expectedCode[name] ?? 'SignatureDoesNotMatch', `${name}=${changed}: ${res.text}`);
      }
      // An extra parameter is signed too.
      const extra = await sendV1(service, withSignature([...TV1, ['RegionId', 'cn-hangzhou']], TV1_SIGNATURE));
      assert.equal(readError(extra).Code, 'SignatureDoesNotMatch');
      // And the signature itself.
      const flipped = await sendV1(service, withSignature(TV1, 'PLeaidS1JvxuMvnyHOwuJ+uX5qY='));
      assert.equal(readError(flipped).Code, 'SignatureDoesNotMatch');
      assert.equal(service.callers.length, 0);
      // The untouched request still verifies on the same service: nothing above burnt its nonce.
      assert.equal((await sendV1(service, withSignature(TV1, TV1_SIGNATURE))).status, 200);
    });

    it('TV-1b: the old TimeStamp spelling verifies (the name is signed)', async () => {
      const service = authService(TV1_TIME);
      const pairs = TV1.map(([n, v]) => [n === 'Timestamp' ? 'TimeStamp' : n, v] as const);
      const res = await sendV1(service, withSignature(pairs, 'CT9X0VtwR86fNWSnsc6v8YGOjuE='));
      assert.equal(res.status, 200, res.text);
      const wrongName = await sendV1(authService(TV1_TIME), withSignature(pairs, TV1_SIGNATURE));
      assert.match(wrongName.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it('TV-2 (UTF-8 and JSON values, another Version) verifies; a changed character in the UTF-8 value fails', async () => {
      const service = authService(TV2_TIME);
      const res = await sendV1(service, withSignature(TV2, 'zJDF+Lrzhj/ThnlvIToysFRq6t4='));
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, /<AccessKeyId>testId<\/AccessKeyId>/);
      const changed = await sendV1(service, withSignature(replace(TV2, 'SignName', '阿里云短信测试专 '), 'zJDF+Lrzhj/ThnlvIToysFRq6t4='));
      assert.match(changed.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it('TV-4: the raw pop-core wire query (Signature last, unsorted) verifies', async () => {
      const service = authService(CAPTURE_TIME);
      assertOk(await request(service.callback).get('/?' + TV4_QUERY), 'ak');
      const tampered = await request(authService(CAPTURE_TIME).callback).get('/?' + TV4_QUERY.replace('i%202%2A', 'i%202%2B'));
      assertError(tampered, 400, 'SignatureDoesNotMatch');
    });

    it('TV-5: POST with query + form body verifies; moving the body into the query still does; changing it does not', async () => {
      const post = await request(authService(CAPTURE_TIME).callback).post('/?' + TV5_QUERY).type('form').send('Desc=x%20y');
      assertOk(post, 'ak');
      // The union is signed, not where each parameter travelled.
      const post2 = await request(authService(CAPTURE_TIME).callback).post('/?' + TV5_QUERY + '&Desc=x%20y');
      assertOk(post2, 'ak');
      const changed = await request(authService(CAPTURE_TIME).callback).post('/?' + TV5_QUERY).type('form').send('Desc=x%20z');
      assertError(changed, 400, 'SignatureDoesNotMatch');
      const asGet = await request(authService(CAPTURE_TIME).callback).get('/?' + TV5_QUERY + '&Desc=x%20y');
      assertError(asGet, 400, 'SignatureDoesNotMatch', /^Specified signature is not matched with our calculation\. server string to sign is:GET&%2F&/);
    });
  });

  describe('check order (docs/protocol.md §4.2): each request fails this step and every later one', () => {
    const NOW = Date.parse('2026-03-01T10:00:00Z');
    const service = () => authService(NOW);
    /** A request that passes every check. */
    const good = (): Pairs => commonV1('DescribeRegions', 'mock-ak', NOW);

    it('0. a correct request is served', async () => {
      assertOk(await sendV1(service(), signedV1(good(), 'mock-secret-Zq7')), 'mock-ak');
    });

    it('1. no AccessKeyId (nor anything else) → MissingParameter "AccessKeyId"', async () => {
      const res = await request(service().callback).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON');
      assertError(res, 400, 'MissingParameter', 'The input parameter "AccessKeyId" that is mandatory for processing this request is not supplied.');
      const empty = await request(service().callback).get('/?Action=DescribeRegions&Version=2014-05-26&Format=JSON&AccessKeyId=');
      assertError(empty, 400, 'MissingParameter', /"AccessKeyId"/);
    });

    it('2. no Signature (no Timestamp, no nonce, bad method) → MissingParameter "Signature"', async () => {
      const pairs = replace(replace(replace(good(), 'Timestamp', undefined), 'SignatureNonce', undefined), 'SignatureMethod', 'MD5');
      assertError(await sendV1(service(), pairs), 400, 'MissingParameter', /"Signature"/);
    });

    it('3. no Timestamp (no nonce, bad method) → MissingParameter "Timestamp"', async () => {
      const pairs = replace(replace(replace(good(), 'Timestamp', undefined), 'SignatureNonce', undefined), 'SignatureMethod', 'MD5');
      assertError(await sendV1(service(), [...pairs, ['Signature', 'x']]), 400, 'MissingParameter', /"Timestamp"/);
    });

    it('4. no SignatureNonce (bad method, expired timestamp) → MissingParameter "SignatureNonce"', async () => {
      const pairs = replace(replace(replace(good(), 'SignatureNonce', undefined), 'SignatureMethod', 'MD5'), 'Timestamp', '2020-01-01T00:00:00Z');
      assertError(await sendV1(service(), [...pairs, ['Signature', 'x']]), 400, 'MissingParameter', /"SignatureNonce"/);
    });

    it('5. SignatureMethod not HMAC-SHA1 (bad version, bad timestamp) → InvalidParamater "SignatureMethod"', async () => {
      const pairs = replace(replace(replace(good(), 'SignatureMethod', 'HMAC-SHA256'), 'SignatureVersion', '2.0'), 'Timestamp', 'yesterday');
      assertError(await sendV1(service(), [...pairs, ['Signature', 'x']]), 400, 'InvalidParamater', 'The specified parameter "SignatureMethod" is not valid.');
      const absent = replace(good(), 'SignatureMethod', undefined);
      assertError(await sendV1(service(), [...absent, ['Signature', 'x']]), 400, 'InvalidParamater', /"SignatureMethod"/);
    });

    it('6. SignatureVersion not 1.0 (bad timestamp, unknown key) → InvalidParamater "SignatureVersion"', async () => {
      const pairs = replace(replace(replace(good(), 'SignatureVersion', '2.0'), 'Timestamp', 'yesterday'), 'AccessKeyId', 'nobody');
      assertError(await sendV1(service(), [...pairs, ['Signature', 'x']]), 400, 'InvalidParamater', 'The specified parameter "SignatureVersion" is not valid.');
    });

    it('7a. unparseable Timestamp (unknown key) → IllegalTimestamp, "not well formatted"', async () => {
      for (const bad of ['yesterday', '2026-03-01 10:00:00', '2026-03-01T10:00:00+08:00', '2026-02-30T10:00:00Z', '1772359200']) {
        const pairs = replace(replace(good(), 'Timestamp', bad), 'AccessKeyId', 'nobody');
        assertError(await sendV1(service(), [...pairs, ['Signature', 'x']]), 400, 'IllegalTimestamp', /not well formatted: Timestamp must be a UTC time written YYYY-MM-DDThh:mm:ssZ/);
      }
    });

    it('7b. a request signed 20 minutes ago (unknown key) → IllegalTimestamp, "expired … before the server time"', async () => {
      const pairs = replace(replace(good(), 'Timestamp', isoSeconds(NOW - 20 * 60_000)), 'AccessKeyId', 'nobody');
      assertError(
        await sendV1(service(), [...pairs, ['Signature', 'x']]),
        400,
        'IllegalTimestamp',
        'Specified time stamp or date value is expired: Timestamp 2026-03-01T09:40:00Z is more than 15 minutes before the server time 2026-03-01T10:00:00Z.',
      );
    });

    it('7c. 20 minutes in the future → IllegalTimestamp, "after"; the TimeStamp spelling is named', async () => {
      const pairs = replace(replace(good(), 'Timestamp', undefined), 'AccessKeyId', 'nobody');
      const res = await sendV1(service(), [...pairs, ['TimeStamp', isoSeconds(NOW + 20 * 60_000)], ['Signature', 'x']]);
      assertError(res, 400, 'IllegalTimestamp', /TimeStamp 2026-03-01T10:20:00Z is more than 15 minutes after the server time/);
    });

    it('8. unknown AccessKeyId (malformed signature) → InvalidAccessKeyId.NotFound', async () => {
      const pairs = replace(good(), 'AccessKeyId', 'nobody');
      assertError(await sendV1(service(), [...pairs, ['Signature', 'short']]), 400, 'InvalidAccessKeyId.NotFound');
    });

    it('9. disabled key (malformed signature) → Forbidden.AccessKeyDisabled 403', async () => {
      const pairs = replace(good(), 'AccessKeyId', 'disabled-ak');
      assertError(await sendV1(service(), [...pairs, ['Signature', 'short']]), 403, 'Forbidden.AccessKeyDisabled');
      // Even correctly signed.
      assertError(await sendV1(service(), signedV1(pairs, 'disabled-secret-Zq7')), 403, 'Forbidden.AccessKeyDisabled');
    });

    it('10. a Signature that cannot be an HMAC-SHA1 (nonce already used) → IncompleteSignature', async () => {
      const s = service();
      const first = signedV1(good(), 'mock-secret-Zq7');
      assertOk(await sendV1(s, first), 'mock-ak');
      const sig = (first.find(([n]) => n === 'Signature') as readonly [string, string])[1];
      for (const bad of ['short', sig.slice(0, -2), sig.replace('=', ''), sig.slice(0, 10) + ' ' + sig.slice(11), sig + 'A']) {
        const res = await sendV1(s, [...first.filter(([n]) => n !== 'Signature'), ['Signature', bad]]);
        assertError(res, 400, 'IncompleteSignature', /Signature must be the 28-character base64 of an HMAC-SHA1/);
      }
    });

    it('11. a forged signature (nonce already used) → SignatureDoesNotMatch, not SignatureNonceUsed', async () => {
      const s = service();
      const first = signedV1(good(), 'mock-secret-Zq7');
      assertOk(await sendV1(s, first), 'mock-ak');
      const forged = signedV1([...first.filter(([n]) => n !== 'Signature'), ['RegionId', 'cn-beijing']], 'guessed-secret');
      const body = assertError(await sendV1(s, forged), 400, 'SignatureDoesNotMatch');
      const expectedStringToSign = 'GET&%2F&' + refEncode(refCanonical(forged.filter(([n]) => n !== 'Signature')));
      assert.equal(body.Message, SIGNATURE_MISMATCH_PREFIX + expectedStringToSign);
      assert.equal(String(body.Message).split(':').length, 2, 'Python splits on ":"; the string to sign has none');
    });

    it('12. replaying a correct request → SignatureNonceUsed', async () => {
      const s = service();
      const pairs = signedV1(good(), 'mock-secret-Zq7');
      assertOk(await sendV1(s, pairs), 'mock-ak');
      assertError(await sendV1(s, pairs), 400, 'SignatureNonceUsed');
      // Replayed as POST with the same nonce but re-signed for POST: still the same nonce.
      const asPost = signedV1(pairs.filter(([n]) => n !== 'Signature'), 'mock-secret-Zq7', 'POST');
      assertError(await sendV1(s, asPost, 'POST'), 400, 'SignatureNonceUsed');
      assert.equal(s.runs.get('DescribeRegions'), 1);
    });
  });

  describe('parameter details', () => {
    const NOW = Date.parse('2026-03-01T10:00:00Z');

    it('a parameter given twice is InvalidParameter (which value would be meant?)', async () => {
      for (const name of ['AccessKeyId', 'Signature', 'Timestamp', 'SignatureNonce', 'SignatureMethod', 'SecurityToken']) {
        const twice: Pairs = name === 'SecurityToken' ? [[name, 'a'], [name, 'b']] : [[name, 'again']];
        const pairs = signedV1([...commonV1('DescribeRegions', 'mock-ak', NOW), ...twice], 'mock-secret-Zq7');
        const extra = name === 'Signature' ? [...pairs, ['Signature', 'again'] as const] : pairs;
        assertError(await sendV1(authService(NOW), extra), 400, 'InvalidParameter', new RegExp(`"${name}" must not be given more than once`));
      }
    });

    it('Timestamp and TimeStamp together are refused', async () => {
      const pairs = signedV1([...commonV1('DescribeRegions', 'mock-ak', NOW), ['TimeStamp', isoSeconds(NOW)]], 'mock-secret-Zq7');
      assertError(await sendV1(authService(NOW), pairs), 400, 'InvalidParameter', 'Give either Timestamp or TimeStamp, not both.');
    });

    it('SignatureMethod in any case; Timestamp with milliseconds; the window edges', async () => {
      const lower = replace(commonV1('DescribeRegions', 'mock-ak', NOW), 'SignatureMethod', 'Hmac-SHA1');
      assertOk(await sendV1(authService(NOW), signedV1(lower, 'mock-secret-Zq7')), 'mock-ak');
      const millis = replace(commonV1('DescribeRegions', 'mock-ak', NOW), 'Timestamp', new Date(NOW + 678).toISOString());
      assertOk(await sendV1(authService(NOW), signedV1(millis, 'mock-secret-Zq7')), 'mock-ak');
      for (const [offset, ok] of [[-15 * 60_000, true], [15 * 60_000, true], [-15 * 60_000 - 1000, false], [15 * 60_000 + 1000, false]] as const) {
        const pairs = signedV1(replace(commonV1('DescribeRegions', 'mock-ak', NOW), 'Timestamp', isoSeconds(NOW + offset)), 'mock-secret-Zq7');
        const res = await sendV1(authService(NOW), pairs);
        if (ok) assertOk(res, 'mock-ak');
        else assertError(res, 400, 'IllegalTimestamp', /expired/);
      }
    });

    it('timestampWindowMs and timestampErrorCodes: "InvalidTimeStamp" gives the gateway codes', async () => {
      const service = authService(NOW, { timestampWindowMs: 60_000, timestampErrorCodes: 'InvalidTimeStamp' });
      const late = signedV1(replace(commonV1('DescribeRegions', 'mock-ak', NOW), 'Timestamp', isoSeconds(NOW - 61_000)), 'mock-secret-Zq7');
      assertError(await sendV1(service, late), 400, 'InvalidTimeStamp.Expired', /more than 1 minute before/);
      const bad = signedV1(replace(commonV1('DescribeRegions', 'mock-ak', NOW), 'Timestamp', 'now'), 'mock-secret-Zq7');
      assertError(await sendV1(service, bad), 400, 'InvalidTimeStamp.Format', /not well formatted/);
    });

    it('an empty business value and a repeated business name are signed as received', async () => {
      const pairs = signedV1(commonV1('DescribeRegions', 'mock-ak', NOW, [['Empty', ''], ['Dup', 'b'], ['Dup', 'a']]), 'mock-secret-Zq7');
      assertOk(await sendV1(authService(NOW), pairs), 'mock-ak');
      // Reordering the repeated values changes the signed string.
      const reordered = pairs.map(([n, v]) => [n, n === 'Dup' ? (v === 'a' ? 'b' : 'a') : v] as const);
      assertError(await sendV1(authService(NOW), reordered), 400, 'SignatureDoesNotMatch');
    });

    it('a V1 request signed with a reference signature over query + body split verifies', async () => {
      const pairs = commonV1('DescribeRegions', 'mock-ak', NOW, [['RegionId', 'cn-hangzhou'], ['Name', "a b*c~d/e+f=g&h%i!j'k(l)m 中文 😀"]]);
      const signature = refSignV1('POST', pairs.map(([n, v]) => [n, v] as const), 'mock-secret-Zq7');
      const query = wire(pairs.slice(0, 4));
      const body = wire([...pairs.slice(4), ['Signature', signature]]);
      assertOk(await request(authService(NOW).callback).post('/?' + query).type('form').send(body), 'mock-ak');
    });
  });

  describe('anonymous and unknown actions', () => {
    const NOW = Date.parse('2026-03-01T10:00:00Z');

    it('an anonymous action skips authentication, even with a bad signature', async () => {
      const service = authService(NOW);
      const res = await request(service.callback).get('/?Action=Ping&Version=2014-05-26&Format=JSON');
      assert.equal(res.status, 200, res.text);
      const forged = await request(service.callback).get('/?Action=Ping&Version=2014-05-26&Format=JSON&AccessKeyId=nobody&Signature=x');
      assert.equal(forged.status, 200, forged.text);
      assert.deepEqual(service.callers, [undefined, undefined]);
    });

    it('an unknown action is authenticated first: unsigned → MissingParameter "AccessKeyId"; signed → InvalidAction', async () => {
      const service = authService(NOW);
      assertError(await request(service.callback).get('/?Action=DeleteEverything&Version=2014-05-26&Format=JSON'), 400, 'MissingParameter', /"AccessKeyId"/);
      const signed = signedV1(commonV1('DeleteEverything', 'mock-ak', NOW), 'mock-secret-Zq7');
      assertError(await sendV1(service, signed), 403, 'InvalidAction');
    });

    it('Action and Version come first (the RPC API checks them before authenticating)', async () => {
      assertError(await request(authService(NOW).callback).get('/?Version=2014-05-26&Format=JSON'), 400, 'MissingParameter', /"Action"/);
    });
  });
});
