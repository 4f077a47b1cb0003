/**
 * Inserting text into a source file the way its author would have written it: the file's own
 * line ending and indentation, and nothing but the inserted text changed. Shared by the
 * "restore compatibility" fixes (restoreCompatibility.ts).
 */
import * as ts from "typescript";
import type { TextEdit } from "../findings";
import { rangeOf } from "../text";

/** The file's line ending, by its first line break; `\n` for a file of one line. */
export function lineEndingOf(text: string): "\r\n" | "\n" {
  const index = text.indexOf("\n");
  return index > 0 && text[index - 1] === "\r" ? "\r\n" : "\n";
}

/** The whitespace a line starts with, for the line that holds `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** One level of indentation as the file writes it (a tab, or the narrowest run of leading spaces); two spaces when nothing is indented. */
export function indentationUnitOf(text: string): string {
  let narrowest: string | undefined;
  for (const match of text.matchAll(/^([ \t]+)\S/gm)) {
    const leading = match[1];
    if (leading.startsWith("\t")) return "\t";
    if (narrowest === undefined || leading.length < narrowest.length) narrowest = leading;
  }
  return narrowest ?? "  ";
}

/** `lines` (written with `\n` and four-space indentation, as declaration emit does) in the file's line ending and indentation. */
export function inFileStyle(lines: string, eol: string, unit: string): string {
  return lines
    .split("\n")
    .map((line) => line.replace(/^((?: {4})+)/, (leading: string) => unit.repeat(leading.length / 4)))
    .join(eol);
}

export function insertAt(sourceFile: ts.SourceFile, offset: number, newText: string): TextEdit {
  return { range: rangeOf(sourceFile, offset, offset), newText };
}

/**
 * Where text goes "after" a statement: at the end of its last line when only blanks or a line
 * comment follow it there (so the comment stays with its statement), else right after it.
 */
export function offsetAfter(sourceFile: ts.SourceFile, node: ts.Node): number {
  const text = sourceFile.text;
  const end = node.getEnd();
  const lineEnd = endOfLine(text, end);
  return /^[ \t]*(?:\/\/.*)?$/.test(text.slice(end, lineEnd)) ? lineEnd : end;
}

/** The offset of the line break ending the line that holds `offset` (the end of the text on the last line). */
export function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  if (newline === -1) return text.length;
  return newline > 0 && text[newline - 1] === "\r" ? newline - 1 : newline;
}

/** A JSDoc block of one line: `/** @deprecated … *\/`. */
export function deprecatedDoc(text: string): string {
  // A `*/` in the text would end the comment early.
  return `/** @deprecated ${text.replace(/\*\//g, "*\\/")} */`;
}
