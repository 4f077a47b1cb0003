import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { ServerStatus } from "../../../server/src/protocol/customMessages";
import { activateExtension, cliFindings, extensionId, relativePath, waitFor, waitForExampleFindings } from "../helpers";

suite("commands", () => {
  suiteSetup(async () => {
    await activateExtension();
    await waitForExampleFindings();
  });

  test("every contributed command is registered", async () => {
    const contributed: string[] = vscode.extensions.getExtension(extensionId)!.packageJSON.contributes.commands.map((command: { command: string }) => command.command);
    assert.deepEqual(contributed.sort(), [
      "selfheal.previewFix",
      "selfheal.previewRollback",
      "selfheal.reanalyzeWorkspace",
      "selfheal.restartServer",
      "selfheal.rollback",
      "selfheal.showEntryDiff",
      "selfheal.showOutput",
      "selfheal.showProvenance",
      "selfheal.showServerStatus",
    ]);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], "contributed but not registered");
  });

  test("Show Server Status describes the analyzed workspace", async () => {
    const status = await vscode.commands.executeCommand<ServerStatus | undefined>("selfheal.showServerStatus");
    assert.ok(status, "the command returned nothing (is the server running?)");
    assert.equal(status.version, vscode.extensions.getExtension(extensionId)!.packageJSON.version);
    assert.ok(status.filesAnalyzed > 0, `filesAnalyzed is ${status.filesAnalyzed}`);
    assert.deepEqual(status.folders, [vscode.workspace.workspaceFolders![0]!.uri.fsPath]);
  });

  test("Re-analyze Workspace publishes every file's findings again", async () => {
    const filesWithFindings = [...new Set(cliFindings().map((finding) => finding.file))];
    const republished = new Set<string>();
    const listener = vscode.languages.onDidChangeDiagnostics((event) => event.uris.forEach((uri) => republished.add(relativePath(uri))));
    try {
      await vscode.commands.executeCommand("selfheal.reanalyzeWorkspace");
      await waitFor("every file with findings to be published again", () => filesWithFindings.every((file) => republished.has(file)), {
        describe: () => [...republished].join(", "),
      });
    } finally {
      listener.dispose();
    }
    await waitForExampleFindings();
  });

  test("Restart Server brings a working server back", async () => {
    const server = await activateExtension();
    await vscode.commands.executeCommand("selfheal.restartServer");
    assert.equal(server.isRunning(), true, `after the restart the server is ${server.describeState()}`);
    // The new server analyzes in the background: its findings arriving is the sign it is done.
    await waitForExampleFindings();
    const status = await vscode.commands.executeCommand<ServerStatus | undefined>("selfheal.showServerStatus");
    assert.ok(status && status.filesAnalyzed > 0, `status after restart: ${JSON.stringify(status)}`);
  });
});
