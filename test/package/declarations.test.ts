/**
 * The published declarations (dist/*.d.ts, *.d.mts) compile in a consumer's project with an old
 * `target` (ES2015), with `skipLibCheck: false`, for CommonJS (`node10` resolution,
 * `typesVersions` for the `/express` entry) and ESM (`nodenext`). They used to carry `#private`
 * fields, which TypeScript refuses below ES2015 targets inside declarations (TS18028).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const CONSUMER = `import { envelope, koaRpc, createRpcApi, MemoryStore, RedisStore, clientTokenGuard, rateLimitThrottler, answerRefusedRequests, type ExchangeRecord } from 'aliyun-openapi-middleware';
import { envelope as expressEnvelope, expressRpc, errorHandler } from 'aliyun-openapi-middleware/express';
const api = createRpcApi({ version: '2014-05-26', idempotency: clientTokenGuard({ store: new MemoryStore() }), throttle: rateLimitThrottler({ limit: { points: 1, durationSeconds: 1 } }) });
const log: ExchangeRecord[] = [];
export const parts = [envelope({ onExchange: (r) => log.push(r) }), koaRpc(api), expressEnvelope(), expressRpc(api as never), errorHandler(), answerRefusedRequests, RedisStore];
`;

describe('package declarations in a consumer project', function () {
  this.timeout(180_000);
  let project: string;

  before(function () {
    const dts = path.join(root, 'dist/index.d.ts');
    if (!existsSync(dts) || statSync(dts).mtimeMs < newest(path.join(root, 'lib'))) {
      execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    }
    project = mkdtempSync(path.join(tmpdir(), 'aom-types-'));
    mkdirSync(path.join(project, 'node_modules'));
    symlinkSync(root, path.join(project, 'node_modules', 'aliyun-openapi-middleware'), 'dir');
    writeFileSync(path.join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(path.join(project, 'consumer.mts'), CONSUMER);
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('no declaration file uses #private fields', () => {
    for (const name of readdirSync(path.join(root, 'dist')).filter((n) => /\.d\.m?ts$/.test(n))) {
      assert.doesNotMatch(readFileSync(path.join(root, 'dist', name), 'utf8'), /^\s*#private;/m, name);
    }
  });

  const cases = [
    // ES2015 is where `#private` failed (TS18028); each compile takes tens of seconds, so two only
    // (ES5 and ES2022 were checked by hand and compile too).
    { target: 'ES2015', module: 'commonjs', moduleResolution: 'node10', file: 'consumer.ts' },
    { target: 'ES2015', module: 'nodenext', moduleResolution: 'nodenext', file: 'consumer.mts' },
  ];
  for (const { target, module, moduleResolution, file } of cases) {
    it(`compiles with target ${target}, module ${module}, skipLibCheck false`, () => {
      const config = path.join(project, `tsconfig.${target}.${module}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            target,
            module,
            moduleResolution,
            strict: true,
            // Needed by zod's own declarations (a dependency), not by this package's.
            esModuleInterop: true,
            skipLibCheck: false,
            noEmit: true,
            typeRoots: [path.join(root, 'node_modules/@types')],
          },
          files: [file],
        }),
      );
      const result = spawnSync(process.execPath, [tsc, '-p', config], { cwd: project, encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    });
  }
});
