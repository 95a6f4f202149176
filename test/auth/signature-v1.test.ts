import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  canonicalQueryV1,
  isWellFormedV1Signature,
  signV1,
  stringToSignV1,
  verifyV1,
  type ParamMap,
} from '../../lib/auth/index.js';
import { mergeParams, parseUrlencoded } from '../../lib/core/params/urlencoded.js';
import { decodeFormStrict, flipChar, params } from './support.js';

interface V1Vector {
  readonly name: string;
  readonly method: string;
  readonly secret: string;
  readonly params: ParamMap;
  readonly signature: string;
  readonly stringToSign?: string;
}

const TV1_PARAMS = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
};

const { Timestamp: tv1Timestamp, ...tv1WithoutTimestamp } = TV1_PARAMS;

/** TV-4: the raw wire query of a pop-core 1.8.0 GET, decoded strictly (docs/protocol.md §4.3). */
const TV4_WIRE =
  'AccessKeyId=ak&Action=DescribeRegions&Format=JSON&InstanceId.1=i-1&InstanceId.2=i%202%2A&Name=a%2Bb%21~' +
  '&SignatureMethod=HMAC-SHA1&SignatureNonce=e438d631d2af5c82f5175ee3e6dc412a&SignatureVersion=1.0' +
  '&Timestamp=2026-11-29T18%3A43%3A17Z&Version=2014-05-26&Signature=LcYdNScKjqrUSivgXm2Lopk4iA8%3D';

/** TV-5: openapi-client 0.4.15 V2 POST; query and form body merged. */
const TV5_QUERY =
  'Action=DescribeRegions&Format=json&Version=2014-05-26&Timestamp=2026-11-29T18%3A43%3A17Z' +
  '&SignatureNonce=e289c9c4417bdc6630f59888ac7e9c8c&RegionId=cn-hangzhou&Tag.1.Key=k&Tag.1.Value=v%20w' +
  '&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=ak&Signature=uIJvyiKdLhyTL53%2FnfOC9Oi6AMI%3D';
const TV5_BODY = 'Desc=x%20y';

const VECTORS: readonly V1Vector[] = [
  {
    name: 'TV-1 official DescribeRegions example',
    method: 'GET',
    secret: 'testsecret',
    params: params(TV1_PARAMS),
    signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
    stringToSign:
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
      '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
      '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  },
  {
    name: 'TV-1b old TimeStamp spelling',
    method: 'GET',
    secret: 'testsecret',
    params: params({ ...tv1WithoutTimestamp, TimeStamp: tv1Timestamp }),
    signature: 'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
  },
  {
    name: 'TV-2 SMS SendSms with UTF-8 and JSON values',
    method: 'GET',
    secret: 'testSecret',
    params: params({
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    }),
    signature: 'zJDF+Lrzhj/ThnlvIToysFRq6t4=',
  },
  {
    name: 'TV-4 pop-core wire capture decoded strictly',
    method: 'GET',
    secret: 'sk',
    params: decodeFormStrict(TV4_WIRE),
    signature: 'LcYdNScKjqrUSivgXm2Lopk4iA8=',
  },
  {
    name: 'TV-5 openapi-client V2 POST, query + body union',
    method: 'POST',
    secret: 'sk',
    params: decodeFormStrict(TV5_BODY, decodeFormStrict(TV5_QUERY)),
    signature: 'uIJvyiKdLhyTL53/nfOC9Oi6AMI=',
  },
];

/** Copy a param map with one entry replaced (`rename` gives the new name of `name`). */
function withChange(p: ParamMap, name: string, rename: string, value: string | readonly string[]): ParamMap {
  const out: Record<string, string | readonly string[]> = Object.create(null);
  for (const key of Object.keys(p)) {
    if (key === name) out[rename] = value;
    else out[key] = p[key] as string | readonly string[];
  }
  return out;
}

describe('auth/signature-v1', () => {
  describe('docs/protocol.md test vectors', () => {
    for (const tv of VECTORS) {
      describe(tv.name, () => {
        it('signs to the published signature and verifies', () => {
          const sts = stringToSignV1(tv.method, tv.params);
          if (tv.stringToSign !== undefined) assert.equal(sts, tv.stringToSign);
          assert.equal(signV1(sts, tv.secret), tv.signature);
          const r = verifyV1({ method: tv.method, params: tv.params, signature: tv.signature, accessKeySecret: tv.secret });
          assert.deepEqual(r, { ok: true, stringToSign: sts });
        });

        it('fails after a one-character change to any parameter name or value', () => {
          let checked = 0;
          for (const name of Object.keys(tv.params)) {
            if (name === 'Signature') continue; // excluded from the string by definition
            const value = tv.params[name] as string;
            for (let i = 0; i < name.length; i++) {
              const changed = withChange(tv.params, name, flipChar(name, i), value);
              assert.equal(verifyV1({ method: tv.method, params: changed, signature: tv.signature, accessKeySecret: tv.secret }).ok, false, `name ${name}[${i}]`);
              checked++;
            }
            for (let i = 0; i < value.length; i++) {
              const changed = withChange(tv.params, name, name, flipChar(value, i));
              assert.equal(verifyV1({ method: tv.method, params: changed, signature: tv.signature, accessKeySecret: tv.secret }).ok, false, `value ${name}[${i}]`);
              checked++;
            }
          }
          assert.ok(checked > 100);
        });

        it('fails for another method, a changed secret, or a changed signature', () => {
          const base = { params: tv.params, signature: tv.signature, accessKeySecret: tv.secret };
          const other = tv.method === 'GET' ? 'POST' : 'GET';
          assert.equal(verifyV1({ ...base, method: other }).ok, false);
          assert.equal(verifyV1({ ...base, method: tv.method.toLowerCase() }).ok, false);
          for (let i = 0; i < tv.secret.length; i++) {
            assert.equal(verifyV1({ ...base, method: tv.method, accessKeySecret: flipChar(tv.secret, i) }).ok, false);
          }
          assert.equal(verifyV1({ ...base, method: tv.method, accessKeySecret: tv.secret + '&' }).ok, false);
          for (let i = 0; i < tv.signature.length - 1; i++) {
            assert.equal(verifyV1({ ...base, method: tv.method, signature: flipChar(tv.signature, i) }).ok, false);
          }
        });

        it('fails when a parameter is added or removed (empty values count)', () => {
          const base = { method: tv.method, signature: tv.signature, accessKeySecret: tv.secret };
          const added: Record<string, string | readonly string[]> = Object.create(null);
          for (const key of Object.keys(tv.params)) added[key] = tv.params[key] as string;
          added.Extra = '';
          assert.equal(verifyV1({ ...base, params: added }).ok, false);
          const removed: Record<string, string | readonly string[]> = Object.create(null);
          for (const key of Object.keys(tv.params).filter((k) => k !== 'SignatureNonce')) removed[key] = tv.params[key] as string;
          assert.equal(verifyV1({ ...base, params: removed }).ok, false);
        });
      });
    }

    it('TV-3 raw HMAC-SHA1 unit vectors (key given without the & suffix)', () => {
      // signV1 appends '&', so check the underlying primitive the python core tests.
      const b64 = (key: string, s: string): string => createHmac('sha1', key).update(s, 'utf8').digest('base64');
      assert.equal(b64('secret', 'source'), 'Jv4yi8SobFhg5t1C7nWLbhBSFZQ=');
      assert.equal(b64('secret', '中文unicode'), 'szlfHs3WVaO/HgY3Cg7/uyXDaRw=');
      // signV1 is exactly that primitive keyed with secret + '&'.
      assert.equal(signV1('source', 'secret'), b64('secret&', 'source'));
      assert.equal(signV1('中文unicode', 'secret'), b64('secret&', '中文unicode'));
    });
  });

  describe('with the envelope\'s own urlencoded parser (lib/core/params)', () => {
    const limits = { maxParameters: 100 };

    it('TV-4 wire query verifies', () => {
      const all = parseUrlencoded(TV4_WIRE, limits);
      assert.equal(verifyV1({ method: 'GET', params: all, signature: all.Signature as string, accessKeySecret: 'sk' }).ok, true);
    });

    it('TV-5 query + body union verifies with POST only', () => {
      const all = mergeParams(parseUrlencoded(TV5_QUERY, limits), parseUrlencoded(TV5_BODY, limits));
      const input = { params: all, signature: all.Signature as string, accessKeySecret: 'sk' };
      assert.equal(verifyV1({ ...input, method: 'POST' }).ok, true);
      assert.equal(verifyV1({ ...input, method: 'GET' }).ok, false);
      assert.equal(verifyV1({ ...input, method: 'POST', params: parseUrlencoded(TV5_QUERY, limits) }).ok, false); // body left out
    });
  });

  describe('canonicalQueryV1', () => {
    it('excludes only Signature (case-sensitive) and keeps empty values', () => {
      const p = params({ Signature: 'x', signature: 'y', SignatureType: '', A: '' });
      assert.equal(canonicalQueryV1(p), 'A=&SignatureType=&signature=y');
    });

    it('sorts names by code point, not by encoded form', () => {
      // raw '~' (0x7E) sorts before 'é' (U+00E9); their encodings ('~' vs '%C3%A9') would sort the other way
      const p = params({ 'a\u00e9': '2', 'a~': '1', B: '0' });
      assert.equal(canonicalQueryV1(p), 'B=0&a~=1&a%C3%A9=2');
    });

    it('emits each value of a repeated name in received order', () => {
      const p = decodeFormStrict('b=2&a=z&b=1&b=3');
      assert.equal(canonicalQueryV1(p), 'a=z&b=2&b=1&b=3');
    });

    it('verifies a client that signed repeated keys in wire order and rejects another order', () => {
      const p = decodeFormStrict('Action=X&Id=2&Id=1');
      const sig = signV1('GET&%2F&' + encodeURIComponent('Action=X&Id=2&Id=1'), 's');
      assert.equal(verifyV1({ method: 'GET', params: p, signature: sig, accessKeySecret: 's' }).ok, true);
      const swapped = decodeFormStrict('Action=X&Id=1&Id=2');
      assert.equal(verifyV1({ method: 'GET', params: swapped, signature: sig, accessKeySecret: 's' }).ok, false);
    });

    it('is not fooled by a prototype-like name', () => {
      const p = decodeFormStrict('__proto__=x&constructor=y');
      assert.equal(canonicalQueryV1(p), '__proto__=x&constructor=y');
    });
  });

  describe('verifyV1 name order fallback', () => {
    it('accepts a client that sorted names by UTF-16 code unit when names hold emoji', () => {
      // '\uFFFD' < '😀' by code point; JavaScript's default sort puts '😀' (\uD83D…) first.
      const p = params({ '\uFFFD': '1', '😀': '2' });
      const utf16 = 'GET&%2F&' + encodeURIComponent(encodeURIComponent('😀') + '=2&' + encodeURIComponent('\uFFFD') + '=1');
      const sig = signV1(utf16, 's');
      const r = verifyV1({ method: 'GET', params: p, signature: sig, accessKeySecret: 's' });
      assert.equal(r.ok, true);
      assert.equal(r.stringToSign, utf16);
      assert.equal(verifyV1({ method: 'GET', params: p, signature: sig, accessKeySecret: 't' }).ok, false);
    });

    it('reports the code-point string to sign on failure', () => {
      const p = params({ '\uFFFD': '1', '😀': '2' });
      const r = verifyV1({ method: 'GET', params: p, signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', accessKeySecret: 's' });
      assert.equal(r.ok, false);
      assert.equal(r.stringToSign, 'GET&%2F&' + encodeURIComponent('%EF%BF%BD=1&%F0%9F%98%80=2'));
    });
  });

  describe('verifyV1 with malformed signatures', () => {
    it('returns false without throwing for any length', () => {
      const tv = VECTORS[0] as V1Vector;
      for (const signature of ['', 'x', tv.signature.slice(0, -1), tv.signature + '=', tv.signature + tv.signature, 'é'.repeat(14)]) {
        assert.equal(verifyV1({ method: 'GET', params: tv.params, signature, accessKeySecret: tv.secret }).ok, false);
      }
    });
  });

  describe('isWellFormedV1Signature', () => {
    it('accepts canonical base64 of 20 bytes', () => {
      for (const tv of VECTORS) assert.equal(isWellFormedV1Signature(tv.signature), true, tv.signature);
      assert.equal(isWellFormedV1Signature('AAAAAAAAAAAAAAAAAAAAAAAAAAA='), true);
      assert.equal(isWellFormedV1Signature('//////////////////////////8='), true);
    });

    it('rejects anything else', () => {
      const bad: unknown[] = [
        undefined,
        null,
        42,
        ['OLeaidS1JvxuMvnyHOwuJ+uX5qY='],
        '',
        'OLeaidS1JvxuMvnyHOwuJ+uX5qY', // no padding
        'OLeaidS1JvxuMvnyHOwuJ+uX5q=', // 27 chars
        'OLeaidS1JvxuMvnyHOwuJ+uX5qY==',
        'OLeaidS1JvxuMvnyHOwuJ uX5qY=', // '+' decoded as space
        'OLeaidS1JvxuMvnyHOwuJ-uX5qY=', // base64url
        'OLeaidS1JvxuMvnyHOwuJ+uX5qZ=', // non-zero trailing bits: not canonical
        'OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D',
        ' OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
        'OLeaidS1JvxuMvnyHOwuJ+uX5qY=\n',
      ];
      for (const value of bad) assert.equal(isWellFormedV1Signature(value), false, JSON.stringify(value));
    });
  });
});
