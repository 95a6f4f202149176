/**
 * Is `dist/` (what the benchmark measures, see package.ts) current? A missing bundle, or a file under
 * lib/ or the build configuration newer than the bundles, makes it stale: the contestants refuse it
 * with the command that fixes it, and the harness (`ensureBuiltPackage`) builds it first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
/** The CommonJS bundles of the two entry points, relative to the repository. */
export const BUNDLES = ['dist/index.js', 'dist/express.js'] as const;
/** The repository root. */
export const ROOT_DIR = ROOT;
const BUILD_INPUTS = ['package.json', 'tsup.config.ts', 'tsconfig.build.json', 'tsconfig.json'];

function newestSource(dir: string, newest: { file: string; mtimeMs: number }, depth = 0): void {
  if (depth > 20) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newestSource(path, newest, depth + 1);
    else if (entry.name.endsWith('.ts')) {
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs > newest.mtimeMs) Object.assign(newest, { file: path, mtimeMs });
    }
  }
}

/**
 * Why `dist/` cannot be used as it is (missing, or older than a source), or undefined when it is current.
 *
 * @example
 * const problem = staleBuildReason(); // 'lib/core/exchange.ts is newer than dist/index.js'
 */
export function staleBuildReason(): string | undefined {
  let oldest = Number.POSITIVE_INFINITY;
  for (const bundle of BUNDLES) {
    const path = join(ROOT, bundle);
    if (!existsSync(path)) return `${bundle} is missing`;
    oldest = Math.min(oldest, statSync(path).mtimeMs);
  }
  const newest = { file: '', mtimeMs: 0 };
  newestSource(join(ROOT, 'lib'), newest);
  for (const input of BUILD_INPUTS) {
    const path = join(ROOT, input);
    if (existsSync(path) && statSync(path).mtimeMs > newest.mtimeMs) Object.assign(newest, { file: path, mtimeMs: statSync(path).mtimeMs });
  }
  return newest.mtimeMs > oldest ? `${relative(ROOT, newest.file)} is newer than the build in dist/` : undefined;
}

/**
 * Throw (with the fix) unless `dist/` is current.
 *
 * @example
 * assertBuiltPackage(); // before loading dist/ in a contestant process
 */
export function assertBuiltPackage(): void {
  const reason = staleBuildReason();
  if (reason !== undefined) throw new Error(`the benchmark measures the built package, but ${reason}: run \`npm run build\` first`);
}

/**
 * Build `dist/` when it is missing or stale (`BENCH_BUILD=0`: refuse instead), then check it.
 *
 * @example
 * ensureBuiltPackage((line) => console.error(line));
 */
export function ensureBuiltPackage(log: (line: string) => void): void {
  const reason = staleBuildReason();
  if (reason === undefined) return;
  if (process.env.BENCH_BUILD === '0') assertBuiltPackage();
  log(`[build] ${reason}: running npm run build`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  assertBuiltPackage();
}

