import type { Position, Range, TextEdit } from "../findings";

/** An edit in offsets, as checked against the text it applies to. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export class InvalidEditError extends Error {}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) starts.push(index + 1);
  return starts;
}

/** Strict: a position past the end of its line (or of the file) is an error, not something to clamp. */
export function offsetAt(text: string, lineStarts: readonly number[], position: Position): number {
  const start = lineStarts[position.line];
  if (start === undefined || position.character < 0) throw new InvalidEditError(`position ${position.line}:${position.character} is outside the file`);
  const end = position.line + 1 < lineStarts.length ? lineStarts[position.line + 1] - 1 : text.length;
  if (start + position.character > end) throw new InvalidEditError(`position ${position.line}:${position.character} is past the end of its line`);
  return start + position.character;
}

export function positionAt(lineStarts: readonly number[], offset: number): Position {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - lineStarts[low] };
}

/** LSP-style edits (all against the original text) as sorted offsets; overlapping edits are an error. */
export function toOffsetEdits(text: string, edits: readonly TextEdit[]): OffsetEdit[] {
  const lineStarts = lineStartsOf(text);
  const result = edits
    .map((edit) => ({ start: offsetAt(text, lineStarts, edit.range.start), end: offsetAt(text, lineStarts, edit.range.end), newText: edit.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (const [index, edit] of result.entries()) {
    if (edit.end < edit.start) throw new InvalidEditError(`edit ${edit.start}-${edit.end} ends before it starts`);
    const previous = result[index - 1];
    if (previous && (edit.start < previous.end || (edit.start === previous.start && edit.start === edit.end))) throw new InvalidEditError(`edits overlap at offset ${edit.start}`);
  }
  return result;
}

export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = "";
  let cursor = 0;
  for (const edit of edits) {
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/**
 * Check (c): everything outside the edits is byte-for-byte what it was. Walks both texts
 * independently of `applyOffsetEdits`, so a bug in either shows up as a mismatch.
 */
export function unchangedOutsideEdits(before: string, after: string, edits: readonly OffsetEdit[]): boolean {
  let beforeCursor = 0;
  let afterCursor = 0;
  for (const edit of edits) {
    const gap = edit.start - beforeCursor;
    if (before.substr(beforeCursor, gap) !== after.substr(afterCursor, gap)) return false;
    afterCursor += gap;
    if (after.substr(afterCursor, edit.newText.length) !== edit.newText) return false;
    afterCursor += edit.newText.length;
    beforeCursor = edit.end;
  }
  return before.slice(beforeCursor) === after.slice(afterCursor) && after.length - afterCursor === before.length - beforeCursor;
}

/** Where an offset of the old text lands in the new one; inside a replaced span it lands at the span's start or end. */
export function mapOffset(offset: number, edits: readonly OffsetEdit[], bias: "start" | "end"): number {
  let shift = 0;
  for (const edit of edits) {
    if (offset <= edit.start) break;
    if (offset < edit.end) return edit.start + shift + (bias === "end" ? edit.newText.length : 0);
    shift += edit.newText.length - (edit.end - edit.start);
  }
  return offset + shift;
}

export function mapRange(range: Range, before: string, after: string, edits: readonly OffsetEdit[]): Range {
  const beforeStarts = lineStartsOf(before);
  const afterStarts = lineStartsOf(after);
  const start = mapOffset(offsetAt(before, beforeStarts, range.start), edits, "start");
  const end = Math.max(start, mapOffset(offsetAt(before, beforeStarts, range.end), edits, "end"));
  return { start: positionAt(afterStarts, start), end: positionAt(afterStarts, end) };
}
