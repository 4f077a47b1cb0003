import { sha256Hex } from "../ledger/hashing";
import type { OffsetEdit } from "../verify/textEdits";

export interface PlanIdInput {
  ruleId: string;
  /** The fix titles: the same edits made for another reason are another plan. */
  transforms: readonly string[];
  files: ReadonlyArray<{ relativePath: string; before: string; edits: readonly OffsetEdit[] }>;
}

/**
 * The plan's content address: sha256 over the rule, the transforms, and per file its
 * workspace-relative path, the sha256 of the text the edits apply to, and the edits. Paths are
 * relative so that the same change in another checkout has the same id; the text is hashed, not
 * included, since the edits' offsets only mean something against that exact text.
 */
export function planId(input: PlanIdInput): string {
  const files = [...input.files]
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
    .map((file) => [file.relativePath, sha256Hex(file.before), file.edits.map((edit) => [edit.start, edit.end, edit.newText])]);
  const transforms = [...new Set(input.transforms)].sort();
  // Arrays only, so JSON.stringify is already canonical (no key order to settle).
  return sha256Hex(JSON.stringify(["selfheal-plan/v1", input.ruleId, transforms, files]));
}
