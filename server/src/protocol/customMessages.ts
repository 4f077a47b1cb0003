/**
 * Every custom LSP message between the extension and the server, declared once. The client
 * imports this file too, so a rename breaks the build on both sides instead of at run time.
 * Standard LSP covers everything else; other editors need none of these to get findings.
 */
import { NotificationType, RequestType0 } from "vscode-languageserver-protocol";

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
}

/** Server → client, whenever the analysis state or the totals change: drives the status bar item. */
export const statusNotification = new NotificationType<StatusParams>("selfheal/status");

export interface ServerStatus {
  version: string;
  folders: string[];
  projects: Array<{ name: string; files: number }>;
  filesAnalyzed: number;
  lastFullAnalysisMs: number | undefined;
}

/** Client → server, from the "Show Server Status" command: what the server sees, for bug reports. */
export const serverStatusRequest = new RequestType0<ServerStatus, void>("selfheal/serverStatus");

/** Client → server, from "Re-analyze Workspace": rediscover projects and analyze every file again. */
export const reanalyzeRequest = new RequestType0<void, void>("selfheal/reanalyze");
