import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { allFindings, extensionId, type ServerHandleLike, waitFor } from "../helpers";

suite("activation", () => {
  test("the extension activates, starts its server and reports findings", async () => {
    const extension = vscode.extensions.getExtension<ServerHandleLike>(extensionId);
    assert.ok(extension, `${extensionId} is not installed`);
    console.log(`extension loaded from: ${extension.extensionPath}`);
    // No TypeScript file has been opened yet, so nothing else should have activated it: if
    // something did, the timing below would be meaningless and we say so.
    const alreadyActive = extension.isActive;

    const started = performance.now();
    const server = await extension.activate();
    console.log(`activation: ${Math.round(performance.now() - started)} ms${alreadyActive ? " (was already active)" : ""}`);
    assert.equal(server.isRunning(), true, `the language server is ${server.describeState()}`);

    await waitFor("the first selfheal diagnostic", () => allFindings().length > 0, { timeoutMs: 60_000 });
    console.log(`first diagnostics: ${Math.round(performance.now() - started)} ms`);
  });
});
