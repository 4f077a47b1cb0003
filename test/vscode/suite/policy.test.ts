import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, type ServerHandleLike, ruleOf, selfhealDiagnostics, waitFor, waitForExampleFindings, workspaceUri } from "../helpers";

/** The workspace's policy for this suite: the example's database layer is protected. */
const protectedPolicy = [
  "version: 1",
  "protected:",
  '  - paths: ["src/infra/**"]', // line 3: the entry a denial names
  "    autofix: deny",
  '    reason: "database layer: changes go through the DBA review"',
  "",
].join("\n");

/** Titles end with the policy's decision: "(review)" without this suite's policy, "(denied)" under it. */
const fixTitle = "Replace `any` with `unknown`";

/**
 * What the language client gives VS Code for the lightbulb and Ctrl+. (protocol conversion and
 * middleware included). `vscode.executeCodeActionProvider` cannot show this: VS Code 1.100 does
 * not carry `disabled` through that command's result, so the test asks the registered provider.
 */
interface CodeActionProviding {
  client?: {
    getFeature(method: "textDocument/codeAction"): { getProvider(document: vscode.TextDocument): vscode.CodeActionProvider | undefined };
  };
}

async function fixAsTheEditorGetsIt(server: ServerHandleLike & CodeActionProviding, document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction | undefined> {
  const provider = server.client?.getFeature("textDocument/codeAction").getProvider(document);
  assert.ok(provider, "the language client registered no code action provider for the document");
  const context: vscode.CodeActionContext = { diagnostics: [diagnostic], only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke };
  const actions = (await provider.provideCodeActions(document, diagnostic.range, context, new vscode.CancellationTokenSource().token)) ?? [];
  return actions.find((action): action is vscode.CodeAction => action instanceof vscode.CodeAction && action.title.startsWith(`${fixTitle} (`));
}

/** Like `waitFor`, for a probe that has to ask the server. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, describe: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

suite("policy", () => {
  const policyUri = () => workspaceUri(".selfheal/policy.yaml");
  const databaseUri = () => workspaceUri("src/infra/database.ts");
  let server: ServerHandleLike & CodeActionProviding;

  suiteSetup(async () => {
    server = (await activateExtension()) as ServerHandleLike & CodeActionProviding;
    await waitForExampleFindings();
  });

  suiteTeardown(async () => {
    // The example ships without a policy; the suites after this one expect its fixes enabled again.
    // The file itself, not its folder: watchers report a deleted folder, not the files it held.
    await vscode.workspace.fs.delete(policyUri(), { useTrash: false });
    const document = await vscode.workspace.openTextDocument(databaseUri());
    let seen: vscode.CodeAction | undefined;
    await eventually(
      "the fix to be allowed again once the policy is gone",
      async () => {
        const diagnostic = selfhealDiagnostics(databaseUri()).find((d) => ruleOf(d) === "no-explicit-any");
        seen = diagnostic && (await fixAsTheEditorGetsIt(server, document, diagnostic));
        return seen?.command && !seen.disabled ? seen : undefined;
      },
      () => JSON.stringify(seen),
    );
  });

  test("a quick fix in a protected path is shown disabled, with the reason and the policy line", async () => {
    await vscode.workspace.fs.writeFile(policyUri(), new TextEncoder().encode(protectedPolicy));
    const document = await vscode.workspace.openTextDocument(databaseUri());
    const diagnostic = await waitFor("the no-explicit-any finding in database.ts", () => selfhealDiagnostics(databaseUri()).find((d) => ruleOf(d) === "no-explicit-any"));

    // The server learns of the new policy through the file watcher VS Code runs for it.
    let seen: vscode.CodeAction | undefined;
    const fix = await eventually(
      "the fix to be disabled by the policy",
      async () => {
        seen = await fixAsTheEditorGetsIt(server, document, diagnostic);
        return seen?.disabled ? (seen as vscode.CodeAction & { disabled: { reason: string } }) : undefined;
      },
      () => `${JSON.stringify(seen)} (server ${server.describeState()})`,
    );
    assert.match(fix.disabled.reason, /database layer: changes go through the DBA review/);
    assert.match(fix.disabled.reason, /\(\.selfheal\/policy\.yaml:3\)$/);
    assert.equal(fix.title, `${fixTitle} (denied)`);
    assert.equal(fix.edit, undefined, "a disabled fix carries nothing to apply");
    assert.equal(fix.command, undefined, "nor anything to run");

    // The public command (VS Code 1.100 leaves disabled actions out of its result) has nothing to apply either.
    const listed = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>("vscode.executeCodeActionProvider", databaseUri(), diagnostic.range);
    const applicable = listed.filter((action) => action instanceof vscode.CodeAction && action.title.startsWith(fixTitle) && (action.edit !== undefined || action.command !== undefined));
    assert.deepEqual(applicable, []);
  });
});
