/**
 * The Signature V3 test vectors the explorer's browser signer must reproduce (docs/authentication.md;
 * the same vectors as test/auth/signature-v3.test.ts), in the signer's input shape.
 */

/** What `AcsSigner.sign` takes. */
export interface SignerInput {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** What `AcsSigner.sign` resolves to. */
export interface SignerOutput {
  readonly headers: Record<string, string>;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

export interface SignerVector {
  readonly name: string;
  readonly input: SignerInput;
  readonly hashedCanonicalRequest?: string;
  readonly signature: string;
}

function tvV31(date: string, nonce: string, signature: string, hashedCanonicalRequest?: string): SignerVector {
  return {
    name: `TV-V3-1 (${date})`,
    input: {
      method: 'POST',
      host: 'ecs.cn-shanghai.aliyuncs.com',
      path: '/',
      query: [
        ['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'],
        ['RegionId', 'cn-shanghai'],
      ],
      headers: { 'x-acs-action': 'RunInstances', 'x-acs-version': '2014-05-26', 'x-acs-date': date, 'x-acs-signature-nonce': nonce },
      body: '',
      accessKeyId: 'YourAccessKeyId',
      accessKeySecret: 'YourAccessKeySecret',
    },
    ...(hashedCanonicalRequest === undefined ? {} : { hashedCanonicalRequest }),
    signature,
  };
}

export const SIGNER_VECTORS: readonly SignerVector[] = [
  tvV31('2023-10-26T10:22:32Z', '3156853299f313e23d1673dc12e1703d', '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0', '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259'),
  tvV31('2023-10-26T09:01:01Z', 'd410180a5abf7fe235dd9b74aca91fc0', 'e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804'),
  {
    name: 'TV-V3-2 (openapi-client capture: query with a space, form body, content-type, x-acs-credentials-provider)',
    input: {
      method: 'POST',
      host: '127.0.0.1:18080',
      path: '/',
      // Given out of order: the signer sorts.
      query: [
        ['Tag.1.Value', 'v w'],
        ['RegionId', 'cn-hangzhou'],
        ['Tag.1.Key', 'k'],
      ],
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-acs-action': 'DescribeRegions',
        'x-acs-version': '2014-05-26',
        'x-acs-date': '2026-11-29T18:43:17Z',
        'x-acs-signature-nonce': '231ed2a44da5577affe749f53b06beb0',
        'x-acs-credentials-provider': 'static_ak',
      },
      body: 'Desc=x%20y',
      accessKeyId: 'ak',
      accessKeySecret: 'sk',
    },
    signature: '3c033df3b10d7328c071ee020a97866467825fff7ce71a9d27592aad7a852a38',
  },
];
