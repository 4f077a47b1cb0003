/**
 * The provenance view in a real VS Code: `selfheal.showProvenance` opens it over the demo
 * workspace's ledger, and an entry is rolled back from it the way the page asks (its "rollback"
 * message, through the handle's `fromPage`, validation included), confirmed in the refactor
 * preview as a user would. The workspace is left as it was found (its ledger included).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { newEntryId, type LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { describeChange } from "../../../server/src/engine/ledger/patches";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { ledgerLocation } from "../../../server/src/engine/ledger/workspacePaths";
import { activateExtension, waitFor, waitForExampleFindings, workspaceUri } from "../helpers";

/** What `selfheal.showProvenance` returns (client/src/provenance/provenancePanels.ts), as far as the test drives it. */
interface ProvenancePanelHandle {
  panel: vscode.WebviewPanel;
  loaded(): Promise<void>;
  state(): { listed: number; integrity: { state: string } };
  find(id: string): { key: number; id: string; undoneBy?: string } | undefined;
  fromPage(message: unknown): Promise<void>;
}

function ledgerEntries(file: string): LedgerEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LedgerEntry);
}

/**
 * Runs `action` while doing what a user does in the refactor preview, should one open: focus the
 * change, tick it, apply. Before the preview holds the change these commands do nothing.
 */
async function confirmingPreview(action: Promise<void>, timeoutMs = 60_000): Promise<void> {
  let settled = false;
  let failure: unknown;
  action.then(
    () => (settled = true),
    (error: unknown) => {
      failure = error;
      settled = true;
    },
  );
  const run = (command: string) => vscode.commands.executeCommand(command).then(undefined, () => undefined);
  const deadline = Date.now() + timeoutMs;
  while (!settled) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs / 1000} s: the rollback never left the refactor preview`);
    await run("list.focusFirst");
    await run("refactorPreview.toggleCheckedState");
    await run("refactorPreview.apply");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (failure !== undefined) throw failure;
}

suite("the provenance view", () => {
  const folder = () => vscode.workspace.workspaceFolders![0];
  const target = () => workspaceUri("src/infra/database.ts");
  let ledgerBefore: Buffer | undefined;
  let fileBefore: Buffer;

  suiteSetup(async () => {
    await activateExtension();
    await waitForExampleFindings();
  });

  setup(() => {
    const ledgerFile = ledgerLocation(folder().uri.fsPath).ledgerFile;
    ledgerBefore = fs.existsSync(ledgerFile) ? fs.readFileSync(ledgerFile) : undefined;
    fileBefore = fs.readFileSync(target().fsPath);
  });

  teardown(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    // Later suites expect the demo workspace as shipped (and as the suites before this one left it).
    const location = ledgerLocation(folder().uri.fsPath);
    if (ledgerBefore === undefined) fs.rmSync(location.ledgerFile, { force: true });
    else fs.writeFileSync(location.ledgerFile, ledgerBefore);
    if (!fs.readFileSync(target().fsPath).equals(fileBefore)) fs.writeFileSync(target().fsPath, fileBefore);
    await waitForExampleFindings();
  });

  test("selfheal.showProvenance opens the view over the ledger, and an entry is rolled back from it", async () => {
    const location = ledgerLocation(folder().uri.fsPath);
    const before = fileBefore.toString("utf8");
    const after = before.replace("entry: Record<string, any>", "entry: Record<string, unknown>");
    assert.notEqual(after, before, "the demo file has the line this test changes");

    // A change recorded by the ledger's own code, as the CLI records one.
    const edits = [{ path: "src/infra/database.ts", before, after }];
    const change = describeChange(edits);
    const entry = await applyRecordedChange(
      location,
      {
        id: newEntryId(),
        time: new Date().toISOString(),
        actor: { kind: "cli", name: "vscode-suite" },
        kind: "apply",
        rule: "no-explicit-any",
        rationale: "entry is only passed on: unknown keeps callers free and the body honest.",
        plan: { planId: "vscode-suite-provenance", files: 1, linesAdded: change.linesAdded, linesRemoved: change.linesRemoved, exportedApiTouched: true, protectedPathsTouched: [] },
        impact: [],
        decision: { outcome: "auto", reasons: [{ message: "recorded by the VS Code suite" }] },
        evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [] },
        files: change.files,
        forwardPatch: change.forwardPatch,
        rollbackPatch: change.rollbackPatch,
      },
      edits,
    );
    const entryId = entry.predicate.id;
    assert.equal(fs.readFileSync(target().fsPath, "utf8"), after);

    const handle = await vscode.commands.executeCommand<ProvenancePanelHandle | undefined>("selfheal.showProvenance", { folder: folder().uri, entryId });
    assert.ok(handle, "the command returns the panel's handle");
    assert.equal(handle.panel.visible, true, "the panel is shown");
    assert.ok(handle.panel.title.startsWith("Provenance: "), handle.panel.title);
    await handle.loaded();
    const listed = await waitFor("the new entry to be listed", () => handle.find(entryId), { describe: () => JSON.stringify(handle.state()) });
    assert.equal(handle.state().integrity.state, "intact");

    // Exactly what the page sends when its "Roll back" button is pressed.
    const rolledBack = () => ledgerEntries(location.ledgerFile).some((line) => line.predicate.kind === "rollback" && line.predicate.undoes === entryId);
    for (let attempt = 1; attempt <= 5 && !rolledBack(); attempt++) {
      // Should "Apply" land before the tick, the preview applies nothing and nothing is recorded: the page is asked again, as a user would.
      await confirmingPreview(handle.fromPage({ type: "rollback", key: listed.key, id: listed.id }));
    }

    await waitFor("the file's bytes to be back", () => fs.readFileSync(target().fsPath).equals(fileBefore));
    const lines = ledgerEntries(location.ledgerFile);
    const rollback = lines[lines.length - 1];
    assert.equal(rollback.predicate.kind, "rollback");
    assert.equal(rollback.predicate.undoes, entryId);
    assert.deepEqual(
      rollback.predicate.files.map((file) => file.path),
      ["src/infra/database.ts"],
    );
    // The view follows the ledger: the entry is marked as undone.
    await handle.loaded();
    await waitFor("the view to mark the entry rolled back", () => handle.find(entryId)?.undoneBy === rollback.predicate.id, { describe: () => JSON.stringify(handle.find(entryId)) });
  });
});
