/**
 * Every custom LSP message between the extension and the server, declared once. The client
 * imports this file too, so a rename breaks the build on both sides instead of at run time.
 * Standard LSP covers everything else; other editors need none of these to get findings.
 */
import { NotificationType, NotificationType0, RequestType0 } from "vscode-languageserver-protocol";

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
}

/**
 * Client → server, when the user grants workspace trust after start-up (VS Code's
 * `onDidGrantWorkspaceTrust`; trust is never revoked without a window reload): commands from
 * workspace files, such as a policy's `verify.command`, may run from then on.
 */
export const workspaceTrustedNotification = new NotificationType0("selfheal/workspaceTrusted");
