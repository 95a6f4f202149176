/**
 * Authentication attacks: signatures of the wrong length or alphabet, wrong keys and secrets,
 * timestamps in other formats and far away, replayed nonces, malformed V3 headers.
 */
import { randomUUID } from 'node:crypto';
import type { HostileCase } from '../case.js';
import { popTimestamp } from '../signing.js';
import { DISABLED_KEY } from '../service.js';
import { call, error, group, ILLEGAL_TIMESTAMP, INCOMPLETE_SIGNATURE, INVALID, KEY_NOT_FOUND, MISMATCH, MISSING, ok, signedGet, signedPost } from './helpers.js';

const signatures = group('V1 signatures of the wrong length or alphabet');
const keys = group('keys and secrets');
const timestamps = group('timestamps in other formats and far away');
const replays = group('replayed nonces');
const v3 = group('Signature V3 headers');

const regions = call('DescribeRegions');
const bad = (signature: (real: string) => string) => signedGet(regions, { version: 'V1', signature });
const at = (timestamp: string | (() => string)) => signedGet(regions, { version: 'V1', timestamp });
const v3At = (date: string) => signedGet(regions, { version: 'V3', date });
const minutes = (n: number) => popTimestamp(new Date(Date.now() + n * 60_000));
/** `n` minutes from when the case is sent (the corpus is built long before its last case runs). */
const fromSend = (n: number) => () => minutes(n);
const v3Auth = (authorization: string) => signedGet(regions, { version: 'V3', authorization: () => authorization });
const HEX64 = 'a'.repeat(64);
const CREDENTIAL = 'Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version';

/** One nonce per case (and per service: each service has its own nonce store). */
const nonce = () => `replayed-${randomUUID()}`;

export const AUTHENTICATION_CASES: readonly HostileCase[] = [
  signatures('27 characters', bad((s) => s.slice(0, 27)), INCOMPLETE_SIGNATURE),
  signatures('29 characters', bad((s) => `${s}A`), INCOMPLETE_SIGNATURE),
  signatures('no padding', bad((s) => s.slice(0, 27)), INCOMPLETE_SIGNATURE),
  signatures('empty', bad(() => ''), MISSING),
  signatures('URL-safe alphabet', bad((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/^./, '-')), INCOMPLETE_SIGNATURE),
  signatures('hex HMAC-SHA1 (40 characters)', bad(() => 'f'.repeat(40)), INCOMPLETE_SIGNATURE),
  signatures('base64 of 32 bytes (HMAC-SHA256 size)', bad(() => Buffer.alloc(32, 7).toString('base64')), INCOMPLETE_SIGNATURE),
  signatures('non-canonical last character', bad((s) => `${s.slice(0, 26)}B=`), INCOMPLETE_SIGNATURE),
  signatures('a raw "+" decoded as a space', { query: { raw: `Action=DescribeRegions&Version=2014-05-26&Signature=abc+def` } }, MISSING),
  signatures('leading whitespace', bad((s) => ` ${s}`), INCOMPLETE_SIGNATURE),
  signatures('NUL inside', bad((s) => `${s.slice(0, 10)}\u0000${s.slice(11)}`), INCOMPLETE_SIGNATURE),
  signatures('well formed but wrong', bad((s) => `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`), MISMATCH),
  signatures('all zero bytes', bad(() => Buffer.alloc(20).toString('base64')), MISMATCH),
  signatures('sent twice, once right', signedGet(call('DescribeRegions', ['Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='])), INVALID),
  signatures('missing', signedGet(regions, { version: 'V1', signature: null }), MISSING),
  signatures('SignatureMethod HMAC-SHA256', signedGet(regions, { version: 'V1', signatureMethod: 'HMAC-SHA256' }), error(400, 'InvalidParamater')),
  signatures('SignatureMethod missing', signedGet(regions, { version: 'V1', signatureMethod: null }), error(400, 'InvalidParamater')),
  signatures('SignatureVersion 2.0', signedGet(regions, { version: 'V1', signatureVersion: '2.0' }), error(400, 'InvalidParamater')),
  signatures('SignatureVersion missing', signedGet(regions, { version: 'V1', signatureVersion: null }), error(400, 'InvalidParamater')),
  signatures('everything in a POST body, common parameters too', { method: 'POST', query: [], form: regions, sign: { version: 'V1', inBody: true } }, ok()),

  keys('unknown AccessKeyId', signedGet(regions, { version: 'V1', accessKeyId: 'nobody' }), KEY_NOT_FOUND),
  keys('missing AccessKeyId', signedGet(regions, { version: 'V1', accessKeyId: null }), MISSING),
  keys('disabled key, right signature', signedGet(regions, { version: 'V1', ...DISABLED_KEY }), error(403, 'Forbidden.AccessKeyDisabled')),
  keys('right key, wrong secret', signedGet(regions, { version: 'V1', secret: 'not-the-secret' }), MISMATCH),
  keys('right key, empty secret', signedGet(regions, { version: 'V1', secret: '' }), MISMATCH),
  keys('AccessKeyId differing in case', signedGet(regions, { version: 'V1', accessKeyId: 'TESTID' }), KEY_NOT_FOUND),
  keys('AccessKeyId with a trailing space', signedGet(regions, { version: 'V1', accessKeyId: 'testid ' }), KEY_NOT_FOUND),
  keys('a SecurityToken for a key without one', signedGet(call('DescribeRegions', ['SecurityToken', 'sts-token'])), error(400, 'InvalidSecurityToken.MismatchWithAccessKey')),

  timestamps('space instead of T', at('2026-11-29 18:43:17Z'), ILLEGAL_TIMESTAMP),
  timestamps('with a +08:00 offset', at(minutes(0).replace('Z', '+08:00')), ILLEGAL_TIMESTAMP),
  timestamps('epoch seconds', at(String(Math.floor(Date.now() / 1000))), ILLEGAL_TIMESTAMP),
  timestamps('epoch milliseconds', at(String(Date.now())), ILLEGAL_TIMESTAMP),
  timestamps('lower-case t and z', at(minutes(0).toLowerCase()), ILLEGAL_TIMESTAMP),
  timestamps('a date only', at(minutes(0).slice(0, 10)), ILLEGAL_TIMESTAMP),
  timestamps('RFC 1123', at(new Date().toUTCString()), ILLEGAL_TIMESTAMP),
  timestamps('ten fraction digits', at(minutes(0).replace('Z', '.0123456789Z')), ILLEGAL_TIMESTAMP),
  timestamps('nine fraction digits (accepted)', at(minutes(0).replace('Z', '.123456789Z')), ok()),
  timestamps('six-digit year', at('+010000-01-01T00:00:00Z'), ILLEGAL_TIMESTAMP),
  timestamps('far future 9999-12-31', at('9999-12-31T23:59:59Z'), ILLEGAL_TIMESTAMP),
  timestamps('year 0000', at('0000-01-01T00:00:00Z'), ILLEGAL_TIMESTAMP),
  timestamps('the epoch', at('1970-01-01T00:00:00Z'), ILLEGAL_TIMESTAMP),
  timestamps('leap second :60', at('2026-06-30T23:59:60Z'), ILLEGAL_TIMESTAMP),
  timestamps('hour 24', at('2026-11-29T24:00:00Z'), ILLEGAL_TIMESTAMP),
  timestamps('February 30', at('2026-02-30T00:00:00Z'), ILLEGAL_TIMESTAMP),
  // Signed when sent, not when mocha loads the corpus (minutes earlier): the edges stay exact.
  timestamps('16 minutes ago', at(fromSend(-16)), ILLEGAL_TIMESTAMP),
  timestamps('16 minutes ahead', at(fromSend(16)), ILLEGAL_TIMESTAMP),
  timestamps('10 minutes ahead (inside the window)', at(fromSend(10)), ok()),
  timestamps('the old TimeStamp name (accepted)', signedGet(call('DescribeRegions', ['TimeStamp', minutes(0)]), { version: 'V1', timestamp: null }), ok()),
  timestamps('missing', signedGet(regions, { version: 'V1', timestamp: null }), MISSING),
  timestamps('full-width digits', at('２０２６-11-29T18:43:17Z'), ILLEGAL_TIMESTAMP),
  timestamps('V3 x-acs-date with an offset', v3At(minutes(0).replace('Z', '+00:00')), error(400, 'IllegalTimestamp', 'JSON')),
  timestamps('V3 x-acs-date far future', v3At('9999-12-31T23:59:59Z'), error(400, 'IllegalTimestamp', 'JSON')),
  timestamps('V3 x-acs-date as epoch seconds', v3At(String(Math.floor(Date.now() / 1000))), error(400, 'IllegalTimestamp', 'JSON')),

  replays('the same V1 request twice', { ...signedGet(regions, { version: 'V1', nonce: nonce() }), times: 2 }, error(400, 'SignatureNonceUsed')),
  replays('the same V1 POST twice', { ...signedPost(regions, [['RegionId', 'cn-hangzhou']], { version: 'V1', nonce: nonce() }), times: 2 }, error(400, 'SignatureNonceUsed')),
  replays('the same V3 request twice', { ...signedGet(regions, { version: 'V3', nonce: nonce() }), times: 2 }, error(400, 'SignatureNonceUsed', 'JSON')),
  replays('a V1 replay three times', { ...signedGet(regions, { version: 'V1', nonce: nonce() }), times: 3 }, error(400, 'SignatureNonceUsed')),
  replays('a replayed request that failed validation (the nonce was spent)', { ...signedGet(call('DescribeInstances'), { version: 'V1', nonce: nonce() }), times: 2 }, error(400, 'SignatureNonceUsed')),
  replays('a replay of a wrong signature stays a wrong signature', { ...signedGet(regions, { version: 'V1', nonce: nonce(), secret: 'wrong' }), times: 2 }, MISMATCH),

  v3('Authorization with only the algorithm', v3Auth('ACS3-HMAC-SHA256'), error(400, 'IncompleteSignature', 'JSON')),
  v3('signature of 63 hex digits', v3Auth(`ACS3-HMAC-SHA256 ${CREDENTIAL},Signature=${'a'.repeat(63)}`), error(400, 'IncompleteSignature', 'JSON')),
  v3('signature not hex', v3Auth(`ACS3-HMAC-SHA256 ${CREDENTIAL},Signature=${'z'.repeat(64)}`), error(400, 'IncompleteSignature', 'JSON')),
  v3('base64 signature', v3Auth(`ACS3-HMAC-SHA256 ${CREDENTIAL},Signature=${Buffer.alloc(32).toString('base64')}`), error(400, 'IncompleteSignature', 'JSON')),
  v3('well formed but wrong', v3Auth(`ACS3-HMAC-SHA256 ${CREDENTIAL},Signature=${HEX64}`), error(400, 'SignatureDoesNotMatch', 'JSON')),
  v3('upper-case hex of the right signature', signedGet(regions, { version: 'V3', authorization: (a) => a.replace(/Signature=([0-9a-f]+)$/, (_, hex: string) => `Signature=${hex.toUpperCase()}`) }), ok('JSON')),
  v3('Credential twice', v3Auth(`ACS3-HMAC-SHA256 Credential=testid,${CREDENTIAL},Signature=${HEX64}`), error(400, 'IncompleteSignature', 'JSON')),
  v3('unknown algorithm', v3Auth(`ACS3-HMAC-MD5 ${CREDENTIAL},Signature=${HEX64}`), error(400, 'IncompleteSignature', 'JSON')),
  v3('host not signed', signedGet(regions, { version: 'V3', signedHeaders: ['x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'] }), error(400, 'IncompleteSignature', 'JSON')),
  v3('x-acs-action not signed', signedGet(regions, { version: 'V3', signedHeaders: ['host', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'] }), error(400, 'IncompleteSignature', 'JSON')),
  v3('body hash of another body', signedPost(regions, [['RegionId', 'cn-hangzhou']], { version: 'V3', contentSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }), error(400, 'SignatureDoesNotMatch', 'JSON')),
  v3('body hash that is not hex', signedGet(regions, { version: 'V3', contentSha256: 'not-a-hash' }), error(400, 'SignatureDoesNotMatch', 'JSON')),
  v3('wrong secret', signedGet(regions, { version: 'V3', secret: 'wrong' }), error(400, 'SignatureDoesNotMatch', 'JSON')),
  v3('unknown key', signedGet(regions, { version: 'V3', accessKeyId: 'nobody' }), error(400, 'InvalidAccessKeyId.NotFound', 'JSON')),
  v3('a Bearer Authorization is not V3 (V1 rules apply)', { query: regions, headers: [['Authorization', 'Bearer abc']] }, MISSING),
  v3('signed for another Host', { query: regions, sign: { version: 'V3' }, noHost: true, headers: [['Host', 'evil.example']] }, error(400, 'SignatureDoesNotMatch', 'JSON')),
];
