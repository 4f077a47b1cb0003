/**
 * Every custom LSP message between the extension and the server, declared once. The client
 * imports this file too, so a rename breaks the build on both sides instead of at run time.
 * Standard LSP covers everything else; other editors need none of these to get findings.
 */
import { NotificationType, NotificationType0, type Range, RequestType, RequestType0 } from "vscode-languageserver-protocol";

export type AnalysisState = "starting" | "analyzing" | "idle" | "error";

export interface StatusParams {
  state: AnalysisState;
  /** Files analyzed so far / in all, while state is "analyzing". */
  done: number;
  total: number;
  errors: number;
  warnings: number;
  /** Severity-weighted findings per 1,000 lines; see docs/health.md. */
  debtIndex: number;
  /** Why the state is "error", for the status item's tooltip. */
  message?: string;
  /**
   * The workspace policy as the analysis sees it (the saved files, not unsaved buffers). Read it
   * from a status that is not "analyzing": the first analysis is what loads the policies.
   */
  policy: PolicyStatus;
}

/**
 * "none": no `.selfheal/policy.yaml`, the bundled recommended policy applies; "valid": every
 * policy file reads; "broken": the first broken one, where its first error is. A broken policy
 * allows no automated change (fails closed) while analysis goes on with its last good version.
 */
export interface PolicyStatus {
  state: "none" | "valid" | "broken";
  /** Absolute path: the valid policy (the first, if several), or the broken one. */
  file?: string;
  /** 1-based, as people read it and as the status item shows it; only when broken. */
  line?: number;
  /** The first error's message; only when broken. */
  message?: string;
}

/** Server → client, whenever the analysis state or the totals change: drives the status bar item. */
export const statusNotification = new NotificationType<StatusParams>("selfheal/status");

export interface ServerStatus {
  version: string;
  folders: string[];
  projects: Array<{ name: string; files: number }>;
  filesAnalyzed: number;
  lastFullAnalysisMs: number | undefined;
  /** Every policy file the server knows; a broken one with its first error ("line:column message", 1-based). */
  policies: Array<{ file: string; state: "valid" | "broken"; firstError?: string }>;
  workspaceTrusted: boolean;
}

/** Client → server, from the "Show Server Status" command: what the server sees, for bug reports. */
export const serverStatusRequest = new RequestType0<ServerStatus, void>("selfheal/serverStatus");

/** Client → server, from "Re-analyze Workspace": rediscover projects and analyze every file again. */
export const reanalyzeRequest = new RequestType0<void, void>("selfheal/reanalyze");

/** What the extension passes in `initializationOptions`; every field is optional for other editors. */
export interface InitializationOptions {
  settings?: unknown;
  /** VS Code's `workspace.isTrusted`. Absent (other editors) counts as untrusted: workspace commands do not run. */
  workspaceTrusted?: boolean;
  clientFeatures?: ClientFeatures;
}

/**
 * Client → server, when the user grants workspace trust after start-up (VS Code's
 * `onDidGrantWorkspaceTrust`; trust is never revoked without a window reload): commands from
 * workspace files, such as a policy's `verify.command`, may run from then on.
 */
export const workspaceTrustedNotification = new NotificationType0("selfheal/workspaceTrusted");

// ── The agent pipeline in the editor ─────────────────────────────────────────────────────────
// Quick fixes carry a command instead of an edit: the server re-plans against the current text,
// asks the policy, verifies, applies through `workspace/applyEdit` and records the change in the
// ledger (docs/architecture.md, "The pipeline in the editor").

/** What the extension can do beyond standard LSP; other editors send nothing and get the standard fallbacks. */
export interface ClientFeatures {
  /** The client answers `selfheal/saveDocuments`. Without it, a change is recorded once the editor has saved the files. */
  saveDocuments?: boolean;
  /** The client has the `selfheal.previewFix` command, so quick fixes can offer a preview. */
  previewCommands?: boolean;
}

/** A quick fix, as its code action's command names it: which finding, in which version of the document, which of its fixes. */
export interface FixReference {
  uri: string;
  /** The document version the action was offered for; null for a document the editor has not opened. */
  version: number | null;
  ruleId: string;
  /** The finding's range (its diagnostic's). */
  range: Range;
  fixTitle: string;
}

/** "Fix all of a rule", in one file or in the workspace folder of that file. */
export interface FixAllReference {
  ruleId: string;
  scope: "file" | "workspace";
  /** The file the action was offered in: for "file" the file fixed, for "workspace" the folder it is in. */
  uri: string;
  version: number | null;
}

/** A ledger entry: its id or a unique prefix (4+ characters); `folder` (a workspace folder URI) narrows the search. */
export interface EntryReference {
  entryId: string;
  folder?: string;
}

/** What every pipeline command answers (and tells the user in a message): a stable id (docs/messages.md), a sentence, and the entry it recorded. */
export interface ChangeOutcome {
  id: string;
  message: string;
  /** True when files changed and the change is recorded. */
  applied: boolean;
  entry?: { id: string; seq: number; ledger: string };
}

/** Server commands (`workspace/executeCommand`): the code actions carry them; the extension's rollback command calls the last. */
export const applyFixCommand = "selfheal.applyFix";
export const applyFixAllCommand = "selfheal.applyFixAll";
export const rollbackEntryCommand = "selfheal.rollbackEntry";

/**
 * Extension commands that the server's code actions name (only for a client that announced
 * `ClientFeatures.previewCommands`): open the forward and the rollback diff of a fix before it
 * is applied. Arguments: one `FixReference`.
 */
export const previewFixCommand = "selfheal.previewFix";

export interface SaveDocumentsParams {
  uris: string[];
}

export interface SaveDocumentsResult {
  /** Documents that could not be saved, with why; the server checks the disk either way. */
  failed: Array<{ uri: string; reason: string }>;
}

/**
 * Server → client, around a change the server applies through `workspace/applyEdit`: save exactly
 * these documents. The ledger records what is on disk, and `applyEdit` leaves the editor's
 * buffers dirty; saving the files the change touches (and only those) makes the disk hold what
 * is recorded. Sent only to a client that announced `ClientFeatures.saveDocuments`.
 */
export const saveDocumentsRequest = new RequestType<SaveDocumentsParams, SaveDocumentsResult, void>("selfheal/saveDocuments");

/** What a preview shows: a quick fix (or a fix-all) before it is applied, or a ledger entry afterwards. */
export type PreviewTarget = { kind: "fix"; fix: FixReference } | { kind: "fixAll"; fixAll: FixAllReference } | { kind: "entry"; entry: EntryReference };

export interface PreviewSummary {
  title: string;
  /** The files the change touches: workspace-relative path and file URI. */
  files: Array<{ path: string; uri: string }>;
  forwardPatch: string;
  rollbackPatch: string;
}

/**
 * Client → server, from the preview commands: what a change does, before the diff editors open.
 * An error response says why there is nothing to preview (the document changed, the entry is unknown).
 */
export const previewPlanRequest = new RequestType<PreviewTarget, PreviewSummary, void>("selfheal/previewPlan");

/**
 * One side of a diff: `before` / `after` the change; `current`, the file as it is now; `restored`,
 * what the rollback patch gives back (for a planned fix: applied to `after`; for an entry: applied
 * to the file as it is now, exactly what a rollback would write).
 */
export type PreviewSide = "before" | "after" | "current" | "restored";

export interface PreviewContentParams {
  target: PreviewTarget;
  /** Workspace-relative, as in `PreviewSummary.files`. */
  file: string;
  side: PreviewSide;
}

/** Client → server, from the `selfheal-preview:` documents the diff editors show. */
export const previewContentRequest = new RequestType<PreviewContentParams, { text: string }, void>("selfheal/previewContent");

export interface LedgerEntrySummary {
  /** The workspace folder's URI. */
  folder: string;
  id: string;
  seq: number;
  time: string;
  kind: string;
  rule?: string;
  actor: string;
  /** Workspace-relative paths. */
  files: string[];
  /** The seq of the rollback entry that undid it. */
  undoneBySeq?: number;
}

export interface LedgerEntriesResult {
  entries: LedgerEntrySummary[];
  /** Ledgers that could not be read whole (torn, altered): one sentence each. */
  problems: string[];
}

/** Client → server, for the quick picks of `selfheal.rollback` and `selfheal.showEntryDiff`: every ledger's entries, newest first. */
export const ledgerEntriesRequest = new RequestType0<LedgerEntriesResult, void>("selfheal/ledgerEntries");
