import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, DidCloseTextDocumentNotification } from "vscode-languageserver-protocol/node";
import { createWorkspace, type LspClient, repoRoot, serverPerTest, tsconfig, uriOf } from "./lspClient";

const files = {
  "tsconfig.json": tsconfig,
  "src/values.ts": "export let loose: any = 1;\n",
  "src/store.ts": "export async function save(): Promise<void> {}\n",
  "src/main.ts": 'import { save } from "./store";\n\nsave();\n',
};

/** The rule's page in this checkout; it must exist, or the editor's link leads nowhere. */
function docsUrl(ruleId: string): string {
  const file = path.join(repoRoot, "docs", "rules", `${ruleId}.md`);
  assert.ok(fs.existsSync(file), `${file} is missing`);
  return pathToFileURL(file).href;
}

describe("LSP diagnostics", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(() => createWorkspace(files), (started) => ({ folder, client } = started));

  it("publishes for files nobody opened, in the documented shape", () => {
    const [loose, ...others] = client!.findings(uriOf(folder, "src/values.ts"));
    assert.equal(others.length, 0);
    // The wording may improve; it must keep naming the problem and the way out.
    assert.match(loose.message, /`any`.*`unknown`/);
    assert.deepEqual({ ...loose, message: undefined }, {
      range: { start: { line: 0, character: 18 }, end: { line: 0, character: 21 } },
      severity: DiagnosticSeverity.Warning,
      source: "selfheal",
      code: "no-explicit-any",
      codeDescription: { href: docsUrl("no-explicit-any") },
      message: undefined,
      data: { ruleId: "no-explicit-any" },
    });
    // The type-aware rule ran on an unopened file too: the whole program was checked, not just the open buffers.
    const [floating] = client!.findings(uriOf(folder, "src/main.ts"));
    assert.equal(floating.code, "floating-promise");
    assert.equal(floating.severity, DiagnosticSeverity.Error);
    assert.deepEqual(floating.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } });
    assert.deepEqual(floating.codeDescription, { href: docsUrl("floating-promise") });
    assert.deepEqual(floating.data, { ruleId: "floating-promise" });
    assert.deepEqual(client!.codes(uriOf(folder, "src/store.ts")), []);
  });

  it("follows the open buffer, not the disk, and reverts when it closes unsaved", async () => {
    const uri = uriOf(folder, "src/values.ts");
    await client!.open(uri, "export let loose: unknown = 1;\nexport function g(x: any) { return x; }\n");
    const inBuffer = await client!.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((d) => d.range.start.line === 1), "the buffer's finding");
    assert.deepEqual(
      inBuffer.map((d) => [d.code, d.range]),
      [["no-explicit-any", { start: { line: 1, character: 21 }, end: { line: 1, character: 24 } }]],
    );

    await client!.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    const onDisk = await client!.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((d) => d.range.start.line === 0), "the disk copy's finding");
    assert.deepEqual(
      onDisk.map((d) => [d.code, d.range.start]),
      [["no-explicit-any", { line: 0, character: 18 }]],
    );
  });

  it("keeps the findings of a file opened unchanged", async () => {
    const uri = uriOf(folder, "src/main.ts");
    const before = client!.findings(uri);
    const from = client!.mark();
    await client!.open(uri, files["src/main.ts"]);
    // Opening changes the version, not the text: the type-aware finding must not flicker away until a re-check.
    assert.deepEqual(await client!.waitForPublish(uri, from), before);
  });

  it("keeps the findings of a file closed unchanged", async () => {
    const uri = uriOf(folder, "src/main.ts");
    const from = client!.mark();
    await client!.open(uri, files["src/main.ts"]);
    await client!.waitForPublish(uri, from, (diagnostics) => diagnostics.length === 1, "the finding after open");
    await client!.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });

    // A settings change republishes every file from what the server holds: the closed file's finding must be among it.
    await client!.updateSettings({});
    assert.deepEqual(client!.codes(uri), ["floating-promise"]);
  });
});
