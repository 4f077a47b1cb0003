/**
 * The contract-aware migration path in the editor, against the built server: an export renamed
 * (`add` → `sum`) breaks contract `calc`; "Restore compatibility" adds a deprecated alias, which
 * ends the break; the consumer that still uses `add` then gets a `deprecated-usage` finding whose
 * fix migrates it to `sum`. Each step goes through the pipeline and is its own ledger entry.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type CodeAction, CodeActionRequest, type Diagnostic, ExecuteCommandRequest } from "vscode-languageserver-protocol/node";
import { readLedger } from "../../server/src/engine/ledger/verify";
import type { ChangeOutcome } from "../../server/src/protocol/customMessages";
import { workspaceWithBaselines } from "./contractWorkspace";
import { type LspClient, serverPerTest, uriOf } from "./lspClient";

describe("LSP: restoring a contract's compatibility, then migrating its consumers", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(() => {
    const created = workspaceWithBaselines();
    const index = path.join(created, "src/index.ts");
    fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace("export function add(", "export function sum("));
    return created;
  }, (started) => ({ folder, client } = started));

  const read = (name: string) => fs.readFileSync(path.join(folder, name), "utf8");
  const diagnosticsOf = (name: string, prefix: string) => (client!.diagnostics.get(uriOf(folder, name)) ?? []).filter((diagnostic) => String(diagnostic.code).startsWith(prefix));

  function waitFor(name: string, prefix: string, match: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return client!.waitFor(() => {
      const diagnostics = diagnosticsOf(name, prefix);
      return match(diagnostics) ? diagnostics : undefined;
    }, 30_000, () => `${what} (now: ${JSON.stringify(diagnosticsOf(name, prefix).map((d) => `${d.code}: ${d.message}`))})`);
  }

  async function actionTitled(name: string, diagnostic: Diagnostic, title: RegExp): Promise<CodeAction> {
    const actions = (await client!.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(folder, name) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const found = actions.find((action) => title.test(action.title));
    assert.ok(found?.command, `no action matching ${title} among ${JSON.stringify(actions.map((action) => action.title))}`);
    return found;
  }

  function run(action: CodeAction): Promise<ChangeOutcome> {
    return client!.connection.sendRequest(ExecuteCommandRequest.type, { command: action.command!.command, arguments: action.command!.arguments }) as Promise<ChangeOutcome>;
  }

  it("restores the renamed export as a deprecated alias, then migrates the consumer, each change recorded", async () => {
    await client!.openFromDisk(uriOf(folder, "src/index.ts"));
    const [removed] = await waitFor("src/index.ts", "contract-breaking", (diagnostics) => diagnostics.length === 1, "the break of the removed export add");
    assert.match(removed.message, /'add'/);

    const restore = await actionTitled("src/index.ts", removed, /^Restore compatibility: export `add` as a deprecated alias of `sum` \(review\)$/);
    const restored = await run(restore);
    assert.equal(restored.id, "pipeline-applied", restored.message);
    assert.match(read("src/index.ts"), /\/\*\* @deprecated Use \{@link sum\} instead\. Renamed in calc after 1\.2\.0\. \*\/\nexport const add = sum;\n/);
    await waitFor("src/index.ts", "contract-breaking", (diagnostics) => diagnostics.length === 0, "no break once the alias is there");

    await client!.openFromDisk(uriOf(folder, "src/consumer.ts"));
    const [deprecated] = await waitFor("src/consumer.ts", "deprecated-usage", (diagnostics) => diagnostics.length >= 1, "the consumer's use of the deprecated alias");
    const migrate = await actionTitled("src/consumer.ts", deprecated, /^Migrate to `sum`/);
    const migrated = await run(migrate);
    assert.equal(migrated.id, "pipeline-applied", migrated.message);
    assert.equal(read("src/consumer.ts"), 'import { sum } from "./index";\n\nexport const next = sum(41);\n');
    await waitFor("src/consumer.ts", "deprecated-usage", (diagnostics) => diagnostics.length === 0, "nothing deprecated left in the consumer");

    const { entries, integrity } = await readLedger(path.join(folder, ".selfheal/ledger.jsonl"));
    assert.ok(integrity.intact);
    assert.deepEqual(entries.map((entry) => [entry.predicate.kind, entry.predicate.rule, entry.predicate.files.map((file) => file.path)]), [
      ["apply", "contract-breaking", ["src/index.ts"]],
      ["apply", "deprecated-usage", ["src/consumer.ts"]],
    ]);
    assert.match(entries[0].predicate.rationale, /alias/);
  });
});
