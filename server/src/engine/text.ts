import type * as ts from "typescript";
import type { Range } from "./findings";

export function rangeOf(sourceFile: ts.SourceFile, start: number, end: number): Range {
  const from = sourceFile.getLineAndCharacterOfPosition(start);
  const to = sourceFile.getLineAndCharacterOfPosition(end);
  return { start: { line: from.line, character: from.character }, end: { line: to.line, character: to.character } };
}
