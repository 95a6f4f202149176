/**
 * Which step of the request path a CPU-profile sample belongs to (bench/profile-summary.ts).
 *
 * A sample's stack is read from the innermost frame outwards: the first frame that belongs to one of
 * the package's own steps (by function name in the built bundle, or by library: zod, the Redis
 * clients, rate-limiter-flexible, @koa/router) decides. Samples with no such frame fall to the
 * generic steps (Koa / Express, Node's HTTP and streams, GC, idle). Names are those of the built
 * bundle (`dist/`), which keeps function names.
 */

/** A profile frame, as V8 records it. */
export interface Frame {
  readonly functionName: string;
  readonly url: string;
}

interface Step {
  readonly name: string;
  readonly what: string;
  /** True when the frame is part of this step. */
  readonly match: (frame: Frame) => boolean;
}

const ours = (frame: Frame): boolean => !frame.url.includes('/node_modules/') && (frame.url.includes('/dist/') || frame.url.includes('/lib/'));
const named = (...names: string[]) => {
  const set = new Set(names);
  return (frame: Frame): boolean => ours(frame) && set.has(frame.functionName);
};
const fromPackage = (...fragments: string[]) => (frame: Frame): boolean => fragments.some((f) => frame.url.includes(`/node_modules/${f}`));

/** The package's own steps and the libraries they call, most specific first. */
const SPECIFIC: readonly Step[] = [
  { name: 'redis client', what: 'ioredis / node-redis command encoding and replies', match: fromPackage('ioredis/', 'redis/', '@redis/', 'redis-parser/', 'cluster-key-slot/') },
  { name: 'nonce store', what: 'NonceGuard.claim, the store\'s setIfAbsent (memory or Redis script)', match: named('claim', 'claimThen', 'keyOf', 'setIfAbsent', 'setIfAbsentSync', 'makeRoom', 'flat', 'storeFailure', 'evalScript', 'sweepExpired', 'assertStoreString', 'assertTtl') },
  { name: 'throttle', what: 'rateLimitThrottler, its counter, rate-limiter-flexible', match: (f) => fromPackage('rate-limiter-flexible/')(f) || named('throttleRequest', 'consume', 'counterKey', 'defaultIdentity', 'withDeadline', 'limitFor')(f) },
  { name: 'validation', what: 'parseParams (lib/rpc/params), zod, owner check', match: (f) => fromPackage('zod/')(f) || named('parseParams', 'scanParams', 'readScan', 'fastParse', 'parseWithZod', 'unflattenGuided', 'hasOwnerIdAndOwnerAccount', 'isSent')(f) },
  {
    name: 'signature',
    what: 'signatureAuthenticator: fields, timestamp, key lookup, string to sign, HMAC, compare',
    match: named('authenticateSignature', 'authenticateV1', 'authenticateV3', 'callerOf', 'checkTime', 'usable', 'verifyV1', 'verifyV3', 'readV1Fields', 'readV3Fields', 'isV3Request', 'stringToSignV1', 'signV1', 'hmac', 'constantTimeEqual', 'isWellFormedV1Signature', 'parseAuthorizationV3', 'checkSignedHeadersV3', 'canonicalRequestOf', 'canonicalRequestV3', 'stringToSignV3', 'signV3', 'hmacHexV3', 'hashHexV3', 'checkTimestamp', 'parseTimestamp', 'payloadOf', 'bodyHash', 'joinPairs', 'canonicalQueryEncoded', 'canonicalQuery', 'popEncode', 'orderedNames'),
  },
  { name: 'dispatch', what: 'RpcApi.call/serve, koaRpc / expressRpc, @koa/router, the request record', match: (f) => fromPackage('@koa/router/', 'path-to-regexp/')(f) || named('call', 'serve', 'authorized', 'admitted', 'succeeded', 'rpcDispatch', 'koaRpcRequest', 'expressRpcRequest', 'onResponseSettled', 'commonValue', 'asData', 'isThenable', 'resolved', 'koaRpc', 'expressRpc')(f) },
  { name: 'parsing', what: 'query / form parsing, Format choice', match: named('readParameters', 'readQuery', 'parseUrlencoded', 'decodeComponent', 'addParam', 'mergeParams', 'singleParam', 'formatFromParams', 'formatFromHeaders', 'isFormRequest', 'fromParsedBody') },
  { name: 'rendering', what: 'success envelope: plain-data check, JSON/XML writer, body and headers', match: named('renderSuccess', 'renderData', 'respondToBody', 'respond', 'writeObject', 'writeValue', 'writeArray', 'isNativeJsonData', 'isPlainObject', 'isPlainArray', 'isPlainValue', 'isPlainObjectProto', 'withLeading', 'writeXmlDocument', 'writeMembers', 'writeElement', 'writeItems', 'isEnvelopeData', 'successStatus', 'sendData', 'writeEnvelope') },
  { name: 'envelope (other)', what: 'the envelope middleware itself: RequestId, state, headers', match: named('openApiEnvelope', 'beginExchange', 'createRequestId', 'envelope', 'expressEnvelope') },
];

const GENERIC: readonly Step[] = [
  { name: 'koa / express', what: 'the framework: context, compose, response setters, Express router', match: fromPackage('koa/', 'koa-compose/', 'delegates/', 'express/', 'router/', 'mime-types/', 'content-type/', 'statuses/', 'on-finished/', 'finalhandler/', 'send/', 'accepts/', 'type-is/', 'vary/', 'only/', 'cookies/', 'depd/', 'encodeurl/', 'escape-html/', 'parseurl/', 'qs/', 'fresh/', 'http-errors/') },
  { name: 'node http', what: "Node's HTTP parser and writer, sockets, streams, timers", match: (f) => f.url.startsWith('node:') || f.functionName === 'writev' || f.functionName === 'writeUtf8String' || f.functionName === 'writeBuffer' },
];

/** Every step, in the order the summary lists them. */
export const STEPS: readonly Pick<Step, 'name' | 'what'>[] = [
  ...SPECIFIC,
  ...GENERIC,
  { name: 'gc', what: 'garbage collector' },
  { name: 'other', what: 'anything else (native, program)' },
  { name: 'startup', what: 'module loading and compiling (not counted as busy)' },
  { name: 'profiler', what: 'the profiler started through node:inspector (not counted as busy)' },
  { name: 'idle', what: 'waiting for work (not counted as busy)' },
];

function firstMatch(stack: readonly Frame[], steps: readonly Step[]): string | undefined {
  for (const frame of stack) for (const step of steps) if (step.match(frame)) return step.name;
  return undefined;
}

/**
 * The step of one sample, given its stack from the innermost frame outwards.
 *
 * @example
 * stepOf([{ functionName: 'Hmac', url: 'node:internal/crypto/hash' }, { functionName: 'verifyV1', url: 'file:///repo/dist/index.js' }]); // 'signature'
 */
export function stepOf(stack: readonly Frame[]): string {
  const leaf = stack[0];
  if (leaf === undefined) return 'other';
  if (leaf.functionName === '(idle)') return 'idle';
  if (leaf.functionName === '(garbage collector)') return 'gc';
  if (stack.some((f) => f.url === 'node:inspector')) return 'profiler';
  if (stack.some((f) => f.url.includes('internal/modules/') || f.url.includes('/tsx/') || f.functionName === 'compileForInternalLoader')) return 'startup';
  return firstMatch(stack, SPECIFIC) ?? firstMatch(stack, GENERIC) ?? 'other';
}
