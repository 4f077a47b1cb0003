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

  test("the preferred `void` fix for a floating promise changes the file and clears the finding", async () => {
    const uri = workspaceUri("src/services/orderService.ts");
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const findingOn = (line: number) => selfhealDiagnostics(uri).find((d) => ruleOf(d) === "floating-promise" && d.range.start.line === line);
    const diagnostic = await waitFor("the floating-promise finding on line 12", () => findingOn(11));

    const fixes = await quickFixesAt(uri, diagnostic);
    const titles = fixes.map((fix) => `${fix.title}${fix.isPreferred ? " (preferred)" : ""}`);
    const voidFix = fixes.find((fix) => fix.isPreferred && fix.title.includes("`void`"));
    assert.ok(voidFix?.edit, `no preferred void fix among: ${titles.join("; ")}`);
    // placeOrder is async, so awaiting is offered too, but not preferred: it changes timing.
    assert.ok(fixes.some((fix) => !fix.isPreferred && fix.title.startsWith("Await the promise")), `no await fix among: ${titles.join("; ")}`);

    assert.equal(await vscode.workspace.applyEdit(voidFix.edit), true);
    assert.ok(document.getText().includes("void writeAuditLog("), document.getText());
    assert.equal(document.lineAt(11).text, '  void writeAuditLog({ event: "order.placed", id: order.id });');

    // Line 13 keeps its finding: the file was re-analyzed, not merely cleared.
    await waitFor("the finding on line 12 to disappear while line 13 keeps its own", () => !findingOn(11) && findingOn(12), {
      describe: () => JSON.stringify(selfhealDiagnostics(uri).map((d) => `${d.range.start.line + 1} ${ruleOf(d)}`)),
    });
  });

  test("replacing `any` with `unknown` clears the no-explicit-any finding", async () => {
    const uri = workspaceUri("src/infra/database.ts");
    // Code actions need a loaded document, though not an editor.
    const document = await vscode.workspace.openTextDocument(uri);
    const diagnostic = await waitFor("the no-explicit-any finding in database.ts", () => selfhealDiagnostics(uri).find((d) => ruleOf(d) === "no-explicit-any"));
    const fixes = await quickFixesAt(uri, diagnostic);
    const fix = fixes.find((action) => action.title === "Replace `any` with `unknown`");
    assert.ok(fix?.edit, `no \`unknown\` fix among: ${fixes.map((action) => action.title).join("; ")}`);

    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.ok(document.lineAt(13).text.includes("entry: Record<string, unknown>"), document.lineAt(13).text);
    await waitFor("the no-explicit-any finding to disappear", () => !selfhealDiagnostics(uri).some((d) => ruleOf(d) === "no-explicit-any"));
  });
});
