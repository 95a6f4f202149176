/**
 * Which headers a V3 signature must cover for it to mean something, and the canonical header block.
 */

/** Request headers as Node exposes them: lower-case names; a repeated header may be an array. */
export type HeaderMap = { readonly [name: string]: string | readonly string[] | undefined };

/**
 * Always required in `SignedHeaders`:
 * - `host`: binds the request to this endpoint;
 * - `x-acs-date`: makes the ±15 min window check meaningful;
 * - `x-acs-signature-nonce`: makes the replay check meaningful;
 * - `x-acs-content-sha256`: the body hash (also the HashedPayload line; required so it is never optional).
 * Every current SDK (openapi-util / openapi-core `getAuthorization`) and the official doc example sign all four.
 */
export const REQUIRED_SIGNED_HEADERS_V3: readonly string[] = [
  'host',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
];

/**
 * Required in `SignedHeaders` whenever the request carries them, because they change what the request
 * does or who it acts as: the action and version (an unsigned `x-acs-action` could be swapped in flight)
 * and the STS / bearer credentials.
 *
 * Deliberately not required: `content-type` (the official doc example does not sign it; the body bytes
 * are bound by the hash anyway) and the informational `x-acs-*` headers (`x-acs-credentials-provider`,
 * `x-acs-retry-attempts`, …). The SDKs sign those too, and whatever is listed is verified.
 */
export const REQUIRED_IF_PRESENT_SIGNED_HEADERS_V3: readonly string[] = [
  'x-acs-action',
  'x-acs-version',
  'x-acs-security-token',
  'x-acs-bearer-token',
  'x-acs-accesskey-id',
];

/** The policy {@link checkSignedHeadersV3} applies; both lists lower-case. */
export interface SignedHeadersPolicy {
  readonly required?: readonly string[];
  readonly requiredIfPresent?: readonly string[];
}

/** Result of {@link checkSignedHeadersV3}; `headers` names the offending header names. */
export type SignedHeadersCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'unsigned-required' | 'signed-but-absent'; readonly headers: readonly string[] };

/**
 * Check a parsed `SignedHeaders` list against the request: every header the policy requires is listed,
 * and every listed header is actually present (a signature over a header that did not arrive cannot be
 * checked). Map a failure to `IncompleteSignature`.
 *
 * @param signedHeaders the parsed list (lower case)
 * @param headers the received request headers
 * @param policy defaults to {@link REQUIRED_SIGNED_HEADERS_V3} / {@link REQUIRED_IF_PRESENT_SIGNED_HEADERS_V3}
 * @example
 * checkSignedHeadersV3(['host', 'x-acs-date'], req.headers);
 * // { ok: false, reason: 'unsigned-required', headers: ['x-acs-signature-nonce', 'x-acs-content-sha256'] }
 */
export function checkSignedHeadersV3(
  signedHeaders: readonly string[],
  headers: HeaderMap,
  policy: SignedHeadersPolicy = {},
): SignedHeadersCheck {
  const required = policy.required ?? REQUIRED_SIGNED_HEADERS_V3;
  const ifPresent = policy.requiredIfPresent ?? REQUIRED_IF_PRESENT_SIGNED_HEADERS_V3;
  if (satisfies(signedHeaders, headers, required, ifPresent)) return { ok: true };
  // Something is wrong: work out what, for the message.
  const listed = new Set(signedHeaders);
  const unsigned = [
    ...required.filter((name) => !listed.has(name)),
    ...ifPresent.filter((name) => headers[name] !== undefined && !listed.has(name)),
  ];
  if (unsigned.length > 0) return { ok: false, reason: 'unsigned-required', headers: unsigned };
  const absent = signedHeaders.filter((name) => headers[name] === undefined);
  if (absent.length > 0) return { ok: false, reason: 'signed-but-absent', headers: absent };
  return { ok: true };
}

/** The whole check without building the lists of offenders (the common case: nothing to report). */
function satisfies(signedHeaders: readonly string[], headers: HeaderMap, required: readonly string[], ifPresent: readonly string[]): boolean {
  for (let i = 0; i < required.length; i++) if (!signedHeaders.includes(required[i] as string)) return false;
  for (let i = 0; i < ifPresent.length; i++) {
    const name = ifPresent[i] as string;
    if (headers[name] !== undefined && !signedHeaders.includes(name)) return false;
  }
  for (let i = 0; i < signedHeaders.length; i++) if (headers[signedHeaders[i] as string] === undefined) return false;
  return true;
}

/**
 * The canonical value of one header: surrounding whitespace trimmed; several values (a Node array)
 * trimmed, sorted and joined with `,` as openapi-util does. An absent header gives `''`.
 *
 * @example
 * canonicalHeaderValue('  127.0.0.1:8080 '); // '127.0.0.1:8080'
 * canonicalHeaderValue(['b', ' a']);         // 'a,b'
 */
export function canonicalHeaderValue(value: string | readonly string[] | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  return value.map((v) => v.trim()).sort().join(',');
}

/**
 * CanonicalHeaders of V3: one `name:value\n` line per signed header, in the order of `SignedHeaders`.
 *
 * @example
 * canonicalHeadersV3(['host', 'x-acs-action'], { host: 'h', 'x-acs-action': 'A' }); // 'host:h\nx-acs-action:A\n'
 */
export function canonicalHeadersV3(signedHeaders: readonly string[], headers: HeaderMap): string {
  let out = '';
  for (const name of signedHeaders) out += name + ':' + canonicalHeaderValue(headers[name]) + '\n';
  return out;
}
