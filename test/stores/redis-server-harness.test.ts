import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { requireRedisServer, startRedisServer } from '../support/redis-server.js';

const root = join(__dirname, '../..');
const fixture = join(__dirname, 'fixtures/needs-redis.suite.ts');

/** Runs the fixture suite in a child mocha with `env`; resolves its exit code and output. */
function runFixture(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules/mocha/bin/mocha.js'),
        '--no-config', '--node-option', 'import=tsx', '--extension', 'ts',
        '--reporter', join(root, 'test/support/summary-reporter.cjs'), '--exit', fixture,
      ],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function ping(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('error', (error) => resolve(`error: ${error.message}`));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.trim());
      }
    });
  });
}

describe('test harness: redis-server', function () {
  this.timeout(60_000);

  it('without redis-server, a Redis suite is skipped with a printed reason outside CI', async () => {
    const { code, output } = await runFixture({ REDIS_SERVER: '/nonexistent/redis-server', CI: '' });
    assert.equal(code, 0, output);
    assert.match(output, /SKIPPING Redis suite "a suite that needs Redis": redis-server is not installed/);
    assert.match(output, /^0 passed, 0 failed, 1 skipped$/m);
  });

  it('without redis-server under CI=true, the Redis suite fails loudly', async () => {
    const { code, output } = await runFixture({ REDIS_SERVER: '/nonexistent/redis-server', CI: 'true' });
    assert.notEqual(code, 0, output);
    assert.match(output, /redis-server is not installed .*required under CI/);
    assert.match(output, /^0 passed, 1 failed/m);
  });

  describe('with redis-server', () => {
    before(function () {
      requireRedisServer(this);
    });

    it('starts on a loopback port, pauses, resumes, restarts on the same port and stops', async () => {
      const server = await startRedisServer();
      try {
        assert.equal(server.url, `redis://127.0.0.1:${server.port}`);
        assert.equal(await ping(server.port), '+PONG');
        const firstPid = server.pid;
        server.pause();
        server.resume();
        assert.equal(await ping(server.port), '+PONG');
        await server.restart();
        assert.notEqual(server.pid, firstPid);
        assert.equal(await ping(server.port), '+PONG');
        await server.kill('SIGKILL');
        assert.equal(server.pid, undefined);
        assert.match(await ping(server.port), /^error: .*ECONNREFUSED/);
        await server.restart();
        assert.equal(await ping(server.port), '+PONG');
      } finally {
        await server.stop();
      }
      assert.match(await ping(server.port), /^error: .*ECONNREFUSED/);
    });

    it('stops a paused server too', async () => {
      const server = await startRedisServer();
      server.pause();
      await server.stop();
      assert.equal(server.pid, undefined);
      assert.match(await ping(server.port), /^error: .*ECONNREFUSED/);
    });
  });
});
