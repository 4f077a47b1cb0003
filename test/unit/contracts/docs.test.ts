import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { changeKinds, contractFindingIds, findingIdOf } from "../../../server/src/engine/contracts/changeKinds";
import { repoRoot } from "./helpers";

/** Every id the contracts code can emit is documented where users look for it. */
describe("contracts: documentation", () => {
  const contractsDoc = fs.readFileSync(path.join(repoRoot, "docs", "contracts.md"), "utf8");
  const messagesDoc = fs.readFileSync(path.join(repoRoot, "docs", "messages.md"), "utf8");

  it("docs/contracts.md has a row, with an anchor, for every change kind and none for a kind that does not exist", () => {
    const rows = [...contractsDoc.matchAll(/^\| <a id="([a-z-]+)"><\/a>`([a-z-]+)` \|/gm)];
    for (const [, anchor, id] of rows) assert.equal(anchor, id);
    assert.deepEqual(rows.map(([, id]) => id).sort(), Object.keys(changeKinds).sort());
  });

  it("docs/messages.md lists every contract finding and problem id", () => {
    const section = messagesDoc.slice(messagesDoc.indexOf("## Contract messages"));
    const problemIds = ["contract-baseline-missing", "contract-baseline-invalid", "contract-entry-missing", "contract-schema-invalid", "contract-mirror-invalid"];
    for (const id of [...contractFindingIds, ...problemIds]) assert.match(section, new RegExp(`^\\| \`${id}\` \\|`, "m"), id);
  });

  it("maps a change to its finding id", () => {
    assert.equal(findingIdOf({ kind: "export-removed", classification: "breaking" }), "contract-breaking");
    assert.equal(findingIdOf({ kind: "export-added", classification: "additive" }), "contract-additive");
    assert.equal(findingIdOf({ kind: "mirror-type-mismatch", classification: "breaking" }), "contract-mirror-drift");
  });
});
