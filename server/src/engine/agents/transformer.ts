/**
 * The Transformer: a fix's text edits applied to the current text. Only the edited spans change,
 * so line endings (CRLF stays CRLF), indentation and comments elsewhere are the bytes they were.
 * Edits that overlap, or point past the end of a line or of the file, are refused rather than
 * guessed at: two edits at one spot have no defined order.
 */
import type { TextEdit } from "../findings";
import { applyOffsetEdits, InvalidEditError, toOffsetEdits, unchangedOutsideEdits, type OffsetEdit } from "../verify/textEdits";
import { PlanError } from "./messages";

export interface Transformed {
  after: string;
  /** The edits as offsets into the text before, sorted. */
  edits: OffsetEdit[];
}

export function transformText(file: string, before: string, edits: readonly TextEdit[]): Transformed {
  let offsetEdits: OffsetEdit[];
  try {
    offsetEdits = toOffsetEdits(before, edits);
  } catch (error) {
    if (error instanceof InvalidEditError) throw new PlanError("plan-invalid-edit", `the edits to ${file} cannot be applied: ${error.message}`);
    throw error;
  }
  const after = applyOffsetEdits(before, offsetEdits);
  // A second, independent walk over both texts: a bug in the splicing must not reach a file.
  if (!unchangedOutsideEdits(before, after, offsetEdits)) throw new PlanError("plan-invalid-edit", `applying the edits to ${file} changed text outside them`);
  return { after, edits: offsetEdits };
}

/** Touching is fine; sharing a start is not (two insertions at one point have no defined order). */
export function editsOverlap(a: OffsetEdit, b: OffsetEdit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}
