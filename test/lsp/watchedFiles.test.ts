import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FileChangeType } from "vscode-languageserver-protocol/node";
import { createWorkspace, type LspClient, serverPerTest, tsconfig, uriOf, writeFile } from "./lspClient";

const files = {
  "tsconfig.json": tsconfig,
  "src/values.ts": "export let loose: any = 1;\n",
  "src/store.ts": "export async function save() {}\n",
  "src/main.ts": 'import { save } from "./store";\nsave();\n',
};

describe("LSP watched files", () => {
  let folder: string;
  let client: LspClient | undefined;

  serverPerTest(() => createWorkspace(files), (started) => ({ folder, client } = started));

  it("analyzes a file created on disk and clears it when deleted", async () => {
    const extra = uriOf(folder, "src/extra.ts");
    writeFile(folder, "src/extra.ts", "export let extra: any;\n");
    await client!.watchedFilesChanged([{ uri: extra, type: FileChangeType.Created }]);
    const found = await client!.waitForDiagnostics(extra, (diagnostics) => diagnostics.length > 0, "the new file's finding");
    assert.deepEqual(
      found.map((d) => [d.code, d.range.start]),
      [["no-explicit-any", { line: 0, character: 18 }]],
    );

    const from = client!.mark();
    fs.rmSync(path.join(folder, "src/extra.ts"));
    await client!.watchedFilesChanged([{ uri: extra, type: FileChangeType.Deleted }]);
    // Only an empty publish removes the file's entries from the editor's Problems view.
    const { event } = await client!.waitForEvent("publish", from, (event) => event.uri === extra, "a publish for the deleted file");
    assert.deepEqual(event.diagnostics, []);
  });

  it("re-checks an unopened file and its importers when it changes on disk", async () => {
    const store = uriOf(folder, "src/store.ts");
    const main = uriOf(folder, "src/main.ts");
    assert.deepEqual(client!.codes(main), ["floating-promise"]);
    writeFile(folder, "src/store.ts", "export function save(): void {}\n");
    await client!.watchedFilesChanged([{ uri: store, type: FileChangeType.Changed }]);
    await client!.waitForDiagnostics(main, (diagnostics) => diagnostics.length === 0, "main.ts cleared");
  });

  it("re-checks the importers of a deleted file", async () => {
    const store = uriOf(folder, "src/store.ts");
    const main = uriOf(folder, "src/main.ts");
    fs.rmSync(path.join(folder, "src/store.ts"));
    await client!.watchedFilesChanged([{ uri: store, type: FileChangeType.Deleted }]);
    // `save` no longer resolves, so it is no promise: keeping the old finding would point at nothing real.
    await client!.waitForDiagnostics(main, (diagnostics) => diagnostics.length === 0, "main.ts cleared");
  });

  it("ignores disk events for an open file: the buffer is the truth", async () => {
    const values = uriOf(folder, "src/values.ts");
    await client!.open(values, "export let loose: unknown = 1;\n");
    await client!.waitForDiagnostics(values, (diagnostics) => diagnostics.length === 0, "the buffer's (clean) findings");
    writeFile(folder, "src/values.ts", "export let loose: any = 1;\nexport let more: any = 2;\n");
    await client!.watchedFilesChanged([{ uri: values, type: FileChangeType.Changed }]);

    // Events are handled in order: once a later event's re-check is done, the first was handled too.
    const from = client!.mark();
    writeFile(folder, "src/store.ts", "export function save(): void {}\n");
    await client!.watchedFilesChanged([{ uri: uriOf(folder, "src/store.ts"), type: FileChangeType.Changed }]);
    await client!.waitForEvent("status", from, (event) => event.status.state === "idle", "the re-check of store.ts");
    assert.deepEqual(client!.codes(values), []);
  });

  it("re-discovers the projects when a tsconfig changes", async () => {
    // Only a config with checkJs gets JavaScript type-checked: a config change must re-decide that for every file.
    const legacy = uriOf(folder, "src/legacy.js");
    writeFile(folder, "src/legacy.js", 'import { save } from "./store";\nsave();\n');
    let from = client!.mark();
    await client!.watchedFilesChanged([{ uri: legacy, type: FileChangeType.Created }]);
    await client!.waitForEvent("status", from, (event) => event.status.state === "idle", "the new file analyzed");
    assert.deepEqual(client!.codes(legacy), []);

    from = client!.mark();
    const { compilerOptions, include } = JSON.parse(tsconfig);
    writeFile(folder, "tsconfig.json", JSON.stringify({ compilerOptions: { ...compilerOptions, allowJs: true, checkJs: true }, include }));
    await client!.watchedFilesChanged([{ uri: uriOf(folder, "tsconfig.json"), type: FileChangeType.Changed }]);
    const end = await client!.waitForEvent("progress", from, (event) => event.value.kind === "end", "a second full analysis");
    await client!.waitForEvent("status", end.index, (event) => event.status.state === "idle", "idle after it");
    assert.deepEqual(client!.codes(legacy), ["floating-promise"]);
    assert.deepEqual(client!.codes(uriOf(folder, "src/main.ts")), ["floating-promise"]);
  });

  it("sees every file of a batch that also changes a tsconfig (a branch switch)", async () => {
    const main = uriOf(folder, "src/main.ts");
    const from = client!.mark();
    writeFile(folder, "tsconfig.json", JSON.stringify({ ...JSON.parse(tsconfig), exclude: ["**/*.spec.ts"] }));
    writeFile(folder, "src/store.ts", "export function save(): void {}\n");
    await client!.watchedFilesChanged([
      { uri: uriOf(folder, "tsconfig.json"), type: FileChangeType.Changed },
      { uri: uriOf(folder, "src/store.ts"), type: FileChangeType.Changed },
    ]);
    const end = await client!.waitForEvent("progress", from, (event) => event.value.kind === "end", "the full analysis");
    await client!.waitForEvent("status", end.index, (event) => event.status.state === "idle", "idle after it");
    assert.deepEqual(client!.codes(main), [], "save() no longer returns a promise on disk");
  });
});
