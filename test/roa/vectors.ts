/**
 * The ROA Signature V1 test vectors of docs/roa.md §Test vectors, computed with openapi-util's own
 * `getStringToSign` / `getROASignature` (secret `testsecret`); shared by the signature and docs tests.
 */

export const DATE = 'Sun, 06 Dec 2026 02:46:23 GMT';
export const BODY = '{"name":"k8s","region_id":"cn-hangzhou","cluster_type":"ManagedKubernetes"}';

export const VECTORS: Array<{ name: string; method: string; path: string; query: Record<string, string>; body: string; headers: Record<string, string>; stringToSign: string; signature: string }> = [
  {
    name: 'TV-ROA-1 GET /clusters/{ClusterId}, no body',
    method: 'GET',
    path: '/clusters/c82e6987e2961451182edacd74faf2e6d',
    query: {},
    body: '',
    headers: {
      accept: 'application/json',
      date: DATE,
      host: 'cs.aliyuncs.com',
      'x-acs-signature-nonce': 'd410180a5abf7fe235dd9b74aca91fc0',
      'x-acs-signature-method': 'HMAC-SHA1',
      'x-acs-signature-version': '1.0',
      'x-acs-version': '2015-12-15',
      'x-acs-action': 'DescribeClusterDetail',
    },
    stringToSign:
      'GET\napplication/json\n\n\nSun, 06 Dec 2026 02:46:23 GMT\nx-acs-action:DescribeClusterDetail\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:d410180a5abf7fe235dd9b74aca91fc0\nx-acs-signature-version:1.0\nx-acs-version:2015-12-15\n/clusters/c82e6987e2961451182edacd74faf2e6d',
    signature: 'zvuNlShVDXZIrKV1ZshQOEePiHI=',
  },
  {
    name: 'TV-ROA-2 POST /clusters with query, JSON body and Content-MD5',
    method: 'POST',
    path: '/clusters',
    query: { page_size: '10', name: 'a b' },
    body: BODY,
    headers: {
      accept: 'application/json',
      date: DATE,
      'content-type': 'application/json; charset=utf-8',
      'content-md5': 'wQJKn2Gxln7djp/mhkGCvw==',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-signature-method': 'HMAC-SHA1',
      'x-acs-signature-version': '1.0',
      'x-acs-version': '2015-12-15',
    },
    stringToSign:
      'POST\napplication/json\nwQJKn2Gxln7djp/mhkGCvw==\napplication/json; charset=utf-8\nSun, 06 Dec 2026 02:46:23 GMT\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-signature-version:1.0\nx-acs-version:2015-12-15\n/clusters?name=a b&page_size=10',
    signature: 'aK++TdWXYEl4bsax9tvZGvBX6UE=',
  },
];
