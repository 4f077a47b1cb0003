import type { Position, Range } from "../engine/findings";

export interface ContentChange {
  range: Range;
  text: string;
}

/**
 * Moves a range across one edit of the document, the way an editor moves a marker. Returns
 * undefined when the edit touched the range itself: that finding must be recomputed, not guessed.
 * Used to keep the previous type-aware findings in place while the new ones are computed.
 */
export function shiftRange(range: Range, change: ContentChange): Range | undefined {
  if (comparePositions(range.end, change.range.start) <= 0) return range;
  if (comparePositions(range.start, change.range.end) < 0) return undefined;
  return { start: shiftPosition(range.start, change), end: shiftPosition(range.end, change) };
}

function shiftPosition(position: Position, change: ContentChange): Position {
  const insertedLines = change.text.split("\n");
  const newEnd: Position =
    insertedLines.length === 1
      ? { line: change.range.start.line, character: change.range.start.character + change.text.length }
      : { line: change.range.start.line + insertedLines.length - 1, character: insertedLines[insertedLines.length - 1].length };
  if (position.line === change.range.end.line) {
    return { line: newEnd.line, character: newEnd.character + (position.character - change.range.end.character) };
  }
  return { line: position.line + (newEnd.line - change.range.end.line), character: position.character };
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
