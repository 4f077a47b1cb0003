/**
 * The engine's vocabulary: what a finding is and how a fix is expressed. Positions are
 * 0-based lines and UTF-16 columns, exactly like LSP and like TypeScript's own offsets, so
 * nothing converts them until they reach a human (the CLI prints 1-based).
 */

export type Severity = "error" | "warning" | "info" | "hint";
export type SeveritySetting = Severity | "off";

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FileEdit {
  /** Absolute, normalized path (forward slashes). */
  file: string;
  edits: TextEdit[];
  /** The file does not exist yet: the change creates it, with the edits' text (inserted at 0:0). */
  create?: true;
}

/**
 * A fix whose edits are worked out only when it is planned, because that costs more than a
 * finding may (a contract's whole API is extracted again to accept it). `changes` then names the
 * files it will touch, without edits, so the policy can judge the offer; the plan has the edits.
 */
export interface DeferredFix {
  kind: "contract-accept";
  contract: string;
}

export interface Fix {
  title: string;
  /** The fix that keeps the program's meaning; editors put it first. */
  isPreferred: boolean;
  changes: FileEdit[];
  deferred?: DeferredFix;
  /** Why this fix keeps what it must, when the rule's general reason (agents/fixRationale.ts) does not say it: the plan's rationale. */
  rationale?: string;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  /** Stable rule or message id, e.g. `no-explicit-any`, `tsconfig-error` (see docs/messages.md). */
  ruleId: string;
  file: string;
  range: Range;
  severity: Severity;
  message: string;
  fixes: Fix[];
  related: RelatedLocation[];
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
