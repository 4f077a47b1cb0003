import * as ts from "typescript";
import type { TextSpan } from "../rule";

/**
 * `// @ts-ignore` and `// @ts-expect-error` as TypeScript itself recognizes them (the scanner's
 * two patterns), so that a fix never edits a comment TypeScript does not treat as a directive.
 */
export interface CommentDirective {
  kind: "ts-ignore" | "ts-expect-error";
  comment: TextSpan;
  /** Where `@ts-ignore` / `@ts-expect-error` is written inside the comment. */
  marker: TextSpan;
  /** The line TypeScript files the directive under: the comment's last line. */
  line: number;
}

const singleLine = /^\/\/\/?\s*@(ts-expect-error|ts-ignore)/;
const multiLine = /^(?:\/|\*)*\s*@(ts-expect-error|ts-ignore)/;

export function commentDirectives(sourceFile: ts.SourceFile): CommentDirective[] {
  const text = sourceFile.text;
  if (!text.includes("@ts-")) return [];
  const directives: CommentDirective[] = [];
  for (const comment of allComments(sourceFile)) {
    const isSingle = comment.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    // A block comment counts by its last line (scanner: `text.slice(lastLineStart, pos)`).
    const from = isSingle ? comment.pos : Math.max(comment.pos, text.lastIndexOf("\n", comment.end - 1) + 1);
    const body = text.slice(from, comment.end);
    const trimmed = body.trimStart();
    const match = (isSingle ? singleLine : multiLine).exec(trimmed);
    if (!match) continue;
    const markerStart = from + (body.length - trimmed.length) + match[0].length - match[1].length - 1;
    directives.push({
      kind: match[1] as CommentDirective["kind"],
      comment: { start: comment.pos, end: comment.end },
      marker: { start: markerStart, end: markerStart + match[1].length + 1 },
      line: sourceFile.getLineAndCharacterOfPosition(comment.end).line,
    });
  }
  return directives;
}

/**
 * Whether a directive decides about errors on `line`: TypeScript walks up from the line above
 * over blank lines and `//` comment lines, and the first directive it meets applies. Removing
 * code on such a line hands the directive to the next line, so removals must leave them alone.
 */
export function isGovernedByDirective(sourceFile: ts.SourceFile, directives: readonly CommentDirective[], line: number): boolean {
  if (directives.length === 0) return false;
  const lines = new Set(directives.map((directive) => directive.line));
  const starts = sourceFile.getLineStarts();
  for (let current = line - 1; current >= 0; current--) {
    if (lines.has(current)) return true;
    const lineText = sourceFile.text.slice(starts[current], starts[current + 1] ?? sourceFile.text.length).trim();
    if (lineText !== "" && !lineText.startsWith("//")) return false;
  }
  return false;
}

/** Every comment, found through the tokens so that `//` inside strings, templates and regexes is not mistaken for one. */
function allComments(sourceFile: ts.SourceFile): ts.CommentRange[] {
  const text = sourceFile.text;
  const byPosition = new Map<number, ts.CommentRange>();
  const add = (ranges: ts.CommentRange[] | undefined) => ranges?.forEach((range) => byPosition.set(range.pos, range));
  const visit = (node: ts.Node): void => {
    // JSX text is not code: `<p>// x</p>` holds no comment. JSDoc is a comment already seen by its token.
    if (ts.isJSDoc(node) || node.kind === ts.SyntaxKind.JsxText) return;
    const children = node.getChildren(sourceFile);
    if (children.length === 0) {
      add(ts.getLeadingCommentRanges(text, node.pos));
      add(ts.getTrailingCommentRanges(text, node.end));
      return;
    }
    children.forEach(visit);
  };
  visit(sourceFile);
  return [...byPosition.values()].sort((a, b) => a.pos - b.pos);
}
