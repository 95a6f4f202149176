/**
 * The parts of a file the reference checker reads ("passages"): the comments of a TypeScript or
 * JavaScript file (found by the TypeScript scanner, so strings, templates and regular expressions
 * are not mistaken for comments), and the prose and fenced code blocks of a Markdown file.
 */
import ts from 'typescript';

export interface Passage {
  /** `comment`: a source comment; `prose`: Markdown outside code blocks; `code`: a fenced block. */
  readonly kind: 'comment' | 'prose' | 'code';
  /** The passage's text, newlines kept. */
  readonly text: string;
  /** 1-based line of the passage's first character in its file. */
  readonly line: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

const VALUE_END = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
]);

interface Range {
  pos: number;
  end: number;
  readonly kind: ts.SyntaxKind;
}

/**
 * Every comment of a source file, found with the TypeScript scanner. The scanner alone cannot
 * tell a `/` that starts a regular expression from a division, nor a `}` that resumes a template
 * literal from one that closes a block; the usual rules settle both: a `/` after something that
 * ends a value is a division, and a `}` closes whatever its matching `{` or `${` opened.
 */
function commentRanges(text: string): Range[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const ranges: Range[] = [];
  const open: Array<'brace' | 'template'> = [];
  let previous: ts.SyntaxKind = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    switch (token) {
      case ts.SyntaxKind.SingleLineCommentTrivia:
      case ts.SyntaxKind.MultiLineCommentTrivia:
        ranges.push({ pos: scanner.getTokenStart(), end: scanner.getTokenEnd(), kind: token });
        continue;
      case ts.SyntaxKind.WhitespaceTrivia:
      case ts.SyntaxKind.NewLineTrivia:
      case ts.SyntaxKind.ShebangTrivia:
      case ts.SyntaxKind.ConflictMarkerTrivia:
        continue;
      case ts.SyntaxKind.SlashToken:
      case ts.SyntaxKind.SlashEqualsToken:
        if (!VALUE_END.has(previous)) token = scanner.reScanSlashToken();
        break;
      case ts.SyntaxKind.TemplateHead:
        open.push('template');
        break;
      case ts.SyntaxKind.OpenBraceToken:
        open.push('brace');
        break;
      case ts.SyntaxKind.CloseBraceToken:
        if (open.at(-1) === 'template') {
          token = scanner.reScanTemplateToken(false);
          if (token === ts.SyntaxKind.TemplateTail) open.pop();
        } else {
          open.pop();
        }
        break;
      default:
        break;
    }
    previous = token;
  }
  return ranges;
}

/**
 * The comments of a source file, consecutive `//` lines joined into one passage.
 *
 * @example
 * commentPassages('// one\n// two\nconst x = 1; /* three *\/');
 * // [{ kind: 'comment', text: '// one\n// two', line: 1 }, { kind: 'comment', text: '/* three *\/', line: 3 }]
 */
export function commentPassages(text: string): Passage[] {
  const merged: Range[] = [];
  for (const range of commentRanges(text)) {
    const last = merged.at(-1);
    const joinsLineComments =
      last !== undefined &&
      last.kind === ts.SyntaxKind.SingleLineCommentTrivia &&
      range.kind === ts.SyntaxKind.SingleLineCommentTrivia &&
      /^[ \t]*\r?\n[ \t]*$/.test(text.slice(last.end, range.pos));
    if (joinsLineComments) last.end = range.end;
    else merged.push({ ...range });
  }
  return merged.map(({ pos, end }) => ({ kind: 'comment', text: text.slice(pos, end), line: lineAt(text, pos) }));
}

/**
 * The prose and the fenced code blocks of a Markdown file, in order.
 *
 * @example
 * markdownPassages('See [a](a.md).\n```sh\nnpm test\n```\n');
 * // [{ kind: 'prose', text: 'See [a](a.md).', line: 1 }, { kind: 'code', text: 'npm test', line: 3 }]
 */
export function markdownPassages(text: string): Passage[] {
  const passages: Passage[] = [];
  const lines = text.split('\n');
  let current: { kind: 'prose' | 'code'; start: number; lines: string[] } = { kind: 'prose', start: 1, lines: [] };
  let fence = '';
  const flush = (): void => {
    if (current.lines.length > 0) passages.push({ kind: current.kind, text: current.lines.join('\n'), line: current.start });
  };
  lines.forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === '' && marker !== undefined) {
      flush();
      fence = marker;
      current = { kind: 'code', start: index + 2, lines: [] };
    } else if (fence !== '' && marker !== undefined && marker.startsWith(fence) && line.trim() === marker) {
      flush();
      fence = '';
      current = { kind: 'prose', start: index + 2, lines: [] };
    } else {
      current.lines.push(line);
    }
  });
  flush();
  return passages;
}

/**
 * The headings of a Markdown file (outside code blocks), as written after the `#` marks.
 *
 * @example
 * markdownHeadings('# Title\n```\n# not a heading\n```\n## 4.1 Algorithm\n'); // ['Title', '4.1 Algorithm']
 */
export function markdownHeadings(text: string): string[] {
  return markdownPassages(text)
    .filter((passage) => passage.kind === 'prose')
    .flatMap((passage) => passage.text.split('\n'))
    .map((line) => /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1])
    .filter((heading): heading is string => heading !== undefined && heading !== '');
}
