/**
 * The reference checker: every repository path, section citation and Markdown link written in a
 * comment or a document must lead somewhere. The rules (the test in test/repo/references.test.ts
 * shows each one failing and passing):
 *
 * Where it looks
 * - the comments of every `.ts`/`.cjs`/`.mjs`/`.js` file under lib/, test/, bench/, examples/ and
 *   scripts/ (strings and code are not read), except the text of `@example` blocks, which shows
 *   illustrative code;
 * - every Markdown file of the repository (docs/, README.md, SECURITY.md, examples/ and bench/
 *   READMEs): prose in full, fenced code blocks for repository paths only.
 *
 * What is a reference
 * - A path whose first directory is a top-level directory of the repository (`lib/…`, `docs/…`)
 *   names a file or directory of the repository and must exist. A glob (`lib/rpc/**`,
 *   `test/stores/*.test.ts`) must have an existing directory before its first wildcard. A path
 *   with an extension that no repository file has (`lib/rpc.js` of an SDK) is someone else's
 *   file and is not checked; nor is a path under generated output (see `GENERATED`), a URL, a
 *   path inside a package or host name (`@alicloud/pop-core/lib/rpc.js`, `github.com/…`), or a
 *   placeholder containing `<`, `>` or `…`.
 * - `./x` and `../x` are resolved from the file's directory (not in Markdown code blocks, whose
 *   relative imports belong to the example's own project).
 * - A file name alone: `name.md` is resolved from the file's directory, then from the repository
 *   root (so a source comment must write `docs/protocol.md`, not `protocol.md`); `name.ts` or
 *   `name.cjs` must be the name of some file of the repository.
 * - A section sign cites a heading of the Markdown file named just before it (within 80
 *   characters, or the file of the previous citation in a list: `docs/<file>.md §<a> / §<b>`). In
 *   a Markdown file a section sign with no file before it cites the file itself; in a comment it is
 *   an error. `RFC <n> §<x>` is an external standard and is not checked. See `citesHeading()` for
 *   how a heading is matched. A `.md` path is checked wherever it starts, so a citation of notes
 *   kept outside the repository is reported.
 * - `file.md#anchor`, and `#anchor` in a Markdown link, must be the GitHub anchor of a heading.
 */
import path from 'node:path';
import { commentPassages, markdownHeadings, markdownPassages, type Passage } from './passages.js';
import { isGenerated, type Repo } from './repo.js';
import { citesHeading, headingAnchors, headingList } from './sections.js';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** `file:line: message`, the form editors and terminals link to. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

const SOURCE_ROOTS = ['lib', 'test', 'bench', 'examples', 'scripts'];
const SOURCE_FILE = /\.(?:ts|cjs|mjs|js)$/;
/** How far (in characters) a section sign may follow the file it cites. */
const CITATION_REACH = 80;

/** URLs, host names with a path, and package names with a path: never repository paths. */
const FOREIGN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]`'"]*|(?:@[\w.-]+\/|\b(?:[\w-]+\.)+[a-z]{2,}\/)[^\s)>\]`'"]*/gi;
/** A path with at least one `/`, or a bare file name with a checked extension. */
const PATH = /(?<![\w@.\/\\%-])(?:\.{1,2}\/)*[\w.*{}<>…-]+(?:\/[\w.*{}<>…,-]*)+|(?<![\w@.\/\\%-])[\w.-]+\.(?:md|ts|cjs)\b/g;
const PLACEHOLDER = /[<>…]/;
const GLOB = /[*{}]/;

interface Mention {
  readonly start: number;
  readonly end: number;
  /** The repository path of the Markdown file it names (`undefined` for other files). */
  readonly markdown: string | undefined;
  /** The file does not exist (already reported; citations of it are not checked). */
  readonly missing: boolean;
}

class Checker {
  readonly problems: Problem[] = [];
  private readonly extensions: Set<string>;
  private readonly topDirs: Set<string>;
  private readonly basenames: Set<string>;
  private readonly headingCache = new Map<string, string[]>();

  constructor(private readonly repo: Repo) {
    this.extensions = new Set([...repo.files].map((file) => path.posix.extname(file)).filter((ext) => ext !== ''));
    this.topDirs = new Set([...repo.dirs].filter((dir) => !dir.includes('/')));
    this.basenames = new Set([...repo.files].map((file) => path.posix.basename(file)));
  }

  private exists(file: string): boolean {
    const clean = file.replace(/\/+$/, '');
    return this.repo.files.has(clean) || this.repo.dirs.has(clean) || clean === '';
  }

  private headings(file: string): string[] {
    let headings = this.headingCache.get(file);
    if (headings === undefined) {
      headings = markdownHeadings(this.repo.read(file));
      this.headingCache.set(file, headings);
    }
    return headings;
  }

  private report(file: string, passage: Passage, offset: number, message: string): void {
    const line = passage.line + (passage.text.slice(0, offset).match(/\n/g)?.length ?? 0);
    this.problems.push({ file, line, message });
  }

  checkFile(file: string): void {
    const text = this.repo.read(file);
    const passages = file.endsWith('.md') ? markdownPassages(text) : commentPassages(text);
    for (const passage of passages) this.checkPassage(file, passage);
  }

  private checkPassage(file: string, passage: Passage): void {
    const text = blank(blank(passage.text, FOREIGN), passage.kind === 'comment' ? EXAMPLE_BLOCK : NOTHING);
    const mentions: Mention[] = [];
    for (const match of text.matchAll(PATH)) {
      const mention = this.checkPath(file, passage, match.index, trimPunctuation(match[0]));
      if (mention !== undefined) mentions.push(mention);
    }
    if (passage.kind === 'code') return;
    if (file.endsWith('.md')) this.checkLinks(file, passage, text);
    this.checkCitations(file, passage, text, mentions);
  }

  /** Checks one path-like token; returns it as a mention when it names an existing Markdown file. */
  private checkPath(file: string, passage: Passage, offset: number, token: string): Mention | undefined {
    if (token === '' || PLACEHOLDER.test(token)) return undefined;
    const end = offset + token.length;
    const dir = path.posix.dirname(file);
    const relative = /^\.{1,2}\//.test(token);
    const bare = !token.includes('/');
    let target: string;
    if (relative) {
      if (passage.kind === 'code') return undefined;
      target = path.posix.normalize(path.posix.join(dir, token));
    } else if (bare) {
      if (passage.kind === 'code') return undefined;
      if (token.endsWith('.md')) {
        const beside = path.posix.join(dir, token);
        target = this.exists(beside) ? beside : token;
      } else {
        if (!this.basenames.has(token)) this.report(file, passage, offset, `no file named ${token} in the repository`);
        return undefined;
      }
    } else {
      const top = token.split('/')[0] ?? '';
      if (!this.topDirs.has(top) && !token.endsWith('.md')) return undefined;
      target = token;
    }
    if (isGenerated(target)) return undefined;
    if (GLOB.test(target)) {
      const prefix = target.slice(0, target.search(GLOB));
      const staticDir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      if (!this.exists(staticDir)) this.report(file, passage, offset, `the glob ${token} starts in ${staticDir}, which does not exist`);
      return undefined;
    }
    const extension = path.posix.extname(target);
    if (extension !== '' && !target.endsWith('/') && !this.extensions.has(extension)) return undefined;
    const markdown = target.endsWith('.md') ? target : undefined;
    if (!this.exists(target)) {
      const hint = /(^|\/)protocol\.md$/.test(token) ? ' (the protocol notes are docs/protocol.md)' : '';
      const shown = target === token ? token : `${token} (${target})`;
      this.report(file, passage, offset, `${shown} does not exist${hint}`);
      return { start: offset, end, markdown, missing: true };
    }
    if (markdown !== undefined && passage.text.charAt(end) === '#') {
      const anchor = /^#([\w%-]+)/.exec(passage.text.slice(end))?.[1];
      if (anchor !== undefined) this.checkAnchor(file, passage, offset, markdown, anchor);
    }
    return { start: offset, end, markdown, missing: false };
  }

  private checkAnchor(file: string, passage: Passage, offset: number, target: string, anchor: string): void {
    const headings = this.headings(target);
    if (!headingAnchors(headings).includes(decodeURIComponent(anchor).toLowerCase())) {
      this.report(file, passage, offset, `${target}#${anchor}: no heading has that anchor (headings: ${headingList(headings)})`);
    }
  }

  /** Markdown links to an anchor of the same file (`[x](#strict-mode)`); links to other files are paths. */
  private checkLinks(file: string, passage: Passage, text: string): void {
    for (const match of text.matchAll(/\]\(#([^)\s]+)\)/g)) this.checkAnchor(file, passage, match.index, file, match[1] ?? '');
  }

  private checkCitations(file: string, passage: Passage, text: string, mentions: readonly Mention[]): void {
    let previous: { end: number; markdown: string; missing: boolean } | undefined;
    for (const match of text.matchAll(/§/g)) {
      const at = match.index;
      const before = text.slice(Math.max(0, at - 16), at);
      if (/\bRFC\s*\d+[\s,]*$/i.test(before)) continue;
      const mention = [...mentions].reverse().find((m) => m.end <= at && m.markdown !== undefined);
      const anchors = [previous, mention && { end: mention.end, markdown: mention.markdown ?? '', missing: mention.missing }].filter(
        (a): a is { end: number; markdown: string; missing: boolean } => a !== undefined && at - a.end <= CITATION_REACH,
      );
      const nearest = anchors.sort((a, b) => b.end - a.end)[0];
      const citation = sectionText(text.slice(at + 1));
      if (citation.startsWith('<') || citation === '') continue;
      if (nearest?.missing === true) {
        previous = { ...nearest, end: at + 1 };
        continue;
      }
      let target = nearest?.markdown;
      if (target === undefined) {
        if (!file.endsWith('.md')) {
          const head = (citation.split(' ')[0] ?? '').replace(/[.,:;)]+$/, '');
          this.report(file, passage, at, `§${head} names no file: cite it as docs/<file>.md §${head}`);
          continue;
        }
        target = file;
      }
      previous = { end: at + 1, markdown: target, missing: false };
      const headings = this.headings(target);
      if (!citesHeading(citation, headings)) {
        const shown = citation.length > 40 ? `${citation.slice(0, 40)}…` : citation;
        this.report(file, passage, at, `${target} has no section "${shown}" (headings: ${headingList(headings)})`);
      }
    }
  }
}

const NOTHING = /(?!)/g;
/** The body of an `@example` block: from the tag to the next tag or the end of the comment. */
const EXAMPLE_BLOCK = /@example[\s\S]*?(?=\n\s*\*\s*@\w|\*\/|$)/g;

/** Replaces every match of `pattern` with spaces, newlines kept, so offsets and lines still hold. */
function blank(text: string, pattern: RegExp): string {
  return text.replace(pattern, (found) => found.replace(/[^\n]/g, ' '));
}

function trimPunctuation(token: string): string {
  return token.replace(/[.,:;]+$/, '');
}

/** The text after a section sign, comment markers and inline Markdown removed, on one line. */
function sectionText(after: string): string {
  return after
    .replace(/\*\/[\s\S]*$/, '')
    .replace(/\r?\n[ \t]*(?:\*(?!\/)|\/\/)?[ \t]*/g, ' ')
    .replace(/[`*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function checkedFiles(repo: Repo): string[] {
  return [...repo.files]
    .filter((file) => file.endsWith('.md') || (SOURCE_ROOTS.includes(file.split('/')[0] ?? '') && SOURCE_FILE.test(file)))
    .sort();
}

/**
 * Every broken reference of the repository, in file order.
 *
 * @example
 * const problems = checkReferences(loadRepo(process.cwd()));
 * for (const problem of problems) console.log(formatProblem(problem));
 */
export function checkReferences(repo: Repo): Problem[] {
  const checker = new Checker(repo);
  for (const file of checkedFiles(repo)) checker.checkFile(file);
  return checker.problems;
}
