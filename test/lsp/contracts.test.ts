import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Diagnostic, DiagnosticSeverity, FileChangeType } from "vscode-languageserver-protocol/node";
import { Engine } from "../../server/src/engine/analysis/engine";
import { snapshotContract, writeSnapshot } from "../../server/src/engine/contracts/contractRunner";
import { workspaceWithBaselines } from "./contractWorkspace";
import { type LspClient, serverPerTest, uriOf, writeFile } from "./lspClient";

const contractDiagnostics = (diagnostics: readonly Diagnostic[] | undefined) => (diagnostics ?? []).filter((diagnostic) => String(diagnostic.code).startsWith("contract-"));

describe("LSP contract drift", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(() => workspaceWithBaselines(), (started) => ({ folder, client } = started));

  function contractFindings(name: string): Diagnostic[] {
    return contractDiagnostics(client!.diagnostics.get(uriOf(folder, name)));
  }

  function waitForContracts(name: string, match: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    const uri = uriOf(folder, name);
    return client!.waitFor(
      () => {
        const diagnostics = contractDiagnostics(client!.diagnostics.get(uri));
        return match(diagnostics) ? diagnostics : undefined;
      },
      20_000,
      () => `${what} (latest contract diagnostics of ${name}: ${JSON.stringify(contractFindings(name).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`))})`,
    );
  }

  it("shows a parameter made required at its declaration, names the consumer, asks for a major bump, and clears on undo", async () => {
    assert.deepEqual(contractFindings("src/index.ts"), [], "no drift right after the snapshot");
    assert.deepEqual(contractFindings("package.json"), []);

    const indexUri = uriOf(folder, "src/index.ts");
    const original = await client!.openFromDisk(indexUri);
    await client!.replaceText(indexUri, original.replace("b?: number", "b: number"));

    const [breaking] = await waitForContracts("src/index.ts", (diagnostics) => diagnostics.length === 1, "a contract-breaking diagnostic at add's parameter");
    assert.equal(breaking.code, "contract-breaking");
    assert.equal(breaking.severity, DiagnosticSeverity.Error, "the contract's breaking severity (error by default)");
    assert.deepEqual(breaking.range.start, { line: 1, character: 31 }, "at the parameter b");
    assert.match(breaking.message, /^breaking \(proven\): 'add': the parameter 'b' is now required: calls that omit it no longer compile — contract 'calc', baseline 1\.2\.0; used by 1 file$/);
    assert.deepEqual(
      breaking.relatedInformation?.map((related) => [related.location.uri, related.location.range.start, related.message]),
      [[uriOf(folder, "src/consumer.ts"), { line: 0, character: 9 }, "uses add"]],
      "consumer.ts uses add; other.ts imports the entry but not add",
    );

    const [bump] = await waitForContracts("package.json", (diagnostics) => diagnostics.length === 1, "a version diagnostic on package.json");
    assert.equal(bump.code, "contract-version-bump");
    assert.equal(bump.severity, DiagnosticSeverity.Error);
    assert.deepEqual(bump.range.start, { line: 2, character: 2 }, "on the version value");
    assert.match(bump.message, /requires a major bump \(to 2\.0\.0 or later\), but the version is still 1\.2\.0 \(contract 'calc': 1 breaking, 0 additive\)/);

    await client!.replaceText(indexUri, original);
    await waitForContracts("src/index.ts", (diagnostics) => diagnostics.length === 0, "the drift gone after the undo");
    await waitForContracts("package.json", (diagnostics) => diagnostics.length === 0, "the version diagnostic gone after the undo");
  });

  it("accepts a big enough version bump saved to package.json, and ignores a body edit", async () => {
    const indexUri = uriOf(folder, "src/index.ts");
    const original = await client!.openFromDisk(indexUri);
    await client!.replaceText(indexUri, original.replace("b?: number", "b: number"));
    await waitForContracts("package.json", (diagnostics) => diagnostics.length === 1, "the version diagnostic");

    writeFile(folder, "package.json", fs.readFileSync(path.join(folder, "package.json"), "utf8").replace('"1.2.0"', '"2.0.0"'));
    await client!.watchedFilesChanged([{ uri: uriOf(folder, "package.json"), type: FileChangeType.Changed }]);
    await waitForContracts("package.json", (diagnostics) => diagnostics.length === 0, "no version diagnostic after the major bump");
    assert.equal(contractFindings("src/index.ts").length, 1, "the break itself is still shown");

    // The declarations do not change: the contract's last changes are kept, not classified again.
    const from = client!.mark();
    await client!.replaceText(indexUri, client!.text(indexUri)!.replace("return -value;", "return 0 - value;"));
    await client!.waitForEvent("log", from, (event) => /^contract drift timing: calc .*diff skipped, the API reads the same/.test(event.message), "the classification skipped");
  });

  it("shows a schema change saved to disk in the schema file, at the contract's severity", async () => {
    const schemaUri = uriOf(folder, "schemas/user.schema.json");
    const schema = JSON.parse(fs.readFileSync(path.join(folder, "schemas/user.schema.json"), "utf8")) as { properties: Record<string, unknown> };
    delete schema.properties.email;
    writeFile(folder, "schemas/user.schema.json", JSON.stringify(schema, null, 2) + "\n");
    await client!.watchedFilesChanged([{ uri: schemaUri, type: FileChangeType.Changed }]);

    const [removed] = await waitForContracts("schemas/user.schema.json", (diagnostics) => diagnostics.length === 1, "a diagnostic in the schema file");
    assert.equal(removed.code, "contract-breaking");
    assert.equal(removed.severity, DiagnosticSeverity.Warning, "the policy says breaking: warning");
    assert.deepEqual(removed.range.start, { line: 2, character: 2 }, "at the parent's properties");
    assert.match(removed.message, /^breaking \(heuristic\): the property 'email' was removed: .* — contract 'user-schema', baseline 1\.2\.0$/);
    const [bump] = await waitForContracts("package.json", (diagnostics) => diagnostics.length === 1, "the version diagnostic");
    assert.equal(bump.severity, DiagnosticSeverity.Warning, "as severe as the breaks that need it");

    // A new baseline (what "accept" writes) clears it.
    const engine = new Engine();
    engine.workspace.addFolder(folder);
    engine.policies.load(engine.workspace.folderList(), engine.workspace.policyFiles());
    const target = engine.contracts.targets().find((candidate) => candidate.name === "user-schema")!;
    writeSnapshot(snapshotContract(target, () => undefined));
    await client!.watchedFilesChanged([{ uri: uriOf(folder, ".selfheal/contracts/user-schema.json"), type: FileChangeType.Changed }]);
    await waitForContracts("schemas/user.schema.json", (diagnostics) => diagnostics.length === 0, "the schema drift accepted");
  });
});
