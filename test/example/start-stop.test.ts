/**
 * `npm start &` then `kill $!`: stopping the process the user started stops the server (npm's
 * script execs node, so npm's SIGTERM reaches the server instead of leaving it orphaned on its port).
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { REPO_ROOT } from './support.js';

/** Resolves true when something accepts a connection on the port, false when it is refused. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every descendant of `pid` (for cleanup if the test fails). */
function descendantsOf(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

describe('example/scripts: npm start, then kill npm', function () {
  this.timeout(90_000);

  it('the server stops with the npm process', async () => {
    const npm = spawn('npm', ['start'], { cwd: REPO_ROOT, env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1))));
    let port = 0;
    let server: number[] = [];
    try {
      for (let i = 0; i < 600 && port === 0; i++) {
        const found = /: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (found !== null && out.includes('Metrics')) port = Number(found[1]);
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(port > 0, `the banner was printed: ${out}`);
      assert.equal(await accepts(port), true);
      server = descendantsOf(npm.pid as number);
      npm.kill('SIGTERM'); // what `kill $!` does to `npm start &`
      await exited;
      let open = true;
      for (let i = 0; i < 100 && open; i++) {
        open = await accepts(port);
        if (open) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(open, false, `port ${port} still accepts connections after npm was killed`);
    } finally {
      for (const pid of [...server, npm.pid as number]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});
