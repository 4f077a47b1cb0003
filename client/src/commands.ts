import * as vscode from "vscode";
import { ExecuteCommandRequest } from "vscode-languageclient/node";
import { type ChangeOutcome, type FixReference, reanalyzeRequest, rollbackEntryCommand, serverStatusRequest } from "../../server/src/protocol/customMessages";
import type { ServerHandle } from "./languageClient";
import { provenancePanels } from "./provenance/provenancePanels";
import { entryArgument, pickEntry } from "./ledgerPick";
import type { PreviewDocuments } from "./previewDocuments";

interface CommandSpec {
  id: string;
  /** Commands that talk to the server say so clearly when it is not running, instead of failing silently. */
  needsServer: boolean;
  /** `args`: what the caller passed (a code action's arguments, or nothing from the command palette). */
  run(server: ServerHandle, log: vscode.LogOutputChannel, ...args: unknown[]): Promise<unknown> | unknown;
}

/** Set by `createCommands`: the preview documents live as long as the extension. */
let previews: PreviewDocuments | undefined;

/** Every command of the extension, in one table (package.json's `contributes.commands` lists the same ids). */
const commands: CommandSpec[] = [
  { id: "selfheal.restartServer", needsServer: false, run: (server) => server.restart() },
  { id: "selfheal.showOutput", needsServer: false, run: (_server, log) => log.show() },
  {
    id: "selfheal.reanalyzeWorkspace",
    needsServer: true,
    run: (server) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Self-Healing Code: re-analyzing" }, () => server.client!.sendRequest(reanalyzeRequest)),
  },
  {
    id: "selfheal.showServerStatus",
    needsServer: true,
    run: async (server, log) => {
      const status = await server.client!.sendRequest(serverStatusRequest);
      log.info(`server status: ${JSON.stringify(status, null, 2)}`);
      log.show();
      return status;
    },
  },
  {
    // From the "Preview fix and rollback…" code action: the forward diff, and the diff its rollback would make.
    id: "selfheal.previewFix",
    needsServer: true,
    run: async (_server, _log, fix) => {
      if (!isFixReference(fix)) return showUsage("selfheal.previewFix", "is offered on a finding's quick fixes (Ctrl+.)");
      await previews!.showRollback({ kind: "fix", fix });
      await previews!.showForward({ kind: "fix", fix });
    },
  },
  {
    // The exact undo: of a quick fix before it is applied, or of a ledger entry (picked when none is given).
    id: "selfheal.previewRollback",
    needsServer: true,
    run: async (server, _log, target) => {
      if (isFixReference(target)) return previews!.showRollback({ kind: "fix", fix: target });
      const entry = entryArgument(target) ?? (await pickEntry(server, "preview its rollback", (candidate) => candidate.undoneBySeq === undefined && candidate.kind !== "reconcile"));
      if (entry) await previews!.showRollback({ kind: "entry", entry });
    },
  },
  {
    // What a recorded change did: before ↔ after, rebuilt from the file and the entry's patches.
    id: "selfheal.showEntryDiff",
    needsServer: true,
    run: async (server, _log, target) => {
      const entry = entryArgument(target) ?? (await pickEntry(server, "show its diff", (candidate) => candidate.files.length > 0));
      if (entry) await previews!.showForward({ kind: "entry", entry });
    },
  },
  {
    // Undo a recorded change: the server plans it against the files now, the refactor preview asks, the ledger records it.
    id: "selfheal.rollback",
    needsServer: true,
    run: async (server, _log, target) => {
      const entry = entryArgument(target) ?? (await pickEntry(server, "roll back", (candidate) => candidate.undoneBySeq === undefined && candidate.kind !== "reconcile"));
      if (!entry) return undefined;
      // The server tells the user how it ended; the outcome is returned for callers (the provenance view, tests).
      return server.client!.sendRequest(ExecuteCommandRequest.type, { command: rollbackEntryCommand, arguments: [entry] }) as Promise<ChangeOutcome>;
    },
  },
  // Reads the ledger file itself, so it opens with the server down. Args: a folder URI, or `{ folder?, entryId? }` to open at an entry.
  { id: "selfheal.showProvenance", needsServer: false, run: (server, log, args) => provenancePanels(log, server).show(args) },
];

function isFixReference(value: unknown): value is FixReference {
  return typeof value === "object" && value !== null && typeof (value as FixReference).uri === "string" && typeof (value as FixReference).fixTitle === "string";
}

function showUsage(command: string, where: string): void {
  void vscode.window.showInformationMessage(`Self-Healing Code: ${command} ${where}.`);
}

export function createCommands(server: ServerHandle, log: vscode.LogOutputChannel, previewDocuments: PreviewDocuments): vscode.Disposable[] {
  previews = previewDocuments;
  return commands.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      if (spec.needsServer && !server.isRunning()) {
        const action = await vscode.window.showErrorMessage(`Self-Healing Code: the language server is ${server.describeState()}, so this command cannot run.`, "Restart Server", "Show Output");
        if (action === "Restart Server") await server.restart();
        if (action === "Show Output") log.show();
        return undefined;
      }
      return spec.run(server, log, ...args);
    }),
  );
}

export const commandIds = commands.map((spec) => spec.id);
