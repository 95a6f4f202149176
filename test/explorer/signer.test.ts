/**
 * The explorer page's browser signer, run in Node (a vm context holding only WebCrypto and
 * TextEncoder, as a page would): it reproduces the published V3 vectors and agrees with the
 * server's own canonical request, string to sign and signature (lib/auth/signature-v3.ts).
 * test/explorer/browser.test.ts runs the same script in Chromium.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { canonicalRequestV3, signV3, stringToSignV3 } from '../../lib/auth/index.js';
import { SIGNER_SCRIPT } from '../../lib/explorer/client-signer.js';
import { SIGNER_VECTORS, type SignerInput, type SignerOutput } from './signer-vectors.js';

interface AcsSigner {
  sign(input: SignerInput): Promise<SignerOutput>;
  popEncode(text: string): string;
  canonicalUri(path: string): string;
  acsDate(date: Date): string;
  nonce(): string;
}

function loadSigner(): AcsSigner {
  const context = vm.createContext({ crypto: globalThis.crypto, TextEncoder });
  vm.runInContext(SIGNER_SCRIPT + '\nglobalThis.exported = AcsSigner;', context);
  return (context as { exported: AcsSigner }).exported;
}

/** The server's view of the same request: decoded query as a null-prototype map, received headers. */
function serverSide(input: SignerInput, signed: SignerOutput): { canonicalRequest: string; stringToSign: string; signature: string } {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of input.query) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const headers: Record<string, string> = { host: input.host, ...signed.headers };
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(signed.headers.authorization ?? '')?.[1]?.split(';') ?? [];
  const canonicalRequest = canonicalRequestV3({ method: input.method, path: input.path, query, headers, signedHeaders, hashedPayload: createHash('sha256').update(input.body).digest('hex') });
  const stringToSign = stringToSignV3(canonicalRequest);
  return { canonicalRequest, stringToSign, signature: signV3(input.accessKeySecret, stringToSign) };
}

describe('explorer: the browser signer (Signature V3 on WebCrypto), in Node', () => {
  const signer = loadSigner();

  for (const vector of SIGNER_VECTORS) {
    it(`${vector.name}: the published signature, and the server's canonical request`, async () => {
      const signed = await signer.sign(vector.input);
      assert.equal(signed.signature, vector.signature);
      if (vector.hashedCanonicalRequest !== undefined) assert.equal(signed.stringToSign, `ACS3-HMAC-SHA256\n${vector.hashedCanonicalRequest}`);
      assert.deepEqual(serverSide(vector.input, signed), { canonicalRequest: signed.canonicalRequest, stringToSign: signed.stringToSign, signature: signed.signature });
      assert.match(signed.headers.authorization ?? '', new RegExp(`^ACS3-HMAC-SHA256 Credential=${vector.input.accessKeyId},SignedHeaders=[a-z0-9;-]+,Signature=${vector.signature}$`));
      assert.equal(signed.headers.host, undefined, 'the browser sets Host itself');
    });
  }

  it('agrees with the server on names and values that need encoding, repeated names and a non-root path', async () => {
    const input: SignerInput = {
      method: 'GET',
      host: 'localhost:8080',
      path: '/api/v1 x/(a)',
      query: [
        ['Name', "a b*c~d!'()"],
        ['Tag.1.Key', '中文 😀'],
        ['InstanceId.1', 'i-2'],
        ['Dup', 'second'],
        ['Dup', 'first'],
        ['Empty', ''],
      ],
      headers: { 'x-acs-action': 'A', 'x-acs-version': 'v', 'x-acs-date': '2026-01-01T00:00:00Z', 'x-acs-signature-nonce': 'n' },
      body: '',
      accessKeyId: 'id',
      accessKeySecret: 'secret with spaces & symbols',
    };
    const signed = await signer.sign(input);
    assert.deepEqual(serverSide(input, signed), { canonicalRequest: signed.canonicalRequest, stringToSign: signed.stringToSign, signature: signed.signature });
    assert.match(signed.canonicalRequest, /Dup=second&Dup=first/, 'a repeated name keeps its order');
    assert.equal(signer.popEncode("a b*c~d!'()"), 'a%20b%2Ac~d%21%27%28%29');
  });

  it('dates are whole-second UTC, nonces 32 random hex digits', () => {
    assert.equal(signer.acsDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))), '2026-01-02T03:04:05Z');
    const a = signer.nonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(signer.nonce(), a);
  });
});
