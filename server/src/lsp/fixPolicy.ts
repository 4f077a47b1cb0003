import * as path from "node:path";
import type { Fix } from "../engine/findings";
import type { Decision, ProposedChange } from "../engine/policy/model";

/** A quick fix as the policy judges it: which rule, which files, how big. */
export function proposedChangeOf(ruleId: string, fix: Fix): ProposedChange {
  return { ruleId, files: [...new Set(fix.changes.map((change) => change.file))], linesTouched: linesTouched(fix) };
}

/**
 * Lines removed plus lines added, as a diff would count them: an edit replaces the lines its
 * range spans (none for a pure insertion) with the lines of its new text (none for a deletion).
 */
export function linesTouched(fix: Fix): number {
  let lines = 0;
  for (const change of fix.changes) {
    for (const { range, newText } of change.edits) {
      const emptyRange = range.start.line === range.end.line && range.start.character === range.end.character;
      lines += emptyRange ? 0 : range.end.line - range.start.line + 1;
      lines += newText === "" ? 0 : newText.split("\n").length;
    }
  }
  return lines;
}

/**
 * Why a denied fix is shown disabled: the deciding reason, and the policy line behind it so the
 * user can go and read (or change) it, e.g. `src/billing/** is protected: PCI scope (.selfheal/policy.yaml:7)`.
 */
export function disabledReason(decision: Decision, displayPath: (file: string) => string): string {
  const [deciding] = decision.reasons;
  if (!deciding.origin) return deciding.message;
  const shown = displayPath(deciding.origin.file);
  // A policy outside the workspace (a bundled one): its full path says nothing useful to the reader.
  const name = path.isAbsolute(shown) ? path.basename(shown) : shown;
  return `${deciding.message} (${name}:${deciding.origin.line + 1})`;
}
