import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, revertAllDirty, revertAndClose, ruleOf, selfhealDiagnostics, waitFor, waitForExampleFindings, workspaceUri } from "../helpers";

suite("editing", () => {
  suiteSetup(async () => {
    await activateExtension();
    await waitForExampleFindings();
  });
  // The tests revert their own edits; this covers a test that failed half-way.
  teardown(revertAllDirty);

  test("typing an `any` adds a finding, undoing the edit removes it", async () => {
    const uri = workspaceUri("src/index.ts");
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const findings = () => JSON.stringify(selfhealDiagnostics(uri).map((d) => `${d.range.start.line + 1} ${ruleOf(d)}`));
    const before = findings();
    assert.ok(!before.includes("no-explicit-any"), before);

    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), "const x: any = 1;\n")));
    // Unsaved: the server must work from the buffer, not from the file on disk.
    const added = await waitFor("a no-explicit-any finding on the typed line", () =>
      selfhealDiagnostics(uri).find((d) => ruleOf(d) === "no-explicit-any" && d.range.start.line === 0),
    );
    assert.equal(document.getText(added.range), "any");

    await revertAndClose(document);
    await waitFor("the findings from before the edit after the revert", () => findings() === before, { describe: findings });
  });

  test("an edit above a finding moves it along", async () => {
    const uri = workspaceUri("src/domain/order.ts");
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const lineOfAny = () => selfhealDiagnostics(uri).find((d) => ruleOf(d) === "no-explicit-any")?.range.start.line;
    assert.equal(lineOfAny(), 21);

    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), "// one\n// two\n")));
    await waitFor("the no-explicit-any finding to move down two lines", () => lineOfAny() === 23, { describe: () => `line ${lineOfAny()}` });
    assert.equal(document.lineAt(23).text.includes("payload: any"), true);

    await revertAndClose(document);
    await waitFor("the finding to return to its line", () => lineOfAny() === 21, { describe: () => `line ${lineOfAny()}` });
  });
});
