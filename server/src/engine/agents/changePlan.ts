/**
 * A `ChangePlan` is a value: everything about one automated change, computed before anything is
 * written. The same workspace content and the same fix always give the same plan (and id), so a
 * plan can be shown, decided on, verified and applied by different callers at different times,
 * and each can tell whether the files are still what the plan was made for.
 */
import type { Range, Severity, TextEdit } from "../findings";
import type { ProposedChange } from "../policy/model";

export interface PlannedFile {
  /** Absolute, normalized (forward slashes), as the engine names files. */
  path: string;
  /** Relative to the plan's workspace folder, forward slashes: what the ledger and the patches name. */
  relativePath: string;
  /** The text the plan was made from (the editor buffer when open, else the disk copy); "" for a file the plan creates. */
  before: string;
  /** The file does not exist: the plan creates it (its rollback deletes it). */
  created?: true;
  after: string;
  /** The edits that turn `before` into `after` (0-based, UTF-16, against `before`): what an editor applies. */
  edits: TextEdit[];
}

/** A finding the plan resolves, without its fixes (the plan carries the edits). */
export interface ResolvedFinding {
  ruleId: string;
  file: string;
  range: Range;
  severity: Severity;
  message: string;
}

export interface RiskSummary {
  files: number;
  linesAdded: number;
  linesRemoved: number;
  /**
   * A changed file's declarations (its .d.ts without comments: what importers can see) differ
   * after the change, or that could not be told (the emit failed): an unknown counts as touched.
   */
  exportedApiTouched: boolean;
  /** Absolute paths of changed files that a policy's `protected` entry covers. */
  protectedPathsTouched: string[];
}

export interface ChangePlan {
  /** sha256 (hex) of the rule, the transforms, and each file's path, content hash and edits (see planId.ts). */
  id: string;
  ruleId: string;
  title: string;
  /** What the finding says, and why the fix keeps the program's meaning. */
  rationale: string;
  findings: ResolvedFinding[];
  /** Findings in scope whose fix overlaps one in this plan: left for another run. */
  deferredFindings: number;
  /** The workspace folder the plan's files are in; its ledger records the change. */
  root: string;
  files: PlannedFile[];
  /** Absolute paths of the files that import a changed file (transitively), without the changed files. */
  impactSet: string[];
  risk: RiskSummary;
  /** Unified diff of the change, all files, with `a/` `b/` workspace-relative names. */
  forwardPatch: string;
  /** The exact undo of `forwardPatch`. */
  rollbackPatch: string;
  /** What the policy decides on. */
  proposedChange: ProposedChange;
  /** How the ledger records it: an `apply` of a rule's fix unless said otherwise. */
  record?: { kind: "contract-accept"; contract: string };
}

/** What a planned file holds now if the plan is still current: its `before`, or nothing for a file the plan creates. */
export function expectedNow(file: PlannedFile): string | undefined {
  return file.created ? undefined : file.before;
}
