import * as assert from "node:assert/strict";
import { DiagnosticSeverity } from "vscode-languageserver-protocol/node";
import { createWorkspace, editorCapabilities, LspClient, removeWorkspace, tsconfig, uriOf } from "./lspClient";

const aText = 'import { b } from "./b";\nexport const a = () => b;\n';
const bText = 'import { a } from "./a";\nexport const b = () => a;\n';
/** The string literal `"./b"` / `"./a"` on the first line of either file. */
const specifierRange = { start: { line: 0, character: 18 }, end: { line: 0, character: 23 } };

describe("LSP import cycles", () => {
  let folder: string;
  let a: string;
  let b: string;
  let client: LspClient | undefined;

  beforeEach(() => {
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/a.ts": aText, "src/b.ts": bText });
    a = uriOf(folder, "src/a.ts");
    b = uriOf(folder, "src/b.ts");
  });

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  it("reports both imports of the cycle, each pointing at the other half", async () => {
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    const [inA] = client.findings(a);
    assert.equal(inA.code, "import-cycle");
    assert.equal(inA.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(inA.range, specifierRange);
    assert.match(inA.message, /^Import cycle: \.\/a\.ts → \.\/b\.ts → \.\/a\.ts\./);
    assert.deepEqual(inA.relatedInformation, [{ location: { uri: b, range: specifierRange }, message: "./b.ts imports ./a" }]);
    const [inB] = client.findings(b);
    assert.deepEqual(inB.relatedInformation, [{ location: { uri: a, range: specifierRange }, message: "./a.ts imports ./b" }]);
  });

  it("clears both files when an edit breaks the cycle, and reports it again when the edit is undone", async () => {
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    await client.open(b, bText);
    // A type-only import is erased at run time: no cycle.
    await client.replaceText(b, 'import type { a } from "./a";\nexport const b = (x: typeof a) => x;\n');
    // a.ts is not open: only the workspace-level re-check can clear it.
    await client.waitForDiagnostics(a, (diagnostics) => diagnostics.length === 0, "the cycle gone from a.ts");
    await client.waitForDiagnostics(b, (diagnostics) => diagnostics.length === 0, "the cycle gone from b.ts");

    await client.replaceText(b, bText);
    await client.waitForDiagnostics(a, (diagnostics) => diagnostics.some((d) => d.code === "import-cycle"), "the cycle back in a.ts");
    await client.waitForDiagnostics(b, (diagnostics) => diagnostics.some((d) => d.code === "import-cycle"), "the cycle back in b.ts");
  });

  it("sends no relatedInformation to a client that cannot show it", async () => {
    const capabilities = { ...editorCapabilities, textDocument: { ...editorCapabilities.textDocument, publishDiagnostics: { relatedInformation: false } } };
    client = await LspClient.start({ folder, capabilities });
    await client.whenAnalyzed();
    const [inA] = client.findings(a);
    assert.equal(inA.code, "import-cycle");
    assert.equal(inA.relatedInformation, undefined);
    assert.match(inA.message, /\.\/b\.ts/, "the message alone must still name the loop");
  });
});
