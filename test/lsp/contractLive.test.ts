import * as assert from "node:assert/strict";
import type { Diagnostic } from "vscode-languageserver-protocol/node";
import { Engine } from "../../server/src/engine/analysis/engine";
import { snapshotContract, writeSnapshot } from "../../server/src/engine/contracts/contractRunner";
import { createWorkspace, type LspClient, serverPerTest, uriOf } from "./lspClient";

/**
 * Contract drift while typing: the contract pass runs on its own short debounce, ahead of the
 * type-aware rules, and compares only what the edit reached (docs/contracts.md, "In the editor").
 * The type-aware debounce is set far above the contract pass's, so a finding that arrives before
 * the type-aware pass ran can only be the contract pass's.
 */
const typeAwareDebounceMs = 4_000;

/** Package `calc` 1.0.0: its entry re-exports math.ts, whose `add` the tests edit; a baseline of it as it is. */
function calcWorkspace(): string {
  const folder = createWorkspace({
    "package.json": JSON.stringify({ name: "calc", version: "1.0.0", types: "./src/index.ts" }, null, 2),
    "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, skipLibCheck: true, lib: ["ES2022"] }, include: ["src"] }),
    "src/index.ts": 'export * from "./math";\nexport * from "./text";\n',
    "src/math.ts": "/** Adds. */\nexport function add(a: number, b?: number): number {\n  return a + (b ?? 0);\n}\n",
    "src/text.ts": "export function shout(text: string): string {\n  return text.toUpperCase();\n}\n",
  });
  const engine = new Engine();
  engine.workspace.addFolder(folder);
  engine.policies.load(engine.workspace.folderList(), engine.workspace.policyFiles());
  const [target] = engine.contracts.targets();
  assert.equal(target?.name, "calc");
  writeSnapshot(snapshotContract(target, (file) => engine.workspace.projectOf(file)?.program()));
  return folder;
}

describe("LSP contract drift while typing", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(calcWorkspace, (started) => ({ folder, client } = started), { settings: { debounceMs: typeAwareDebounceMs } });

  const contractFindings = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((diagnostic) => String(diagnostic.code).startsWith("contract-"));

  /** The first publish of `uri` after `from` whose contract findings `match`, and the server's log lines up to it. */
  async function publishedContracts(uri: string, from: number, match: (findings: Diagnostic[]) => boolean, what: string): Promise<{ findings: Diagnostic[]; logs: string[] }> {
    const { event, index } = await client!.waitForEvent("publish", from, (candidate) => candidate.uri === uri && match(contractFindings(candidate.diagnostics)), what, 20_000);
    const logs = client!.events.slice(from, index).flatMap((candidate) => (candidate.kind === "log" ? [candidate.message] : []));
    return { findings: contractFindings(event.diagnostics), logs };
  }

  /** The contract pass's timing line for `calc` after `from`: how it compared. */
  async function timing(from: number): Promise<string> {
    return (await client!.waitForEvent("log", from, (candidate) => candidate.message.startsWith("contract drift timing: calc"), "the contract pass's timing")).event.message;
  }

  it("shows a signature's drift before the type-aware pass, comparing only what the edit reached", async () => {
    const uri = uriOf(folder, "src/math.ts");
    const original = await client!.openFromDisk(uri);
    let from = client!.mark();
    await client!.replaceText(uri, original.replace("b?: number", "b?: number, c?: number"));
    const added = await publishedContracts(uri, from, (findings) => findings.some((finding) => finding.code === "contract-additive"), "the additive drift of add");
    assert.match(added.findings[0].message, /'add': new optional parameter 'c'/);
    assert.deepEqual(added.findings[0].range.start, { line: 1, character: 43 }, "at the new parameter");
    assert.ok(!added.logs.some((line) => line.startsWith("type-aware pass")), `before the type-aware pass:\n${added.logs.join("\n")}`);
    assert.match(await timing(from), /incremental \(1 changed file\): 1 of 2 exports described, 2 of 3 declaration files emitted/, "only add (math.ts), in math.ts and the entry");

    // Lines inserted above move the finding with the code; the API reads the same, so it is not classified again.
    from = client!.mark();
    await client!.replaceText(uri, `// one\n// two\n${client!.text(uri)!}`);
    const moved = await publishedContracts(uri, from, (findings) => findings.some((finding) => finding.range.start.line === 3), "the finding two lines down");
    assert.deepEqual(moved.findings[0].range.start, { line: 3, character: 43 });
    assert.ok(!moved.logs.some((line) => line.startsWith("type-aware pass")), "before the type-aware pass");
    assert.match(await timing(from), /diff skipped, the API reads the same/);

    from = client!.mark();
    await client!.replaceText(uri, original);
    const cleared = await publishedContracts(uri, from, (findings) => findings.length === 0, "no drift after the undo");
    assert.ok(!cleared.logs.some((line) => line.startsWith("type-aware pass")), "before the type-aware pass");
  });

  it("describes only the edited file's exports again, and keeps the last changes when the API reads the same", async () => {
    const uri = uriOf(folder, "src/text.ts");
    const original = await client!.openFromDisk(uri);
    const from = client!.mark();
    await client!.replaceText(uri, original.replace("toUpperCase()", "toLocaleUpperCase()"));
    assert.match(await timing(from), /incremental \(1 changed file\): 1 of 2 exports described, 2 of 3 declaration files emitted; .*diff skipped, the API reads the same/);
  });
});
