import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vscode from "vscode";
import type { ChangeOutcome } from "../../../server/src/protocol/customMessages";
import { activateExtension, ruleOf, selfhealDiagnostics, waitFor, waitForExampleFindings, workspaceUri } from "../helpers";

const fixTitle = "Replace `any` with `unknown` (review)";

interface LedgerLine {
  predicate: { id: string; kind: string; rule?: string; undoes?: string; decision?: { outcome: string }; files: Array<{ path: string; sha256After: string | null }>; chain: { seq: number } };
}

function ledgerLines(): LedgerLine[] {
  const file = workspaceUri(".selfheal/ledger.jsonl").fsPath;
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LedgerLine);
}

/**
 * A reviewed change waits in VS Code's refactor preview, unchecked (that is what
 * `needsConfirmation` means to VS Code 1.100), until someone ticks it and applies it. Do what a
 * user does, through the preview's own commands: focus the change, tick it, "Apply Refactoring".
 * Resolves with what the command that asked for the change returned.
 */
async function acceptPreview<T>(pending: Thenable<T>, timeoutMs = 60_000): Promise<T> {
  let settled: { value: T } | { error: unknown } | undefined;
  pending.then(
    (value) => (settled = { value }),
    (error: unknown) => (settled = { error }),
  );
  const deadline = Date.now() + timeoutMs;
  const run = (command: string) => vscode.commands.executeCommand(command).then(undefined, () => undefined);
  while (!settled) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs / 1000} s: the change never left the refactor preview`);
    // Before the preview holds the change, these do nothing.
    await run("list.focusFirst");
    await run("refactorPreview.toggleCheckedState");
    await run("refactorPreview.apply");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if ("error" in settled) throw settled.error;
  return settled.value;
}

/**
 * Runs a reviewed change through the preview. Should "Apply" land while the preview was still
 * filling, before the tick, the preview applies nothing and the server records nothing
 * (`declinedId`): then the change is asked for again, as a user would.
 */
async function throughThePreview(request: () => Thenable<ChangeOutcome | undefined>, declinedId: string): Promise<ChangeOutcome | undefined> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await acceptPreview(request());
    if (outcome?.id !== declinedId || attempt === 5) return outcome;
  }
}

/**
 * The code actions VS Code collects from every provider. The built-in TypeScript extension, busy
 * with the file the editor just showed, may cancel its part, which cancels the whole request:
 * ask again until the answer comes, as the lightbulb does.
 */
async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, timeoutMs = 30_000): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>("vscode.executeCodeActionProvider", uri, range);
      return actions.filter((action): action is vscode.CodeAction => action instanceof vscode.CodeAction);
    } catch (error) {
      if (!(error instanceof Error && error.message === "Canceled") || Date.now() > deadline) throw error;
    }
  }
}

function previewDocuments(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((document) => document.uri.scheme === "selfheal-preview");
}

suite("the agent pipeline", () => {
  suiteSetup(async () => {
    await activateExtension();
    await waitForExampleFindings();
  });

  teardown(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("previews a fix and its rollback, applies it through the refactor preview, records it, and selfheal.rollback restores the bytes", async () => {
    const uri = workspaceUri("src/infra/database.ts");
    const original = fs.readFileSync(uri.fsPath);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor("the no-explicit-any finding in database.ts", () => selfhealDiagnostics(uri).find((d) => ruleOf(d) === "no-explicit-any"));
    const actions = await codeActionsAt(uri, diagnostic.range);
    const titles = actions.map((action) => action.title).join("; ");
    const fix = actions.find((action) => action.title === fixTitle);
    assert.ok(fix?.command, `no reviewed fix among: ${titles}`);
    assert.equal(fix.edit, undefined, "the server makes the edit when the command runs");
    assert.equal(fix.command.command, "selfheal.applyFix");
    const preview = actions.find((action) => action.title === "Preview fix and rollback…");
    assert.ok(preview?.command, `no preview among: ${titles}`);

    // The preview: the forward diff and the rollback diff, over virtual documents, nothing written.
    await vscode.commands.executeCommand(preview.command.command, ...(preview.command.arguments ?? []));
    const diffs = await waitFor("two diff editors over selfheal-preview documents", () => {
      const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.original.scheme === "selfheal-preview");
      return tabs.length === 2 ? tabs : undefined;
    });
    assert.deepEqual(diffs.map((tab) => tab.label).sort(), ["database.ts ↔ Replace `any` with `unknown`", "database.ts ↔ rollback of Replace `any` with `unknown`"]);
    const texts = previewDocuments().map((previewed) => previewed.getText());
    assert.ok(texts.some((text) => text.includes("entry: Record<string, unknown>")), "the forward diff shows the fixed text");
    assert.ok(texts.filter((text) => text === document.getText()).length >= 2, "before, and what the rollback gives back, are both the file as it is");
    assert.deepEqual(fs.readFileSync(uri.fsPath), original, "a preview writes nothing");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.window.showTextDocument(document);

    // Applying: the refactor preview opens (the change needs review); accepting it applies, saves and records.
    const command = fix.command;
    const applied = await throughThePreview(() => vscode.commands.executeCommand<ChangeOutcome>(command.command, ...(command.arguments ?? [])), "pipeline-not-applied");
    assert.equal(applied?.id, "pipeline-applied", applied?.message);
    assert.ok(applied.entry, JSON.stringify(applied));
    assert.equal(document.isDirty, false, "the server had the change saved: the ledger records the disk");
    assert.ok(fs.readFileSync(uri.fsPath, "utf8").includes("entry: Record<string, unknown>"));
    const [entry] = ledgerLines();
    assert.equal(entry.predicate.id, applied.entry.id);
    assert.equal(entry.predicate.rule, "no-explicit-any");
    assert.equal(entry.predicate.decision?.outcome, "review");
    assert.deepEqual(entry.predicate.files.map((file) => file.path), ["src/infra/database.ts"]);
    await waitFor("the no-explicit-any finding to disappear", () => !selfhealDiagnostics(uri).some((d) => ruleOf(d) === "no-explicit-any"));

    // Rolling back by the entry's id: reviewed as well, then the file is what it was, byte for byte.
    const entryId = applied.entry.id;
    const rolledBack = await throughThePreview(() => vscode.commands.executeCommand<ChangeOutcome>("selfheal.rollback", entryId), "editor-rollback-not-applied");
    assert.equal(rolledBack?.id, "editor-rollback-applied", rolledBack?.message);
    assert.deepEqual(fs.readFileSync(uri.fsPath), original, "the rollback restores the file's bytes");
    assert.equal(document.isDirty, false);
    const lines = ledgerLines();
    assert.equal(lines.length, 2);
    assert.equal(lines[1].predicate.kind, "rollback");
    assert.equal(lines[1].predicate.undoes, applied.entry.id);

    // Twice is refused, and nothing opens for review.
    const again = await vscode.commands.executeCommand<ChangeOutcome>("selfheal.rollback", applied.entry.id);
    assert.equal(again?.id, "ledger-rollback-already-undone", again?.message);
    assert.equal(ledgerLines().length, 2);
    await waitForExampleFindings();
  });
});
