/**
 * Every path, section citation and Markdown anchor written in the repository's comments and
 * documents leads somewhere (scripts/references/check.ts states the rules; each rule is shown
 * below failing on a broken reference and passing on a good one, in a repository held in memory).
 *
 * To list the problems outside the test: npx tsx scripts/check-references.ts
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { checkReferences, formatProblem } from '../../scripts/references/check.js';
import { loadRepo, memoryRepo } from '../../scripts/references/repo.js';
import { citesHeading, headingAnchors } from '../../scripts/references/sections.js';

const NOTES = [
  '# Protocol notes',
  '## 4. Signature V1',
  '### 4.1 Algorithm (server side)',
  '### 4.2 Check order (gateway behaviour to mimic)',
  '## 7. Clients',
  '### 7.5 Python',
  '### 7.6 Go',
  '### 7.7 PHP',
  '```',
  '# 9.9 not a heading (inside a code block)',
  '```',
  'Within this file §4.1 and §7.5-7.7 cite its own sections.',
  '',
].join('\n');

const BASE = {
  'docs/protocol.md': NOTES,
  'docs/rpc.md': '# RPC\n## Strict mode\n## Errors\n',
  'lib/index.ts': 'export {};\n',
  'lib/rpc/params/parse.ts': 'export {};\n',
  'README.md': '# Package\n',
};

/** The problems found in BASE plus `extra`, as `file:line: message` lines. */
function problems(extra: Record<string, string>): string[] {
  return checkReferences(memoryRepo({ ...BASE, ...extra })).map(formatProblem);
}

function assertClean(extra: Record<string, string>): void {
  assert.deepEqual(problems(extra), []);
}

function assertOneProblem(extra: Record<string, string>, expected: RegExp): void {
  const found = problems(extra);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0] ?? '', expected);
}

describe('repository references', () => {
  it('every path, section citation and anchor in comments and docs resolves', function () {
    this.timeout(120_000);
    const found = checkReferences(loadRepo(path.resolve(__dirname, '../..'))).map(formatProblem);
    assert.deepEqual(found, [], `broken references (fix each line; rules in scripts/references/check.ts):\n${found.join('\n')}`);
  });

  describe('paths', () => {
    it('a repository path in a comment must exist, reported at its line', () => {
      assertOneProblem(
        { 'lib/a.ts': '/**\n * Reads trees (lib/rpc/params/tree-reader.ts).\n */\nexport {};\n' },
        /^lib\/a\.ts:2: lib\/rpc\/params\/tree-reader\.ts does not exist$/,
      );
      assertClean({ 'lib/a.ts': '// Parses (lib/rpc/params/parse.ts), see lib/rpc/params/ and lib/rpc.\nexport {};\n' });
    });

    it('strings, regular expressions and template literals are not comments', () => {
      assertClean({
        'lib/a.ts': [
          "export const p = '// lib/gone.ts';",
          'export const r = /\\/\\/ lib\\/gone\\.ts/g;',
          'export const t = `// lib/gone.ts ${{ a: 1 }.a / 2} /* lib/gone.ts */`;',
          '',
        ].join('\n'),
      });
    });

    it('comments after a division and inside a template expression are read', () => {
      assertOneProblem({ 'lib/a.ts': 'export const d = 4 / 2; // lib/gone.ts\n' }, /^lib\/a\.ts:1: lib\/gone\.ts does not exist$/);
      assertOneProblem({ 'lib/a.ts': 'export const t = `a${1 /* lib/gone.ts */}b`;\n' }, /^lib\/a\.ts:1: lib\/gone\.ts does not exist$/);
    });

    it('relative paths resolve from the file', () => {
      assertOneProblem({ 'lib/rpc/a.ts': '// see ./params/gone.ts\nexport {};\n' }, /lib\/rpc\/a\.ts:1: \.\/params\/gone\.ts \(lib\/rpc\/params\/gone\.ts\) does not exist/);
      assertClean({ 'lib/rpc/a.ts': '// see ./params/parse.ts and ../index.ts\nexport {};\n' });
    });

    it('a glob must start in an existing directory', () => {
      assertClean({ 'lib/a.ts': '// every file of lib/rpc/** and lib/rpc/params/*.ts\nexport {};\n' });
      assertOneProblem({ 'lib/a.ts': '// lib/gone/**\nexport {};\n' }, /the glob lib\/gone\/\*\* starts in lib\/gone\/, which does not exist/);
    });

    it('URLs, package and SDK paths, placeholders, generated output and @example code are not repository paths', () => {
      assertClean({
        'lib/a.ts': [
          '/**',
          ' * https://example.com/lib/gone.ts, github.com/aliyun/x/lib/gone.ts, @alicloud/pop-core/lib/rpc.js,',
          ' * pop-core lib/rpc.js, openapi-core src/client.ts, docs/<file>.md, lib/<area>/, dist/index.js,',
          ' * bench/results/latest.json.',
          ' *',
          ' * @example',
          " * import { x } from './gone.ts'; // lib/gone.ts",
          ' */',
          'export {};',
          '',
        ].join('\n'),
      });
    });

    it('a bare .ts name must name some file; a bare .md name must resolve from the file or the root', () => {
      assertOneProblem({ 'lib/a.ts': '// see tree-reader.ts\nexport {};\n' }, /no file named tree-reader\.ts in the repository/);
      assertClean({ 'lib/a.ts': '// see parse.ts and README.md\nexport {};\n' });
      assertOneProblem({ 'lib/a.ts': '// see rpc.md\nexport {};\n' }, /lib\/a\.ts:1: rpc\.md does not exist/);
    });

    it('protocol notes cited outside docs/ are reported once, with where they are', () => {
      assertOneProblem({ 'lib/a.ts': '// shared/protocol.md\nexport {};\n' }, /shared\/protocol\.md does not exist \(the protocol notes are docs\/protocol\.md\)/);
      assertOneProblem({ 'lib/a.ts': '// (protocol.md §4.1, §4.2)\nexport {};\n' }, /^lib\/a\.ts:1: protocol\.md does not exist \(the protocol notes are docs\/protocol\.md\)$/);
    });

    it('Markdown: links and paths in prose resolve from the file, code blocks only for repository paths', () => {
      assertClean({ 'docs/guide.md': '# Guide\nSee [the notes](protocol.md), [rpc](./rpc.md) and `lib/index.ts`.\n```ts\nimport { a } from "./app.js";\n```\n' });
      assertOneProblem({ 'docs/guide.md': '# Guide\n```sh\nnpx tsx lib/gone.ts\n```\n' }, /^docs\/guide\.md:3: lib\/gone\.ts does not exist$/);
      assertOneProblem({ 'docs/guide.md': '# Guide\nSee [x](../lib/gone.ts).\n' }, /^docs\/guide\.md:2: \.\.\/lib\/gone\.ts \(lib\/gone\.ts\) does not exist$/);
    });
  });

  describe('section citations', () => {
    it('a comment cites a heading by number, whole heading, heading without number, or a range', () => {
      assertClean({
        'lib/a.ts': [
          '/**',
          ' * (docs/protocol.md §4.1 step 3), docs/protocol.md §4.2 Check order (gateway behaviour to mimic),',
          ' * docs/protocol.md §Check order (gateway behaviour to mimic); docs/protocol.md §4, §7.5-7.7 / §7.6.',
          ' * docs/rpc.md §Strict mode: unknown names; (docs/rpc.md',
          ' * §Errors).',
          ' */',
          'export {};',
          '',
        ].join('\n'),
      });
    });

    it('a missing section is reported with the headings that exist', () => {
      assertOneProblem(
        { 'lib/a.ts': '// docs/protocol.md §4.9\nexport {};\n' },
        /^lib\/a\.ts:1: docs\/protocol\.md has no section "4\.9" \(headings: "Protocol notes", "4", "4\.1", "4\.2", "7", "7\.5", "7\.6", "7\.7"\)$/,
      );
      assertOneProblem({ 'lib/a.ts': '// docs/protocol.md §7.5-7.9\nexport {};\n' }, /has no section "7\.5-7\.9"/);
      assertOneProblem({ 'lib/a.ts': '// docs/rpc.md §Strictness\nexport {};\n' }, /docs\/rpc\.md has no section "Strictness"/);
      assertOneProblem({ 'lib/a.ts': '// docs/protocol.md §9.9\nexport {};\n' }, /has no section "9\.9"/);
    });

    it('a citation in a comment must name its file', () => {
      assertOneProblem({ 'lib/a.ts': "// in the protocol's order (§4.2)\nexport {};\n" }, /^lib\/a\.ts:1: §4\.2 names no file: cite it as docs\/<file>\.md §4\.2$/);
      assertOneProblem(
        { 'lib/a.ts': `// docs/protocol.md §4.1 says so.${' filler'.repeat(15)} Later §4.2\nexport {};\n` },
        /§4\.2 names no file/,
      );
    });

    it('in a Markdown file a citation without a file cites the file itself; RFC sections are not ours', () => {
      assertClean({ 'docs/guide.md': '# Guide\n## Setup\nAs §Setup says, and RFC 3986 §2.3.\n' });
      assertOneProblem({ 'docs/guide.md': '# Guide\nAs §Teardown says.\n' }, /^docs\/guide\.md:2: docs\/guide\.md has no section "Teardown says\."/);
      assertClean({ 'docs/guide.md': '# Guide\nSee protocol.md §4.2 and [protocol.md §7.6](protocol.md#76-go).\n' });
    });
  });

  describe('anchors', () => {
    it('a link anchor must be the anchor of a heading', () => {
      assertClean({ 'docs/guide.md': '# Guide\n## Strict mode\nSee [above](#strict-mode) and [rpc](rpc.md#errors).\n' });
      assertOneProblem({ 'docs/guide.md': '# Guide\nSee [rpc](rpc.md#strictness).\n' }, /docs\/rpc\.md#strictness: no heading has that anchor/);
      assertOneProblem({ 'docs/guide.md': '# Guide\nSee [above](#nowhere).\n' }, /docs\/guide\.md#nowhere: no heading has that anchor/);
      assertOneProblem({ 'lib/a.ts': '// docs/rpc.md#strictness\nexport {};\n' }, /docs\/rpc\.md#strictness: no heading has that anchor/);
    });

    it('anchors are GitHub\'s: lower case, punctuation dropped, spaces to hyphens, repeats numbered', () => {
      assert.deepEqual(headingAnchors(['4.1 Algorithm (server side)', 'The envelope: `envelope(options)`', 'Errors', 'Errors']), [
        '41-algorithm-server-side',
        'the-envelope-envelopeoptions',
        'errors',
        'errors-1',
      ]);
    });

    it('citesHeading ignores case and inline Markdown and needs a word boundary', () => {
      assert.equal(citesHeading('strict MODE, as said', ['`Strict` mode']), true);
      assert.equal(citesHeading('Strict modes', ['Strict mode']), false);
      assert.equal(citesHeading('4.10', ['4.1 Algorithm']), false);
    });
  });
});
