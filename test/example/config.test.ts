/**
 * The example's settings: defaults, every variable's checks (with messages naming the variable),
 * where clients find the service, and start-up text that never shows a real secret or a Redis
 * password.
 */
import assert from 'node:assert/strict';
import { startupBanner } from '../../examples/ecs/banner.js';
import { ConfigError, DEMO_KEYS, clientEndpoint, clientKey, loadConfig } from '../../examples/ecs/config.js';
import { describeRedisUrl } from '../../examples/ecs/state.js';

describe('example/config', () => {
  it('defaults: 127.0.0.1:3000, Koa, demo keys, 100 per second, memory, 2 workers, log level info', () => {
    assert.deepEqual(loadConfig({}), {
      host: '127.0.0.1',
      port: 3000,
      framework: 'koa',
      credentialsSource: 'demo',
      accessKeys: DEMO_KEYS,
      throttlePerSecond: 100,
      redisUrl: undefined,
      workers: 2,
      logLevel: 'info',
    });
    assert.deepEqual(
      DEMO_KEYS.map((k) => [k.accessKeyId, k.secret, k.disabled]),
      [
        ['testid', 'testsecret', false],
        ['disabledid', 'disabledsecret', true],
      ],
    );
  });

  it('reads every variable; empty ones count as unset', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      FRAMEWORK: 'Express',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'my-ak',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'my-secret',
      ECS_THROTTLE_PER_SECOND: '7',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      WORKERS: '4',
      LOG_LEVEL: 'Warn',
    });
    assert.deepEqual(config, {
      host: '0.0.0.0',
      port: 8080,
      framework: 'express',
      credentialsSource: 'environment',
      accessKeys: [{ accessKeyId: 'my-ak', secret: 'my-secret', disabled: false }],
      throttlePerSecond: 7,
      redisUrl: 'redis://127.0.0.1:6379/2',
      workers: 4,
      logLevel: 'warn',
    });
    assert.deepEqual(loadConfig({ PORT: '', FRAMEWORK: ' ', REDIS_URL: '' }), loadConfig({}));
  });

  it('refuses unusable values, naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'abc' }, /^PORT must be a whole number from 0 to 65535/],
      [{ PORT: '65536' }, /^PORT/],
      [{ PORT: '-1' }, /^PORT/],
      [{ PORT: '3e3' }, /^PORT/],
      [{ FRAMEWORK: 'hapi' }, /^FRAMEWORK must be koa or express/],
      [{ ECS_THROTTLE_PER_SECOND: '0' }, /^ECS_THROTTLE_PER_SECOND must be a whole number from 1/],
      [{ ECS_THROTTLE_PER_SECOND: '2.5' }, /^ECS_THROTTLE_PER_SECOND/],
      [{ WORKERS: '0' }, /^WORKERS/],
      [{ WORKERS: '65' }, /^WORKERS/],
      [{ REDIS_URL: 'http://127.0.0.1:6379' }, /^REDIS_URL must start with redis:\/\//],
      [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'only-id' }, /both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/],
      [{ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'only-secret' }, /both/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message), JSON.stringify(env));
    }
    // A secret is never echoed in a message.
    assert.throws(() => loadConfig({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sup3r-s3cret' }), (err: Error) => !err.message.includes('sup3r-s3cret'));
  });

  it('clients find the service through ECS_ENDPOINT, else HOST and PORT (a wildcard host on 127.0.0.1)', () => {
    assert.equal(clientEndpoint({}), 'http://127.0.0.1:3000');
    assert.equal(clientEndpoint({ PORT: '8080' }), 'http://127.0.0.1:8080');
    assert.equal(clientEndpoint({ HOST: '0.0.0.0', PORT: '81' }), 'http://127.0.0.1:81');
    assert.equal(clientEndpoint({ HOST: '::1', PORT: '82' }), 'http://[::1]:82');
    assert.equal(clientEndpoint({ ECS_ENDPOINT: 'http://127.0.0.1:9000/', PORT: '8080' }), 'http://127.0.0.1:9000');
    assert.deepEqual(clientKey({}), { accessKeyId: 'testid', secret: 'testsecret' });
    assert.deepEqual(clientKey({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b' }), { accessKeyId: 'a', secret: 'b' });
  });

  it('the start-up text shows the demo keys, but never a real secret or a Redis password', () => {
    const demo = startupBanner(loadConfig({}), 'http://127.0.0.1:3000');
    assert.match(demo, /^ECS example service \(koa, Version 2014-05-26, state in memory\): http:\/\/127\.0\.0\.1:3000\/$/m);
    assert.match(demo, /AccessKeyId testid +AccessKeySecret testsecret +\(active\)/);
    assert.match(demo, /AccessKeyId disabledid +AccessKeySecret disabledsecret +\(disabled\)/);
    assert.match(demo, /Try: curl "\$\(npx tsx examples\/ecs\/sign-url\.ts Action=DescribeRegions\)"/);

    const own = startupBanner(
      loadConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'my-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'hunter2-secret', REDIS_URL: 'redis://user:hunter2-pass@10.0.0.2:6380/1' }),
      'http://127.0.0.1:8080',
      3,
    );
    assert.ok(own.includes('AccessKeyId my-ak'));
    assert.ok(!own.includes('hunter2'), own);
    assert.ok(!own.includes('testid'));
    assert.match(own, /state in Redis \(redis:\/\/10\.0\.0\.2:6380\/1\)\): 3 workers on http:\/\/127\.0\.0\.1:8080\//);
    assert.match(own, /ECS_ENDPOINT=http:\/\/127\.0\.0\.1:8080 npx tsx/);
    assert.equal(describeRedisUrl('rediss://:p%40ss@example.internal:6379'), 'rediss://example.internal:6379');
  });
});
