import * as assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { DidChangeWorkspaceFoldersNotification } from "vscode-languageserver-protocol/node";
import { reanalyzeRequest, serverStatusRequest } from "../../server/src/protocol/customMessages";
import { createWorkspace, LspClient, removeWorkspace, tsconfig, uriOf } from "./lspClient";

/** Each folder is its own project with one finding, so we can tell whose diagnostics arrive. */
const folderWithFinding = (name: string) => createWorkspace({ "tsconfig.json": tsconfig, [`src/${name}.ts`]: `export let ${name}: any;\n` });

describe("LSP multi-root workspaces", () => {
  const folders: string[] = [];
  let client: LspClient | undefined;

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    for (const folder of folders.splice(0)) removeWorkspace(folder);
  });

  it("analyzes every workspace folder, each with its own projects", async () => {
    folders.push(folderWithFinding("alpha"), folderWithFinding("beta"));
    client = await LspClient.start({ folder: folders[0], extraFolders: [folders[1]] });
    await client.whenAnalyzed();
    assert.deepEqual(client.codes(uriOf(folders[0], "src/alpha.ts")), ["no-explicit-any"]);
    assert.deepEqual(client.codes(uriOf(folders[1], "src/beta.ts")), ["no-explicit-any"]);
    const status = await client.connection.sendRequest(serverStatusRequest);
    assert.deepEqual([...status.folders].sort(), [...folders].sort());
    assert.equal(status.filesAnalyzed, 2);
    assert.equal(status.projects.length, 2, "one project per folder's tsconfig");
  });

  it("follows folders added and removed while running: a removed folder's diagnostics are cleared", async () => {
    folders.push(folderWithFinding("alpha"), folderWithFinding("beta"), folderWithFinding("gamma"));
    const [alpha, beta, gamma] = folders;
    client = await LspClient.start({ folder: alpha, extraFolders: [beta] });
    await client.whenAnalyzed();
    const asFolder = (folder: string) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) });
    const from = client.mark();
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [asFolder(gamma)], removed: [asFolder(beta)] } });
    await client.waitForPublish(uriOf(gamma, "src/gamma.ts"), from, (diagnostics) => diagnostics.length === 1, "the added folder analyzed");
    await client.waitForPublish(uriOf(beta, "src/beta.ts"), from, (diagnostics) => diagnostics.length === 0, "the removed folder cleared");
    // The order of publishes after re-analysis follows the (random) folder names: wait, don't assume.
    await client.waitForPublish(uriOf(alpha, "src/alpha.ts"), from, (diagnostics) => diagnostics.length === 1, "the folder that stayed keeps its findings");
    await client.waitForEvent("status", from, (event) => event.status.state === "idle", "idle after the re-analysis");
    assert.deepEqual(client.codes(uriOf(beta, "src/beta.ts")), [], "and the removed one stays cleared");
  });

  it("re-analyzes on request and publishes again", async () => {
    folders.push(folderWithFinding("alpha"));
    client = await LspClient.start({ folder: folders[0] });
    await client.whenAnalyzed();
    const from = client.mark();
    await client.connection.sendRequest(reanalyzeRequest);
    await client.waitForPublish(uriOf(folders[0], "src/alpha.ts"), from, (diagnostics) => diagnostics.length === 1, "republished after re-analysis");
  });
});
