/**
 * What the provenance view does outside the page, in VS Code: open a changed file or the policy
 * line that decided, copy an entry, and roll an entry back after the user confirms. Each path
 * is checked to stay inside the workspace folder (through symlinks too) before it is opened.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { LedgerError } from "../../../server/src/engine/ledger/ledgerError";
import type { DetailOrigin, EntryDetail } from "../../../server/src/engine/ledger/view/entryDetail";
import { subjectOf } from "../../../server/src/engine/ledger/view/entrySummary";
import { resolveInside, type LedgerLocation } from "../../../server/src/engine/ledger/workspacePaths";
import { rollbackRecordedEntry } from "../../../server/src/engine/ledger/rollbackEntry";
import type { NoticeLevel } from "./messages";
import { ActionRefused, type ProvenanceActions } from "./session";

/** The extension's rollback command (through the language server), the same one the command palette runs. */
export const rollbackCommand = "selfheal.rollback";

/** Whether the language server runs (the extension's `ServerHandle`). */
export interface ServerState {
  isRunning(): boolean;
}

/** What `selfheal.rollback` returns (the server's `ChangeOutcome`), as far as the view needs it. */
interface RollbackOutcome {
  id: string;
  message: string;
  applied: boolean;
}

export type Notify = (level: NoticeLevel, messageId: string, message: string) => void;

export function vscodeActions(folder: vscode.WorkspaceFolder, location: LedgerLocation, extensionUri: vscode.Uri, server: ServerState, notify: Notify): ProvenanceActions {
  return {
    copy: async (json) => vscode.env.clipboard.writeText(json),
    openFile: async (relative, line) => openAt(insideFolder(folder, relative), line),
    openPolicy: async (origin) => openAt(policyFile(folder, origin, extensionUri), origin.line),
    rollback: async (detail) => {
      if (server.isRunning() && (await vscode.commands.getCommands(true)).includes(rollbackCommand)) {
        // The server plans it against the open buffers and applies it through the refactor preview, which is where the
        // user confirms; it reports how it ended. The ledger watcher then refreshes the view.
        const outcome = await vscode.commands.executeCommand<RollbackOutcome | undefined>(rollbackCommand, { entryId: detail.summary.id, folder: folder.uri.toString() });
        if (outcome && typeof outcome.id === "string" && typeof outcome.message === "string") notify(outcome.applied ? "info" : "warning", outcome.id, outcome.message);
        return;
      }
      // The server is down: the engine writes the files itself (as `selfheal ledger rollback` does), after a modal confirmation.
      if (!(await confirmRollback(detail))) return;
      refuseOverUnsavedEdits(folder, detail);
      try {
        const result = await rollbackRecordedEntry(location, detail.summary.id, { kind: "user", name: userName() }, "the provenance view lists them");
        notify("info", "provenance-rolled-back", `Rolled back entry #${result.undone.predicate.chain.seq} ${result.exact ? "exactly" : "around later edits"} (${result.files.join(", ")}); recorded as entry #${result.recorded.predicate.chain.seq}.`);
      } catch (error) {
        if (error instanceof LedgerError) throw new ActionRefused(error.id, error.message);
        throw error;
      }
    },
  };
}

async function confirmRollback(detail: EntryDetail): Promise<boolean> {
  const { summary } = detail;
  const subject = subjectOf(summary);
  const files = detail.files.map((file) => file.path);
  const shown = files.length > 5 ? `${files.slice(0, 5).join(", ")} and ${files.length - 5} more` : files.join(", ");
  const choice = await vscode.window.showWarningMessage(
    `Roll back entry #${summary.seq} (${summary.kind}${subject ? ` ${subject}` : ""})?`,
    { modal: true, detail: `This restores ${files.length} file(s): ${shown}. The rollback is recorded in the ledger as a new entry.` },
    "Roll Back",
  );
  return choice === "Roll Back";
}

/** Writing files under an editor with unsaved edits would lose them or be lost: the user saves or reverts first. */
function refuseOverUnsavedEdits(folder: vscode.WorkspaceFolder, detail: EntryDetail): void {
  const dirty = detail.files.filter((file) => vscode.workspace.textDocuments.some((document) => document.isDirty && document.uri.fsPath === path.join(folder.uri.fsPath, file.path)));
  if (dirty.length > 0) {
    throw new ActionRefused("provenance-unsaved-changes", `Save or revert ${dirty.map((file) => file.path).join(", ")} first: the rollback writes ${dirty.length === 1 ? "that file" : "those files"}.`);
  }
}

function insideFolder(folder: vscode.WorkspaceFolder, relative: string): vscode.Uri {
  let file: string;
  try {
    file = resolveInside(folder.uri.fsPath, relative);
  } catch (error) {
    throw new ActionRefused(error instanceof LedgerError ? error.id : "provenance-path-refused", (error as Error).message);
  }
  if (!fs.existsSync(file)) throw new ActionRefused("provenance-file-missing", `${relative} does not exist in ${folder.name} any more.`, "info");
  return vscode.Uri.file(file);
}

/** A policy line names a workspace file, or a policy bundled with the extension (`policies/<name>.yaml`). */
function policyFile(folder: vscode.WorkspaceFolder, origin: DetailOrigin, extensionUri: vscode.Uri): vscode.Uri {
  const bundled = /^policies\/([a-z0-9-]+\.ya?ml)$/.exec(origin.file);
  if (bundled && !fs.existsSync(path.join(folder.uri.fsPath, origin.file))) return vscode.Uri.joinPath(extensionUri, "policies", bundled[1]);
  return insideFolder(folder, origin.file);
}

async function openAt(uri: vscode.Uri, line: number | undefined): Promise<void> {
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.Beside, preview: true });
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name will do.
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
}
