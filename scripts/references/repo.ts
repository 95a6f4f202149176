/**
 * The repository as the reference checker sees it: the set of files and directories (generated
 * output left out) and a way to read them. `loadRepo()` walks the disk; `memoryRepo()` builds one
 * from a map, for the checker's own tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Repo {
  /** Repository-relative POSIX paths of every file. */
  readonly files: ReadonlySet<string>;
  /** Repository-relative POSIX paths of every directory, without a trailing slash. */
  readonly dirs: ReadonlySet<string>;
  read(file: string): string;
}

/**
 * Locations that hold generated or installed files. A mention of a path under them is not a
 * reference to a file of the repository (`dist/index.js` exists only after `npm run build`,
 * `bench/results/latest.json` after `npm run bench`), so it is not checked.
 */
export const GENERATED = ['node_modules', '.git', 'dist', 'coverage', '.tmp', 'bench/results'] as const;

export function isGenerated(file: string): boolean {
  return GENERATED.some((prefix) => file === prefix || file.startsWith(`${prefix}/`));
}

function parentDirs(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) dirs.push(dir);
  return dirs;
}

/**
 * Every file under `root`, except the generated locations.
 *
 * @example
 * const repo = loadRepo(path.resolve(__dirname, '..'));
 * repo.files.has('lib/index.ts'); // true
 */
export function loadRepo(root: string): Repo {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (isGenerated(child)) continue;
      if (entry.isDirectory()) {
        dirs.add(child);
        walk(child);
      } else if (entry.isFile()) {
        files.add(child);
      }
    }
  };
  walk('');
  return { files, dirs, read: (file) => readFileSync(path.join(root, file), 'utf8') };
}

/**
 * A repository held in memory: keys are repository-relative paths, values their text.
 *
 * @example
 * const repo = memoryRepo({ 'docs/a.md': '# A\n', 'lib/x.ts': '// see docs/a.md §A\n' });
 * repo.dirs.has('docs'); // true
 */
export function memoryRepo(contents: Readonly<Record<string, string>>): Repo {
  const files = new Set(Object.keys(contents));
  const dirs = new Set([...files].flatMap(parentDirs));
  return {
    files,
    dirs,
    read: (file) => {
      const text = contents[file];
      if (text === undefined) throw new Error(`no file ${file}`);
      return text;
    },
  };
}
