import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";
import { FileChangeType } from "vscode-languageserver-protocol/node";
import { createWorkspace, type LspClient, serverPerTest, tsconfig, uriOf, writeFile } from "./lspClient";

/**
 * Importers are re-checked only when the edited file's declarations change: an edit inside a
 * function body leaves them alone (it cannot change what they see), an export change does not.
 */
describe("LSP re-checking importers", () => {
  let folder: string;
  let client: LspClient | undefined;

  const store = "export async function save(): Promise<void> {\n  await Promise.resolve();\n}\n";
  const bodyEdited = "export async function save(): Promise<void> {\n  await Promise.resolve(1);\n  await Promise.resolve(2);\n}\n";
  const main = 'import { save } from "./store";\n\nsave();\n';
  // An importer of store.ts through a re-export, whose own declarations never change.
  const reexport = 'export { save } from "./store";\n';
  const other = 'import { save } from "./reexport";\n\nsave();\n';

  serverPerTest(() => createWorkspace({ "tsconfig.json": tsconfig, "src/store.ts": store, "src/main.ts": main, "src/reexport.ts": reexport, "src/other.ts": other }), (started) => ({ folder, client } = started));

  /** Resolves once the server logs that it skipped the (three) importers of `uri`, and then reports idle. */
  async function skipped(client: LspClient, uri: string, from: number): Promise<void> {
    const message = `declarations of ${fileURLToPath(uri)} unchanged: skipped re-checking 3 dependent file(s)`;
    const logged = await client.waitForEvent("log", from, (event) => event.message === message, message);
    await client.waitForEvent("status", logged.index, (event) => event.status.state === "idle", "idle after the type-aware pass");
  }

  it("does not re-check an unopened importer after an edit inside a function body, from the first edit on", async () => {
    const storeUri = uriOf(folder, "src/store.ts");
    const mainUri = uriOf(folder, "src/main.ts");
    assert.deepEqual(client!.codes(mainUri), ["floating-promise"]);

    // Opening a file as it is on disk records its declarations in the background.
    const opened = client!.mark();
    await client!.open(storeUri, store);
    await client!.waitForEvent("log", opened, (event) => event.message.startsWith("recorded the declarations of 1 file(s)"), "the declarations recorded");

    const typed = client!.mark();
    await client!.replaceText(storeUri, bodyEdited);
    await skipped(client!, storeUri, typed);
    assert.deepEqual(importersPublishedSince(typed), [], "no importer is re-published");
    assert.deepEqual(client!.codes(mainUri), ["floating-promise"], "main.ts keeps its (still right) finding");

    // An export change after the skip is still seen: the skipped edit did not lose track of the declarations.
    await client!.replaceText(storeUri, "export function save(): void {}\n");
    await client!.waitForDiagnostics(mainUri, (diagnostics) => diagnostics.length === 0, "main.ts cleared");
  });

  it("does not re-check the importers of a file changed on disk whose declarations stayed the same", async () => {
    const storeUri = uriOf(folder, "src/store.ts");
    const mainUri = uriOf(folder, "src/main.ts");
    // The first change of a file never opened has nothing to compare with: its importers are re-checked.
    const first = client!.mark();
    writeFile(folder, "src/store.ts", bodyEdited);
    await client!.watchedFilesChanged([{ uri: storeUri, type: FileChangeType.Changed }]);
    await client!.waitForEvent("log", first, (event) => event.message.startsWith("re-checked 3 dependent file(s)"), "the re-check of the importers");

    const second = client!.mark();
    writeFile(folder, "src/store.ts", store);
    await client!.watchedFilesChanged([{ uri: storeUri, type: FileChangeType.Changed }]);
    await skipped(client!, storeUri, second);
    assert.deepEqual(importersPublishedSince(second), [], "no importer is re-published");
    assert.deepEqual(client!.codes(mainUri), ["floating-promise"]);

    writeFile(folder, "src/store.ts", "export function save(): void {}\n");
    await client!.watchedFilesChanged([{ uri: storeUri, type: FileChangeType.Changed }]);
    await client!.waitForDiagnostics(mainUri, (diagnostics) => diagnostics.length === 0, "main.ts cleared");
  });

  it("re-checks the importers of a file deleted and created again, whatever it declares", async () => {
    const storeUri = uriOf(folder, "src/store.ts");
    const otherUri = uriOf(folder, "src/other.ts");
    assert.deepEqual(client!.codes(otherUri), ["floating-promise"]);
    // Known declarations of store.ts, from a change on disk.
    const changed = client!.mark();
    writeFile(folder, "src/store.ts", bodyEdited);
    await client!.watchedFilesChanged([{ uri: storeUri, type: FileChangeType.Changed }]);
    await client!.waitForEvent("log", changed, (event) => event.message.startsWith("re-checked 3 dependent file(s)"), "the re-check of the importers");

    fs.rmSync(fileURLToPath(storeUri));
    await client!.watchedFilesChanged([{ uri: storeUri, type: FileChangeType.Deleted }]);
    await client!.waitForDiagnostics(otherUri, (diagnostics) => diagnostics.length === 0, "other.ts cleared: save no longer resolves");
    // Back with the declarations it had: other.ts saw it missing, and reexport.ts (whose own
    // declarations are the same either way) does not tell it otherwise, so store.ts must.
    writeFile(folder, "src/store.ts", bodyEdited);
    await client!.watchedFilesChanged([{ uri: storeUri, type: FileChangeType.Created }]);
    await client!.waitForDiagnostics(otherUri, (diagnostics) => diagnostics.length === 1, "other.ts's finding back");
  });

  function importersPublishedSince(from: number): string[] {
    const storeUri = uriOf(folder, "src/store.ts");
    return client!.events.slice(from).flatMap((event) => (event.kind === "publish" && event.uri !== storeUri ? [event.uri] : []));
  }
});
