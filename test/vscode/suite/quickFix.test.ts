import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, revertAllDirty, ruleOf, selfhealDiagnostics, waitFor, waitForExampleFindings, workspaceUri } from "../helpers";

async function quickFixesAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>("vscode.executeCodeActionProvider", uri, diagnostic.range);
  // The result carries no diagnostics to tell providers apart; the built-in TypeScript
  // extension may answer too, so callers pick our fixes by title.
  return actions.filter((action): action is vscode.CodeAction => action instanceof vscode.CodeAction);
}

suite("quick fixes", () => {
  suiteSetup(async () => {
    await activateExtension();
    await waitForExampleFindings();
  });
  teardown(revertAllDirty);

  // Applying a fix (refactor preview, ledger, rollback) is the pipeline suite's; these check what the editor lists.
  test("a floating promise offers the preferred `void` fix and `await`, each with its policy decision, and a preview", async () => {
    const uri = workspaceUri("src/services/orderService.ts");
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor("the floating-promise finding on line 12", () => selfhealDiagnostics(uri).find((d) => ruleOf(d) === "floating-promise" && d.range.start.line === 11));

    const fixes = await quickFixesAt(uri, diagnostic);
    const titles = fixes.map((fix) => `${fix.title}${fix.isPreferred ? " (preferred)" : ""}`);
    // No policy in the example: the bundled recommended one sends floating-promise fixes to review.
    const voidFix = fixes.find((fix) => fix.isPreferred && fix.title === "Mark as intentionally not awaited (`void`) (review)");
    assert.ok(voidFix?.command, `no preferred void fix among: ${titles.join("; ")}`);
    assert.equal(voidFix.edit, undefined, "the server makes the edit when the command runs, against the text at that moment");
    assert.equal(voidFix.command.command, "selfheal.applyFix");
    assert.deepEqual(voidFix.command.arguments, [
      { uri: uri.toString(), version: document.version, ruleId: "floating-promise", range: { start: { line: 11, character: diagnostic.range.start.character }, end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character } }, fixTitle: "Mark as intentionally not awaited (`void`)" },
    ]);
    // placeOrder is async, so awaiting is offered too, but not preferred: it changes timing.
    assert.ok(fixes.some((fix) => !fix.isPreferred && fix.title === "Await the promise (later statements will wait for it) (review)"), `no await fix among: ${titles.join("; ")}`);
    // One preview for the finding (of its preferred fix), not one per fix.
    const previews = fixes.filter((fix) => fix.command?.command === "selfheal.previewFix");
    assert.deepEqual(
      previews.map((fix) => [fix.title, fix.isPreferred ?? false]),
      [['Preview "Mark as intentionally not awaited (`void`)" and its rollback…', false]],
    );
  });

  test("`any` offers `unknown` for review, not preferred (it can break callers)", async () => {
    const uri = workspaceUri("src/infra/database.ts");
    // Code actions need a loaded document, though not an editor.
    await vscode.workspace.openTextDocument(uri);
    const diagnostic = await waitFor("the no-explicit-any finding in database.ts", () => selfhealDiagnostics(uri).find((d) => ruleOf(d) === "no-explicit-any"));
    const fixes = await quickFixesAt(uri, diagnostic);
    const fix = fixes.find((action) => action.title === "Replace `any` with `unknown` (review)");
    assert.ok(fix?.command, `no \`unknown\` fix among: ${fixes.map((action) => action.title).join("; ")}`);
    assert.equal(fix.isPreferred ?? false, false);
  });
});
