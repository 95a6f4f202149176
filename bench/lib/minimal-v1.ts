/**
 * The least a hand-written Signature V1 check does, for bench/hotpath.ts to compare with
 * `signatureAuthenticator`: the cost of the work the protocol itself requires, written the way a
 * service team would write it from the documentation (pop-core's encoding, Node's `createHmac`, a
 * bounded `Map` of nonces), with no error envelopes, no V3, no STS hook, no Redis, no repeated
 * names and no non-ASCII ordering rule. It is not part of the package and not a verifier to use:
 * it only answers true or false, and only for the requests the benchmark sends.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

type Params = Readonly<Record<string, string | readonly string[]>>;

/** pop-core's percent-encoding (`encodeURIComponent` plus the five characters it leaves alone). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/!/g, '%21').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
}

/** Options of {@link minimalV1Check}. */
export interface MinimalV1Options {
  readonly secrets: ReadonlyMap<string, string>;
  readonly clock: () => number;
  /** Nonces remembered; the oldest is forgotten beyond `maxNonces`. */
  readonly nonces: Map<string, number>;
  readonly maxNonces: number;
}

const WINDOW_MS = 15 * 60_000;
const NONCE_TTL_MS = 31 * 60_000;

/**
 * True when `params` carry a valid, fresh, unreplayed V1 signature.
 *
 * @example
 * const check = (params) => minimalV1Check('GET', params, { secrets, clock: Date.now, nonces: new Map(), maxNonces: 200_000 });
 */
export function minimalV1Check(method: string, params: Params, options: MinimalV1Options): boolean {
  const { AccessKeyId: accessKeyId, Signature: signature, Timestamp: timestamp, SignatureNonce: nonce } = params;
  if (typeof accessKeyId !== 'string' || typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') return false;
  if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') return false;
  const now = options.clock();
  const at = Date.parse(timestamp);
  if (!Number.isFinite(at) || Math.abs(now - at) > WINDOW_MS) return false;
  const secret = options.secrets.get(accessKeyId);
  if (secret === undefined) return false;
  const names = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort();
  let query = '';
  for (const name of names) query += `${query === '' ? '' : '&'}${encode(name)}=${encode(params[name] as string)}`;
  const expected = createHmac('sha1', `${secret}&`).update(`${method}&%2F&${encode(query)}`).digest('base64');
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return false;
  const key = `${accessKeyId}:${nonce}`;
  const seen = options.nonces.get(key);
  if (seen !== undefined && seen > now) return false;
  if (options.nonces.size >= options.maxNonces) options.nonces.delete(options.nonces.keys().next().value as string);
  options.nonces.set(key, now + NONCE_TTL_MS);
  return true;
}
