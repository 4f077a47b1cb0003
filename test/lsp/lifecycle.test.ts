import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CodeActionKind, DiagnosticSeverity, TextDocumentSyncKind } from "vscode-languageserver-protocol/node";
import { createWorkspace, editorCapabilities, LspClient, removeWorkspace, repoRoot, tsconfig, uriOf } from "./lspClient";

describe("LSP lifecycle", () => {
  let folder: string | undefined;
  let client: LspClient | undefined;

  beforeEach(() => {
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/a.ts": "export let a: any = 1;\n", "src/b.ts": "export const b = 2;\n" });
  });

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  it("answers initialize with its capabilities and name", async () => {
    client = LspClient.spawn({ folder: folder! });
    const result = await client.initialize();
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;
    assert.deepEqual(result.serverInfo, { name: "selfheal", version });
    // Incremental sync is what keeps typing cheap: a full-text sync would re-send the file per keystroke.
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix, "source.fixAll.selfheal", "source.selfheal.fixAllInWorkspace"] });
    // Quick fixes run these: plan, verify, apply through workspace/applyEdit, record (docs/architecture.md).
    assert.deepEqual(result.capabilities.executeCommandProvider, { commands: ["selfheal.applyFix", "selfheal.applyFixAll", "selfheal.rollbackEntry"] });
    assert.deepEqual(result.capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
  });

  it("after initialized: pulls settings, registers watchers, reports progress begin…end, then goes idle", async () => {
    client = await LspClient.start({ folder: folder! });
    await client.whenAnalyzed();

    assert.deepEqual(
      client.of("configuration").map((event) => event.items),
      [[{ section: "selfheal" }]],
    );
    const registrations = client.of("registration").map((event) => event.registration);
    assert.deepEqual(registrations.map((registration) => registration.method).sort(), ["workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles"]);
    const watchers = registrations.find((registration) => registration.method === "workspace/didChangeWatchedFiles")!.registerOptions.watchers;
    const patterns = watchers.map((watcher: { globPattern: string }) => watcher.globPattern);
    assert.ok(patterns.some((pattern: string) => pattern.includes("ts")), `no watcher for source files: ${patterns}`);
    assert.ok(patterns.some((pattern: string) => pattern.includes("tsconfig")), `no watcher for tsconfig files: ${patterns}`);

    const [created, ...others] = client.of("progressCreate");
    assert.equal(others.length, 0);
    const progress = client.of("progress");
    const kinds = progress.map((event) => event.value.kind);
    assert.equal(kinds[0], "begin");
    assert.equal(kinds[kinds.length - 1], "end");
    assert.ok(kinds.slice(1, -1).every((kind) => kind === "report"), `unexpected progress sequence: ${kinds}`);
    assert.ok(progress.every((event) => event.token === created.token));
    const begin = progress[0].value as { title: string; message?: string };
    assert.equal(begin.title, "Self-Healing Code");
    assert.match(begin.message ?? "", /Analyzing 2 files/);

    assert.equal(client.statuses[0].state, "analyzing");
    // Diagnostics are published before the server says it is idle, and the status bar's totals match them.
    assert.equal(client.codes(uriOf(folder!, "src/a.ts")).join(), "no-explicit-any");
    const idle = client.statuses.find((status) => status.state === "idle")!;
    const published = [...client.diagnostics.values()].flat();
    assert.equal(idle.warnings, published.filter((d) => d.severity === DiagnosticSeverity.Warning).length);
    assert.equal(idle.errors, published.filter((d) => d.severity === DiagnosticSeverity.Error).length);
  });

  it("reports no progress to a client that cannot show it, and still publishes", async () => {
    const capabilities = { ...editorCapabilities, window: { workDoneProgress: false } };
    client = await LspClient.start({ folder: folder!, capabilities });
    await client.whenAnalyzed();
    assert.equal(client.of("progressCreate").length, 0);
    assert.equal(client.of("progress").length, 0);
    assert.equal(client.codes(uriOf(folder!, "src/a.ts")).join(), "no-explicit-any");
  });

  it("registers nothing with a client that cannot take dynamic registrations", async () => {
    const capabilities = { ...editorCapabilities, workspace: { workspaceFolders: true } };
    client = await LspClient.start({ folder: folder!, capabilities });
    await client.whenAnalyzed();
    assert.deepEqual(client.of("registration"), []);
    assert.deepEqual(client.of("configuration"), [], "nor may it ask for settings the client cannot give");
    // Without watchers, the user must learn why disk changes go unseen.
    assert.ok(client.of("log").some((event) => /cannot watch files/.test(event.message)));
  });

  it("pulls settings but registers no settings watcher when the client cannot register one", async () => {
    const capabilities = { ...editorCapabilities, workspace: { ...editorCapabilities.workspace, didChangeConfiguration: { dynamicRegistration: false } } };
    client = await LspClient.start({ folder: folder!, capabilities });
    await client.whenAnalyzed();
    assert.deepEqual(client.of("registration").map((event) => event.registration.method), ["workspace/didChangeWatchedFiles"]);
    assert.ok(client.of("configuration").length > 0, "settings are still pulled with workspace/configuration");
  });

  it("exits with code 0 after shutdown and exit", async () => {
    client = await LspClient.start({ folder: folder! });
    await client.whenAnalyzed();
    assert.equal(await client.shutdown(), 0);
  });

  it("exits with code 1 on exit without shutdown, as the protocol requires", async () => {
    client = await LspClient.start({ folder: folder! });
    await client.whenAnalyzed();
    await client.connection.sendNotification("exit");
    assert.equal(await client.whenExited(), 1);
  });
});
