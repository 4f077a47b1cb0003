import * as ts from "typescript";
import type { TextSpan } from "../rule";

export interface Edit extends TextSpan {
  newText: string;
}

/**
 * The span to delete for removing `span` (a statement, a specifier): its whole line when
 * nothing else is on it, so no blank line is left behind; otherwise the code and the spaces
 * that separated it from its neighbour, never a comment or a line break.
 */
export function removalSpan(text: string, span: TextSpan): TextSpan {
  const lineStart = text.lastIndexOf("\n", span.start - 1) + 1;
  let lineEnd = text.indexOf("\n", span.end);
  if (lineEnd === -1) lineEnd = text.length;
  const before = text.slice(lineStart, span.start);
  const after = text.slice(span.end, lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*\r?$/.test(after)) return { start: lineStart, end: Math.min(lineEnd + 1, text.length) };
  const spacesAfter = /^[ \t]*/.exec(after)![0].length;
  // Last code on its line: take the spaces before it instead, so the line does not end in blanks.
  if (spacesAfter === after.replace(/\r$/, "").length) return { start: span.start - /[ \t]*$/.exec(before)![0].length, end: span.end };
  return { start: span.start, end: span.end + spacesAfter };
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (const edit of sorted) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  return text;
}

/**
 * Whether the edited file still parses into the same tree outside the edits: the guard against
 * automatic semicolon insertion joining the lines around a removed statement (`a = b` followed
 * by `(f)()` becomes `a = b(f)()`), and against any other re-parse surprise. Nodes wholly inside
 * an edit, before and after, are left out of the comparison.
 */
export function keepsSurroundingSyntax(sourceFile: ts.SourceFile, edits: readonly Edit[]): boolean {
  const newText = applyEdits(sourceFile.text, edits);
  const reparsed = ts.createSourceFile(sourceFile.fileName, newText, sourceFile.languageVersion, true, scriptKindOf(sourceFile.fileName));
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let shift = 0;
  const newSpans = sorted.map((edit) => {
    const start = edit.start + shift;
    shift += edit.newText.length - (edit.end - edit.start);
    return { start, end: start + edit.newText.length };
  });
  const before = shapeOf(sourceFile, sorted);
  const after = shapeOf(reparsed, newSpans);
  return before.length === after.length && before.every((part, index) => part === after[index]);
}

/** The tree in pre-order, as kinds and the text of names and literals, minus what lies inside `skip`. */
function shapeOf(sourceFile: ts.SourceFile, skip: readonly TextSpan[]): string[] {
  const parts: string[] = [];
  const inside = (node: ts.Node) => {
    const start = node.getStart(sourceFile);
    return skip.some((span) => start >= span.start && node.end <= span.end && start < node.end);
  };
  const visit = (node: ts.Node): void => {
    if (inside(node)) return;
    parts.push(ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isLiteralExpression(node) || ts.isTemplateLiteralToken(node) ? `${node.kind}:${node.text}` : String(node.kind));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return parts;
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
