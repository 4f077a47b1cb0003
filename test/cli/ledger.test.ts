/** `selfheal ledger …` as users and CI run it: the built dist/selfheal.js in its own process. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { applyRecordedChange } from "../../server/src/engine/ledger/recordedChange";
import { ledgerLocation } from "../../server/src/engine/ledger/workspacePaths";
import { removeTempDirs } from "../unit/helpers/workspace";
import { draftFor, ledgerLines, workspace, writeLedgerLines } from "../unit/ledger/helpers";
import { runCli } from "./helpers";

const before = "export const retries: any = 3;\n";
const after = "export const retries: unknown = 3;\n";

async function recordedWorkspace() {
  const ws = workspace({ "src/config.ts": before });
  const edits = [{ path: "src/config.ts", before, after }];
  const entry = await applyRecordedChange(ws.location, draftFor(edits), edits);
  return { ws, entry };
}

describe("cli: selfheal ledger", () => {
  afterEach(removeTempDirs);

  it("verify exits 0 on an intact ledger and 1 naming the first bad entry", async () => {
    const { ws, entry } = await recordedWorkspace();
    const intact = runCli(["ledger", "verify", ws.root]);
    assert.equal(intact.status, 0, intact.stderr);
    assert.match(intact.stdout, /^ledger intact: 1 entry, head seq 1 /);

    writeLedgerLines(ws.location, [ledgerLines(ws.location)[0].replace('"kind":"apply"', '"kind":"contract-accept"')]);
    const tampered = runCli(["ledger", "verify", ws.root]);
    assert.equal(tampered.status, 1);
    assert.match(tampered.stdout, new RegExp(`^ledger-altered: line 1, seq 1, entry ${entry.predicate.id}: `));
  });

  it("follows the policy's ledger.path, and refuses to guess when the policy is broken", async () => {
    const ws = workspace({ "src/config.ts": before, ".selfheal/policy.yaml": "version: 1\nledger: { path: audit/changes.jsonl }\n" });
    const edits = [{ path: "src/config.ts", before, after }];
    await applyRecordedChange(ledgerLocation(ws.root, "audit/changes.jsonl"), draftFor(edits), edits);
    const moved = runCli(["ledger", "verify", ws.root]);
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(moved.stdout, /^ledger intact: 1 entry, .* in \S*audit\/changes\.jsonl\n$/);

    fs.writeFileSync(path.join(ws.root, ".selfheal/policy.yaml"), "version: 1\nledger: { pth: audit/changes.jsonl }\n");
    for (const args of [["ledger", "show", ws.root], ["report", ws.root, "--format", "json"]]) {
      const broken = runCli(args);
      assert.equal(broken.status, 1, args.join(" "));
      assert.match(broken.stderr, /ledger-location-unknown: cannot tell where the ledger is: the policy is broken at \.selfheal\/policy\.yaml:2:11 \(policy-unknown-key: unknown key 'pth' in ledger; did you mean 'path'\?\)/);
    }
  });

  it("show lists the entries, and --json prints them as JSON", async () => {
    const { ws, entry } = await recordedWorkspace();
    const text = runCli(["ledger", "show", ws.root]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`\\n {2}1 .* apply .* no-explicit-any .* ${entry.predicate.id.slice(0, 8)} {2}src/config\\.ts\\n$`));
    const json = runCli(["ledger", "show", ws.root, "--json"]);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [entry]);
  });

  it("rollback restores the file's bytes, records the rollback, and refuses to do it twice", async () => {
    const { ws, entry } = await recordedWorkspace();
    const first = runCli(["ledger", "rollback", entry.predicate.id, ws.root]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^rolled back entry .* exactly: src\/config\.ts\nrecorded as entry .* \(seq 2\)\n$/);
    assert.equal(fs.readFileSync(path.join(ws.root, "src/config.ts"), "utf8"), before);
    assert.equal(runCli(["ledger", "verify", ws.root]).status, 0);

    const second = runCli(["ledger", "rollback", entry.predicate.id, ws.root]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /ledger-rollback-already-undone/);
  });

  it("repair moves a torn tail aside so verify passes again", async () => {
    const { ws } = await recordedWorkspace();
    fs.appendFileSync(ws.location.ledgerFile, '{"_type":"https://in-to');
    const torn = runCli(["ledger", "verify", ws.root]);
    assert.equal(torn.status, 1);
    assert.match(torn.stdout, /^ledger-torn: line 2: the last line lacks its newline/);
    const repair = runCli(["ledger", "repair", ws.root]);
    assert.equal(repair.status, 0, repair.stderr);
    assert.equal(runCli(["ledger", "verify", ws.root]).status, 0);
  });

  it("a missing subcommand is a usage error (exit 2)", () => {
    const result = runCli(["ledger"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /ledger needs a subcommand: verify, show, rollback or repair/);
  });
});
