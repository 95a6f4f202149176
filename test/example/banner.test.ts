/**
 * What a newcomer reads at start: calls must be signed, and how; where the access log and the
 * metrics are.
 */
import assert from 'node:assert/strict';
import { startupBanner } from '../../examples/ecs/banner.js';
import { loadConfig } from '../../examples/ecs/config.js';

describe('example/banner', () => {
  it('says every call must be signed, with what, and what an unsigned call gets', () => {
    const text = startupBanner(loadConfig({}), 'http://127.0.0.1:3000');
    assert.match(text, /Every call must be signed \(Signature V1 or V3\) with one of these keys/);
    assert.match(text, /sign a URL with examples\/ecs\/sign-url\.ts; an unsigned call is\n\s+refused with MissingParameter/);
  });

  it('names the access log and the metrics endpoint; LOG_LEVEL=silent drops the log line', () => {
    const text = startupBanner(loadConfig({ PORT: '8080' }), 'http://127.0.0.1:8080');
    assert.match(text, /Access log: one JSON line per request on stdout/);
    assert.match(text, /Metrics \(Prometheus\): http:\/\/127\.0\.0\.1:8080\/metrics/);
    assert.doesNotMatch(startupBanner(loadConfig({ LOG_LEVEL: 'silent' }), 'http://127.0.0.1:3000'), /Access log/);
  });

  it('refuses an unknown LOG_LEVEL, naming the variable', () => {
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"/);
  });
});
