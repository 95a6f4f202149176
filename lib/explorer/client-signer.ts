/**
 * The explorer page's Signature V3 signer (`ACS3-HMAC-SHA256`), as browser JavaScript: it runs in
 * the page, on WebCrypto (`crypto.subtle`), so the AccessKeySecret never leaves the browser. The
 * rules are those of lib/auth/signature-v3.ts (docs/authentication.md): canonical URI per segment,
 * query sorted by code point and POP-encoded (RFC 3986), `host` + `content-type` + every `x-acs-*`
 * header signed, hex SHA-256 of the canonical request, hex HMAC keyed with the raw secret.
 *
 * It defines one global, `AcsSigner`, and touches nothing else: test/explorer runs it in Node (vm)
 * and in Chromium against the published test vector and the server's verifier.
 */
export const SIGNER_SCRIPT = String.raw`
var AcsSigner = (function () {
  'use strict';
  var ALGORITHM = 'ACS3-HMAC-SHA256';
  var utf8 = new TextEncoder();

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  /** RFC 3986: encodeURIComponent plus ! ' ( ) *; a lone surrogate is sent as U+FFFD, as the server reads it. */
  function popEncode(text) {
    var wellFormed = typeof text.toWellFormed === 'function' ? text.toWellFormed() : text;
    return encodeURIComponent(wellFormed).replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function codePointRank(unit) {
    if (unit >= 0xd800) return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
    return unit;
  }

  function compareCodePoints(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) return codePointRank(x) - codePointRank(y);
    }
    return a.length - b.length;
  }

  /** pairs: [[name, value], ...]; a repeated name keeps its values in the given order (stable sort). */
  function canonicalQuery(pairs) {
    var sorted = pairs.slice().sort(function (x, y) { return compareCodePoints(x[0], y[0]); });
    return sorted.map(function (pair) { return popEncode(pair[0]) + '=' + popEncode(pair[1]); }).join('&');
  }

  /** The query string sent on the wire: the same encoding, in the given order. */
  function queryString(pairs) {
    return pairs.map(function (pair) { return popEncode(pair[0]) + '=' + popEncode(pair[1]); }).join('&');
  }

  function decodeSegment(segment) {
    try { return decodeURIComponent(segment); } catch (e) { return segment; }
  }

  function canonicalUri(path) {
    if (path === '' || path === '/') return '/';
    return path.split('/').map(function (segment) { return popEncode(decodeSegment(segment)); }).join('/');
  }

  function sha256Hex(text) {
    return crypto.subtle.digest('SHA-256', utf8.encode(text)).then(hex);
  }

  function hmacHex(secret, text) {
    return crypto.subtle
      .importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      .then(function (key) { return crypto.subtle.sign('HMAC', key, utf8.encode(text)); })
      .then(hex);
  }

  function isSigned(name) {
    return name === 'host' || name === 'content-type' || name.indexOf('x-acs-') === 0;
  }

  /**
   * input: { method, host, path, query: [[name, value]], headers: { lower-case name: value }, body,
   * accessKeyId, accessKeySecret }. Resolves to { headers (with x-acs-content-sha256 and
   * authorization, without host), canonicalRequest, stringToSign, signature }.
   */
  function sign(input) {
    var body = input.body || '';
    return sha256Hex(body).then(function (payloadHash) {
      var headers = {};
      Object.keys(input.headers).forEach(function (name) { headers[name.toLowerCase()] = String(input.headers[name]); });
      headers['x-acs-content-sha256'] = payloadHash;
      var all = Object.assign({ host: input.host }, headers);
      var names = Object.keys(all).filter(isSigned).sort();
      var canonicalHeaders = names.map(function (name) { return name + ':' + all[name].trim() + '\n'; }).join('');
      var signedHeaders = names.join(';');
      var canonicalRequest = [input.method, canonicalUri(input.path), canonicalQuery(input.query), canonicalHeaders, signedHeaders, payloadHash].join('\n');
      return sha256Hex(canonicalRequest).then(function (requestHash) {
        var stringToSign = ALGORITHM + '\n' + requestHash;
        return hmacHex(input.accessKeySecret, stringToSign).then(function (signature) {
          headers.authorization = ALGORITHM + ' Credential=' + input.accessKeyId + ',SignedHeaders=' + signedHeaders + ',Signature=' + signature;
          return { headers: headers, canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature };
        });
      });
    });
  }

  /** x-acs-date: UTC, whole seconds. */
  function acsDate(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** x-acs-signature-nonce: 128 random bits, hex. */
  function nonce() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return hex(bytes.buffer);
  }

  return { popEncode: popEncode, canonicalQuery: canonicalQuery, queryString: queryString, canonicalUri: canonicalUri, sign: sign, acsDate: acsDate, nonce: nonce };
})();
`;
