import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Engine } from "../../server/src/engine/analysis/engine";
import { snapshotContract, writeSnapshot } from "../../server/src/engine/contracts/contractRunner";
import { repoRoot } from "./lspClient";

const fixture = path.join(repoRoot, "test", "fixtures", "lsp-contracts");

/** test/fixtures/lsp-contracts copied to a throw-away folder, with baselines of its contracts (`calc`, `user-schema`) taken as it is. */
export function workspaceWithBaselines(): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-lsp-contracts-")));
  fs.cpSync(fixture, folder, { recursive: true });
  const engine = new Engine();
  engine.workspace.addFolder(folder);
  engine.policies.load(engine.workspace.folderList(), engine.workspace.policyFiles());
  const targets = engine.contracts.targets();
  assert.deepEqual(targets.map((target) => target.name).sort(), ["calc", "user-schema"]);
  for (const target of targets) writeSnapshot(snapshotContract(target, (file) => engine.workspace.projectOf(file)?.program()));
  return folder;
}
