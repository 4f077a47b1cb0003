import * as assert from "node:assert/strict";
import { DiagnosticSeverity } from "vscode-languageserver-protocol/node";
import { createWorkspace, editorCapabilities, LspClient, removeWorkspace, tsconfig, uriOf, writeFile } from "./lspClient";

const files = {
  "tsconfig.json": tsconfig,
  "src/values.ts": "export let loose: any = 1;\n",
  "src/store.ts": "export async function save() {}\n",
  "src/main.ts": 'import { save } from "./store";\nsave();\n',
};

describe("LSP settings", () => {
  let folder: string;
  let values: string;
  let main: string;
  let client: LspClient | undefined;

  beforeEach(() => {
    folder = createWorkspace(files);
    values = uriOf(folder, "src/values.ts");
    main = uriOf(folder, "src/main.ts");
  });

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  const severities = (uri: string) => client!.findings(uri).map((d) => [d.code, d.severity]);

  it("turns a rule off and back on at another severity, pulling the settings each time", async () => {
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    assert.deepEqual(severities(values), [["no-explicit-any", DiagnosticSeverity.Warning]]);

    await client.updateSettings({ rules: { "no-explicit-any": "off" } });
    assert.deepEqual(severities(values), [], "the file must be republished without them");
    assert.deepEqual(severities(main), [["floating-promise", DiagnosticSeverity.Error]], "other rules are unaffected");

    await client.updateSettings({ rules: { "no-explicit-any": "error", "floating-promise": "hint" } });
    assert.deepEqual(severities(values), [["no-explicit-any", DiagnosticSeverity.Error]]);
    assert.deepEqual(severities(main), [["floating-promise", DiagnosticSeverity.Hint]]);
    // One pull at start-up, one per change: the server never guesses from the notification's payload.
    assert.deepEqual(
      client.of("configuration").map((event) => event.items),
      [[{ section: "selfheal" }], [{ section: "selfheal" }], [{ section: "selfheal" }]],
    );
  });

  it("takes initializationOptions and pushed settings from a client without workspace/configuration", async () => {
    const capabilities = { ...editorCapabilities, workspace: { ...editorCapabilities.workspace, configuration: false } };
    client = await LspClient.start({ folder, capabilities, initializationOptions: { settings: { rules: { "no-explicit-any": "error" } } } });
    await client.whenAnalyzed();
    assert.deepEqual(severities(values), [["no-explicit-any", DiagnosticSeverity.Error]]);

    const from = client.mark();
    await client.changeConfiguration({ rules: { "no-explicit-any": "off" } });
    await client.waitForEvent("status", from, (event) => event.status.state === "idle", "idle after the settings change");
    assert.deepEqual(severities(values), []);
    assert.equal(client.of("configuration").length, 0, "a client without the capability must not be asked");
  });

  it("turning typeAware off removes type-aware findings, and on brings them back", async () => {
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    await client.updateSettings({ typeAware: false });
    await client.waitForDiagnostics(main, (diagnostics) => diagnostics.length === 0, "floating-promise gone");
    assert.deepEqual(client.codes(values), ["no-explicit-any"], "syntactic rules still run");

    await client.updateSettings({ typeAware: true });
    await client.waitForDiagnostics(main, (diagnostics) => diagnostics.length === 1, "floating-promise back");
  });

  it("stops analyzing files over maxFileSizeKB, and resumes when the limit is raised", async () => {
    const big = uriOf(folder, "src/big.ts");
    writeFile(folder, "src/big.ts", `// ${"x".repeat(3000)}\nexport let big: any;\n`);
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    assert.deepEqual(client.codes(big), ["no-explicit-any"]);

    await client.updateSettings({ maxFileSizeKB: 2 });
    await client.waitForDiagnostics(big, (diagnostics) => diagnostics.length === 0, "big.ts skipped");
    assert.deepEqual(client.codes(values), ["no-explicit-any"], "small files are still analyzed");

    await client.updateSettings({ maxFileSizeKB: 4 });
    await client.waitForDiagnostics(big, (diagnostics) => diagnostics.length === 1, "big.ts analyzed again");
  });

  it("re-analyzes when a rule option changes, so a new threshold applies to unopened files", async () => {
    const branchy = uriOf(folder, "src/branchy.ts");
    writeFile(folder, "src/branchy.ts", "export function pick(a: number) {\n  if (a > 1) return 1;\n  if (a > 2) return 2;\n  return 3;\n}\n");
    const complexityFindings = () => (client!.diagnostics.get(branchy) ?? []).filter((diagnostic) => diagnostic.code === "complexity");
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    assert.equal(complexityFindings().length, 0, "3 paths are under the default maximum of 10");

    await client.updateSettings({ rules: { complexity: { severity: "warning", options: { maxCyclomatic: 2 } } } });
    await client.waitFor(() => complexityFindings().length === 1, 10_000, "complexity reported under the lowered threshold");
    assert.match(complexityFindings()[0].message, /cyclomatic complexity of 3 \(maximum 2\)/);
  });

  it("ignores invalid values and keeps the defaults", async () => {
    client = await LspClient.start({ folder, settings: { rules: { "no-explicit-any": "loud", "no-such-rule": "error" }, debounceMs: "soon", maxFileSizeKB: -5 } });
    await client.whenAnalyzed();
    assert.deepEqual(severities(values), [["no-explicit-any", DiagnosticSeverity.Warning]]);
    assert.deepEqual(severities(main), [["floating-promise", DiagnosticSeverity.Error]]);
  });
});
