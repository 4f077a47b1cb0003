/**
 * "Accept as contract vX.Y.Z" in the editor, against the built server: the quick fix on a
 * breaking drift is offered for review, its command plans against the code as it is, the editor
 * creates the migration notes and edits the baseline and package.json through one
 * `workspace/applyEdit`, the change is recorded as a `contract-accept` entry, the drift
 * diagnostics clear, and rolling the entry back brings them (and the old files) back.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type CodeAction, CodeActionRequest, type Diagnostic, ExecuteCommandRequest } from "vscode-languageserver-protocol/node";
import { readLedger } from "../../server/src/engine/ledger/verify";
import { type ChangeOutcome, rollbackEntryCommand } from "../../server/src/protocol/customMessages";
import { workspaceWithBaselines } from "./contractWorkspace";
import { type LspClient, serverPerTest, uriOf } from "./lspClient";

describe("LSP: accepting a contract's drift", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(() => {
    const created = workspaceWithBaselines();
    // The drift is on disk before the server starts: what a pull of someone else's change looks like.
    const index = path.join(created, "src/index.ts");
    fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace("b?: number", "b: number"));
    return created;
  }, (started) => ({ folder, client } = started));

  const read = (name: string) => fs.readFileSync(path.join(folder, name), "utf8");
  const contractDiagnostics = (name: string) => (client!.diagnostics.get(uriOf(folder, name)) ?? []).filter((diagnostic) => String(diagnostic.code).startsWith("contract-"));

  function waitForContracts(name: string, count: number, what: string): Promise<Diagnostic[]> {
    return client!.waitFor(() => {
      const diagnostics = contractDiagnostics(name);
      return diagnostics.length === count ? diagnostics : undefined;
    }, 30_000, () => `${what} (now: ${JSON.stringify(contractDiagnostics(name).map((d) => d.code))})`);
  }

  function execute(command: string, argument: unknown): Promise<ChangeOutcome> {
    return client!.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }) as Promise<ChangeOutcome>;
  }

  it("offers the accept for review, applies it as one recorded change, clears the drift, and rolls back", async () => {
    const baselineBefore = read(".selfheal/contracts/calc.json");
    const manifestBefore = read("package.json");
    await client!.openFromDisk(uriOf(folder, "src/index.ts"));
    const [breaking] = await waitForContracts("src/index.ts", 1, "the breaking drift of add");

    const actions = (await client!.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(folder, "src/index.ts") }, range: breaking.range, context: { diagnostics: [breaking] } })) as CodeAction[];
    const accept = actions.find((action) => action.title === "Accept as contract v2.0.0 (calc) (review)");
    assert.ok(accept?.command, `no accept action among ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.equal(accept.isPreferred, false, "accepting a break is a decision, never the preferred fix");

    const outcome = await execute(accept.command.command, accept.command.arguments?.[0]);
    assert.equal(outcome.id, "pipeline-applied", outcome.message);
    const sent = client!.of("applyEdit")[0].params.edit;
    assert.equal(sent.changeAnnotations?.["selfheal.review"]?.needsConfirmation, true, "the editor shows the change for review first");
    assert.deepEqual(
      sent.documentChanges?.map((change) => ("kind" in change ? `${change.kind} ${path.basename((change as { uri: string }).uri)}` : `edit ${path.basename(change.textDocument.uri)}`)),
      ["edit calc.json", "create calc.migrations.md", "edit calc.migrations.md", "edit package.json"],
    );

    assert.equal(JSON.parse(read("package.json")).version, "2.0.0");
    assert.equal(JSON.parse(read(".selfheal/contracts/calc.json")).version, "2.0.0");
    assert.match(read(".selfheal/contracts/calc.migrations.md"), /^## 2\.0\.0 \(from 1\.2\.0\)\n\n1 breaking change, 0 additive changes\.\n\n### Breaking: consumers must act\n\n- 'add': the parameter 'b' is now required/m);
    const { entries, integrity } = await readLedger(path.join(folder, ".selfheal/ledger.jsonl"));
    assert.ok(integrity.intact);
    assert.deepEqual([entries.length, entries[0].predicate.kind, entries[0].predicate.contract, entries[0].predicate.decision?.outcome], [1, "contract-accept", "calc", "review"]);

    await waitForContracts("src/index.ts", 0, "the drift gone once the baseline is the code");
    await waitForContracts("package.json", 0, "no version diagnostic at 2.0.0");

    const undo = await execute(rollbackEntryCommand, { entryId: entries[0].predicate.id });
    assert.equal(undo.id, "editor-rollback-applied", undo.message);
    assert.equal(read(".selfheal/contracts/calc.json"), baselineBefore);
    assert.equal(read("package.json"), manifestBefore);
    assert.ok(!fs.existsSync(path.join(folder, ".selfheal/contracts/calc.migrations.md")), "the notes the accept created are deleted again");
    await waitForContracts("src/index.ts", 1, "the drift back after the rollback");
  });
});
