/**
 * Choosing a ledger entry in a quick pick (seq, time, rule, files), for the commands that take an
 * entry id when they are run from the command palette without one.
 */
import * as vscode from "vscode";
import { type EntryReference, ledgerEntriesRequest, type LedgerEntrySummary } from "../../server/src/protocol/customMessages";
import type { ServerHandle } from "./languageClient";

interface EntryItem extends vscode.QuickPickItem {
  entry: LedgerEntrySummary;
}

/** An argument the commands accept: an entry id, or `{ entryId, folder? }`; undefined asks the user. */
export function entryArgument(value: unknown): EntryReference | undefined {
  if (typeof value === "string" && value.trim() !== "") return { entryId: value };
  if (typeof value === "object" && value !== null && typeof (value as EntryReference).entryId === "string") return value as EntryReference;
  return undefined;
}

export async function pickEntry(server: ServerHandle, purpose: string, include: (entry: LedgerEntrySummary) => boolean = () => true): Promise<EntryReference | undefined> {
  const { entries, problems } = await server.client!.sendRequest(ledgerEntriesRequest);
  for (const problem of problems) void vscode.window.showWarningMessage(`Self-Healing Code: ${problem}`);
  const candidates = entries.filter(include);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(entries.length === 0 ? "Self-Healing Code: the ledger has no entries yet." : `Self-Healing Code: no ledger entry can be chosen to ${purpose}.`);
    return undefined;
  }
  const multiRoot = new Set(candidates.map((entry) => entry.folder)).size > 1;
  const items: EntryItem[] = candidates.map((entry) => ({
    entry,
    label: `${entry.seq}  ${entry.rule ?? entry.kind}`,
    description: `${entry.kind} · ${new Date(entry.time).toLocaleString()} · ${entry.id.slice(0, 8)}${multiRoot ? ` · ${vscode.workspace.asRelativePath(vscode.Uri.parse(entry.folder))}` : ""}`,
    detail: `${entry.files.join(", ") || "no files"}${entry.undoneBySeq !== undefined ? ` (rolled back by entry ${entry.undoneBySeq})` : ""}`,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: `Self-Healing Code: choose a ledger entry to ${purpose}`, matchOnDescription: true, matchOnDetail: true });
  return picked ? { entryId: picked.entry.id, folder: picked.entry.folder } : undefined;
}
