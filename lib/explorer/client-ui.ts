/**
 * The explorer page's behaviour, as browser JavaScript run after the signer (client-signer.ts):
 * on submit, collect the form's parameters, sign them with the AccessKey typed in the page (kept in
 * the inputs only: never sent, never stored), send the request, and show status, headers,
 * RequestId, error code and body, with the equivalent curl and @alicloud/pop-core snippets.
 * Everything shown is written with `textContent`: a response can never become markup.
 */
export const UI_SCRIPT = String.raw`
(function () {
  'use strict';
  var endpoint = new URL(document.body.getAttribute('data-endpoint') || '/', location.href);
  var keyIdInput = document.getElementById('access-key-id');
  var secretInput = document.getElementById('access-key-secret');
  var canSign = typeof crypto !== 'undefined' && typeof crypto.subtle !== 'undefined';
  if (!canSign) document.getElementById('no-webcrypto').hidden = false;

  function setText(root, selector, text) {
    root.querySelector(selector).textContent = text;
  }

  function trimTrailingEmpty(lines) {
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    return lines;
  }

  /** The form's parameters as [name, value] pairs, or throws an Error with a message for the person. */
  function collect(form) {
    var pairs = [['Format', form.querySelector('[name="@format"]').value]];
    form.querySelectorAll('[data-param]').forEach(function (input) {
      var name = input.getAttribute('data-param');
      if (input.hasAttribute('data-list')) {
        trimTrailingEmpty(input.value.split(/\r?\n/)).forEach(function (line, i) {
          pairs.push([name.replace('.N', '.' + (i + 1)), line]);
        });
      } else if (input.value !== '') {
        pairs.push([name, input.value]);
      }
    });
    trimTrailingEmpty(form.querySelector('[name="@extra"]').value.split(/\r?\n/)).forEach(function (line) {
      if (line.trim() === '') return;
      var at = line.indexOf('=');
      if (at <= 0) throw new Error('More parameters: write each line as Name=value (' + JSON.stringify(line) + ')');
      pairs.push([line.slice(0, at).trim(), line.slice(at + 1)]);
    });
    return pairs;
  }

  function shellQuote(text) {
    return "'" + text.replace(/'/g, "'\\''") + "'";
  }

  function curlSnippet(method, url, headers) {
    var lines = ['curl -sS -X ' + method + ' ' + shellQuote(url)];
    Object.keys(headers).forEach(function (name) { lines.push('  -H ' + shellQuote(name + ': ' + headers[name])); });
    return lines.join(' \\\n');
  }

  function popCoreSnippet(action, version, method, pairs, accessKeyId) {
    var params = {};
    pairs.forEach(function (pair) { if (pair[0] !== 'Format' && pair[0] !== 'Action' && pair[0] !== 'Version') params[pair[0]] = pair[1]; });
    var base = endpoint.origin + (endpoint.pathname === '/' ? '' : endpoint.pathname);
    return [
      "const RPCClient = require('@alicloud/pop-core');",
      'const client = new RPCClient({',
      '  accessKeyId: ' + JSON.stringify(accessKeyId || 'your-access-key-id') + ',',
      '  accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,',
      '  endpoint: ' + JSON.stringify(base) + ',',
      '  apiVersion: ' + JSON.stringify(version) + ',',
      '});',
      'const result = await client.request(' + JSON.stringify(action) + ', ' + JSON.stringify(params, null, 2) + ", { method: '" + method + "' });",
      'console.log(result);',
    ].join('\n');
  }

  /** RequestId and Code of a JSON or XML answer (or the x-acs-request-id header). */
  function summary(text, headers) {
    var found = { requestId: headers.get('x-acs-request-id') || '', code: '', pretty: text };
    try {
      var json = JSON.parse(text);
      if (json && typeof json === 'object') {
        if (typeof json.RequestId === 'string') found.requestId = json.RequestId;
        if (typeof json.Code === 'string') found.code = json.Code;
        found.pretty = JSON.stringify(json, null, 2);
      }
      return found;
    } catch (e) { /* not JSON: XML, or something else shown as is */ }
    var xml = new DOMParser().parseFromString(text, 'application/xml');
    if (xml.getElementsByTagName('parsererror').length === 0 && xml.documentElement) {
      var root = xml.documentElement;
      for (var child = root.firstElementChild; child; child = child.nextElementSibling) {
        if (child.tagName === 'RequestId') found.requestId = child.textContent;
        if (child.tagName === 'Code' && root.tagName === 'Error') found.code = child.textContent;
      }
    }
    return found;
  }

  async function run(form, result, sendIt) {
    var action = form.getAttribute('data-action');
    var versionSelect = form.querySelector('[name="@version"]');
    var version = versionSelect ? versionSelect.value : form.getAttribute('data-version');
    var method = form.querySelector('[name="@method"]').value;
    var pairs = collect(form);
    var accessKeyId = keyIdInput.value.trim();
    var secret = secretInput.value;
    var headers;
    if (accessKeyId === '' && secret === '' && form.hasAttribute('data-unsigned')) {
      pairs.unshift(['Action', action], ['Version', version]);
      headers = {};
    } else {
      if (!canSign) throw new Error('This browser offers no WebCrypto here: open the page over HTTPS or from localhost to sign requests.');
      if (accessKeyId === '' || secret === '') throw new Error('Type an AccessKeyId and its AccessKeySecret first (at the top of the page).');
      var signed = await AcsSigner.sign({
        method: method,
        host: endpoint.host,
        path: endpoint.pathname,
        query: pairs,
        headers: { 'x-acs-action': action, 'x-acs-version': version, 'x-acs-date': AcsSigner.acsDate(new Date()), 'x-acs-signature-nonce': AcsSigner.nonce() },
        body: '',
        accessKeyId: accessKeyId,
        accessKeySecret: secret,
      });
      headers = signed.headers;
    }
    var url = endpoint.origin + endpoint.pathname + (pairs.length > 0 ? '?' + AcsSigner.queryString(pairs) : '');
    result.hidden = false;
    ['.status', '.code', '.request-id', '.headers', '.body'].forEach(function (s) { setText(result, s, ''); });
    setText(result, '.curl', (sendIt ? '# Signed for one call: the page has now used its nonce. "Sign only" gives a fresh one.\n' : '') + curlSnippet(method, url, headers));
    setText(result, '.pop-core', popCoreSnippet(action, version, method, pairs, accessKeyId));
    if (!sendIt) {
      setText(result, '.status', 'Signed, not sent.');
      return;
    }
    setText(result, '.status', 'Sending…');
    var response = await fetch(url, { method: method, headers: headers, cache: 'no-store', credentials: 'omit' });
    var text = await response.text();
    var lines = [];
    response.headers.forEach(function (value, name) { lines.push(name + ': ' + value); });
    var found = summary(text, response.headers);
    setText(result, '.status', 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : ''));
    setText(result, '.code', found.code);
    setText(result, '.request-id', found.requestId);
    setText(result, '.headers', lines.join('\n'));
    setText(result, '.body', found.pretty);
    result.setAttribute('data-status', String(response.status));
  }

  document.querySelectorAll('form.try').forEach(function (form) {
    var result = form.nextElementSibling;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var sendIt = !(event.submitter && event.submitter.value === 'sign');
      result.removeAttribute('data-status');
      run(form, result, sendIt).catch(function (err) {
        result.hidden = false;
        setText(result, '.status', 'Not sent: ' + (err && err.message ? err.message : String(err)));
        result.setAttribute('data-status', 'error');
      });
    });
  });
})();
`;
