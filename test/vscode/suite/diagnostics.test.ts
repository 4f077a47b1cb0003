import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, allFindings, cliFindings, expectedFindings, knownFindings, relativePath, ruleOf, selfhealDiagnostics, waitForExampleFindings, workspaceUri } from "../helpers";

suite("diagnostics", () => {
  suiteSetup(activateExtension);

  test("the editor shows what the CLI reports, for unopened files too", async () => {
    await waitForExampleFindings();
    assert.deepEqual(allFindings(), expectedFindings());
    const missing = knownFindings.filter((finding) => !allFindings().includes(finding));
    assert.deepEqual(missing, [], "findings the other tests rely on");
    // Findings for files no editor ever opened prove the server pushes workspace-wide results.
    const openFiles = new Set(vscode.workspace.textDocuments.map((document) => relativePath(document.uri)));
    const neverOpened = ["src/infra/database.ts", "src/http/routes.ts", "src/domain/order.ts"].filter((file) => !openFiles.has(file));
    assert.ok(neverOpened.length > 0, `every example file is open: ${[...openFiles].join(", ")}`);
    for (const file of neverOpened) assert.ok(selfhealDiagnostics(workspaceUri(file)).length > 0, `no selfheal diagnostic for unopened ${file}`);
  });

  test("each finding has the CLI's severity and a link to its rule's docs", async () => {
    const vscodeSeverity: Record<string, vscode.DiagnosticSeverity> = {
      error: vscode.DiagnosticSeverity.Error,
      warning: vscode.DiagnosticSeverity.Warning,
      info: vscode.DiagnosticSeverity.Information,
      hint: vscode.DiagnosticSeverity.Hint,
    };
    const severityOf = new Map(cliFindings().map((finding) => [`${finding.file}:${finding.line} ${finding.rule}`, finding.severity]));
    const shown = vscode.languages.getDiagnostics().flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === "selfheal").map((d) => ({ uri, d })));
    assert.ok(shown.length > 0);
    for (const { uri, d } of shown) {
      const rule = ruleOf(d);
      const key = `${relativePath(uri)}:${d.range.start.line + 1} ${rule}`;
      assert.equal(d.severity, vscodeSeverity[severityOf.get(key) ?? ""], `severity of ${key}`);
      const target = typeof d.code === "object" ? d.code.target : undefined;
      assert.ok(target && target.toString().includes(rule), `the docs link of ${key} is ${target?.toString()}`);
      // The link points into the installed extension: the package must ship the docs.
      await vscode.workspace.fs.stat(target).then(undefined, () => assert.fail(`${target.toString()} does not exist`));
    }
  });
});
