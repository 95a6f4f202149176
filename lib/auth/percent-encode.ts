/**
 * RFC 3986 percent-encoding as used by Alibaba Cloud POP signatures (V1 and V3).
 *
 * Rules (docs/protocol.md §4.1 step 3): encode the UTF-8 bytes of the string; keep the unreserved set
 * `A-Z a-z 0-9 - _ . ~` literal; every other byte becomes `%XY` with upper-case hex. So a space is
 * `%20` (never `+`), and `* ! ' ( )` are `%2A %21 %27 %28 %29` (unlike `encodeURIComponent`).
 */

/** The unreserved set, as a pattern: defines the escape table below (the encoder itself scans char codes). */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
/** What `encodeURIComponent` leaves literal but RFC 3986 (POP) encodes. */
const SUB_DELIMS_LEFT_RAW = /[!'()*]/g;

/** `%XY` for every ASCII code that POP encodes, `undefined` for the unreserved ones. */
const ASCII_ESCAPES: readonly (string | undefined)[] = Array.from({ length: 0x80 }, (_, code) =>
  UNRESERVED_ONLY.test(String.fromCharCode(code)) ? undefined : '%' + (code < 0x10 ? '0' : '') + code.toString(16).toUpperCase(),
);

function encodeSubDelim(ch: string): string {
  return '%' + ch.charCodeAt(0).toString(16).toUpperCase();
}

/** Byte-wise encoder; used only when the string holds a lone surrogate (which `encodeURIComponent` rejects). */
function encodeUtf8Bytes(s: string): string {
  const bytes = Buffer.from(s, 'utf8'); // lone surrogates become U+FFFD (EF BF BD)
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED_ONLY.test(ch)) {
      out += ch;
    } else {
      out += '%' + (byte < 0x10 ? '0' : '') + byte.toString(16).toUpperCase();
    }
  }
  return out;
}

/**
 * Percent-encode a string with the POP (RFC 3986) rules.
 *
 * A string that is not well-formed UTF-16 (a lone surrogate) is encoded as if each lone surrogate were
 * U+FFFD; no SDK can send one (they all use `encodeURIComponent`, which throws on it), so this only keeps
 * the function total.
 *
 * @param s the decoded text (a parameter name or value, or a whole canonical query string)
 * @returns the encoded text
 * @example
 * popEncode('a b*c~d');        // 'a%20b%2Ac~d'
 * popEncode('2016-02-23T12:46:24Z'); // '2016-02-23T12%3A46%3A24Z'
 * popEncode('中');             // '%E4%B8%AD'
 */
export function popEncode(s: string): string {
  // One pass over the char codes: a string of unreserved characters (names, ids) comes back as it is
  // (`'' + s.slice(0)` is `s`), without a regular expression run first; other ASCII text (timestamps,
  // signatures, most values) gets one escape per reserved character.
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0x80) return encodeUnicode(s);
    const escape = ASCII_ESCAPES[code];
    if (escape !== undefined) {
      out += s.slice(from, i) + escape;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

/** Text with non-ASCII characters: the UTF-8 bytes of each, percent-encoded. */
function encodeUnicode(s: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(s);
  } catch {
    return encodeUtf8Bytes(s);
  }
  return encoded.replace(SUB_DELIMS_LEFT_RAW, encodeSubDelim);
}
