import * as assert from "node:assert/strict";
import { CodeActionRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification } from "vscode-languageserver-protocol/node";
import { serverStatusRequest } from "../../server/src/protocol/customMessages";
import { createWorkspace, type LspClient, serverPerTest, tsconfig, uriOf } from "./lspClient";

const brokenText = ["export let early: any = 1;", "const half = ;", "export function later(value: any) {", "  return value +;", "}", ""].join("\n");

describe("LSP robustness", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(() => createWorkspace({ "tsconfig.json": tsconfig, "src/broken.ts": brokenText, "src/values.ts": "export const ok = 1;\n" }), (started) => ({ folder, client } = started));

  /** The server answers a request, so it is alive and its message loop is not stuck. */
  async function assertResponsive(): Promise<void> {
    const status = await client!.connection.sendRequest(serverStatusRequest);
    assert.equal(status.folders.length, 1);
    assert.equal(client!.exitCode, undefined);
  }

  it("reports what parses in a file with syntax errors", () => {
    const lines = client!.findings(uriOf(folder, "src/broken.ts")).map((d) => [d.code, d.range.start.line]);
    // The parser recovers after each error: the `any` below the broken lines is found too.
    assert.deepEqual(lines, [
      ["no-explicit-any", 0],
      ["no-explicit-any", 2],
    ]);
  });

  it("keeps reporting while the user types an unfinished statement", async () => {
    const values = uriOf(folder, "src/values.ts");
    await client!.open(values, "export const ok = 1;\n");
    await client!.change(values, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "let typed: any = (" }]);
    const diagnostics = await client!.waitForDiagnostics(values, (list) => list.length > 0, "a finding in the half-typed line");
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start]),
      [["no-explicit-any", { line: 1, character: 11 }]],
    );
  });

  it("ignores documents that are not files, without failing requests on them", async () => {
    const untitled = "untitled:Untitled-1";
    await client!.open(untitled, "let x: any;\nPromise.resolve();\n");
    await client!.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: untitled, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "// more\n" }],
    });
    const diagnostic = { range: { start: { line: 0, character: 7 }, end: { line: 0, character: 10 } }, source: "selfheal", code: "no-explicit-any", message: "any" };
    const actions = await client!.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: untitled }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    assert.deepEqual(actions, []);
    await client!.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: untitled } });
    await assertResponsive();
    assert.equal(client!.diagnostics.has(untitled), false, "an untitled buffer has no project to be analyzed in");
  });

  it("answers a code action request for a file it does not know with nothing", async () => {
    const uri = uriOf(folder, "src/never-created.ts");
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
    const actions = await client!.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics: [{ range, source: "selfheal", code: "no-explicit-any", message: "any" }] },
    });
    assert.deepEqual(actions, []);
  });

  it("survives garbage in a document and out-of-range edits, and keeps analyzing", async () => {
    const garbage = uriOf(folder, "src/garbage.ts");
    const noise = "\u0000\u0001\uFFFE\uD800}}}{{{((( <<<>>> `${ /* \"' \\u{ZZZ} @@@ #!/ \r\r\n" + "é𝄞".repeat(2000) + "\u0000".repeat(100);
    await client!.open(garbage, noise);
    await client!.change(garbage, [
      { range: { start: { line: 999, character: 999 }, end: { line: 1000, character: 0 } }, text: "let x: any;" },
      { range: { start: { line: 0, character: 50 }, end: { line: 0, character: 10 } }, text: "\uD83D" },
    ]);
    await assertResponsive();

    // The proof of survival is real work: a fresh finding in another file after the garbage.
    const values = uriOf(folder, "src/values.ts");
    await client!.open(values, "export const ok = 1;\n");
    await client!.change(values, [{ range: { start: { line: 0, character: 19 }, end: { line: 0, character: 19 } }, text: " as any" }]);
    await client!.waitForDiagnostics(values, (diagnostics) => diagnostics.some((d) => d.code === "no-explicit-any"), "analysis after the garbage");
    assert.equal(client!.exitCode, undefined);
  });
});
