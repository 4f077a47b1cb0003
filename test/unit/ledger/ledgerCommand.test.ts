import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../../../server/src/cli/args";
import { ledgerCommand } from "../../../server/src/cli/ledgerCommand";
import type { LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { writeIntent } from "../../../server/src/engine/ledger/intents";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { readLedger } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../helpers/workspace";
import { draftFor, ledgerLines, workspace, writeLedgerLines } from "./helpers";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await ledgerCommand(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTty: false, version: "test" });
  return { code, stdout, stderr };
}

const source = "export function parse(input: any) {\n  return input;\n}\n";
const fixed = "export function parse(input: unknown) {\n  return input;\n}\n";

async function workspaceWithOneChange() {
  const ws = workspace({ "src/parse.ts": source });
  const edits = [{ path: "src/parse.ts", before: source, after: fixed }];
  const entry = await applyRecordedChange(ws.location, draftFor(edits), edits);
  return { ws, entry };
}

describe("cli: selfheal ledger (in process)", () => {
  afterEach(removeTempDirs);

  it("verify: exit 0 with the count when intact", async () => {
    const { ws } = await workspaceWithOneChange();
    const result = await run(["verify", ws.root]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ledger intact: 1 entry, head seq 1 \([0-9a-f]{12}…\) in .*ledger\.jsonl\n$/);
  });

  it("verify: exit 1 naming the first bad entry", async () => {
    const { ws, entry } = await workspaceWithOneChange();
    const lines = ledgerLines(ws.location);
    writeLedgerLines(ws.location, [lines[0].replace("only passed on", "only passed around")]);
    const result = await run(["verify", ws.root]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout.split("\n")[0], `ledger-altered: line 1, seq 1, entry ${entry.predicate.id}: its content does not match its hash: the entry was edited after it was written`);
    assert.match(result.stdout, /0 entries before it are intact/);
    const json = await run(["verify", ws.root, "--json"]);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).firstBad.problem, "altered");
  });

  it("verify: no ledger yet is fine; a leftover intent is mentioned", async () => {
    const ws = workspace({ "src/parse.ts": source });
    const result = await run(["verify", ws.root]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^no ledger at .*: nothing has been recorded yet\n$/);
    writeIntent(ws.location, draftFor([{ path: "src/parse.ts", before: source, after: fixed }]));
    assert.match((await run(["verify", ws.root])).stderr, /^warning: 1 change\(s\) were written without being recorded yet \(\.selfheal\/intents\)/);
  });

  it("show: one row per entry with seq, time, kind, rule, actor, id and files; --json gives the entries", async () => {
    const { ws, entry } = await workspaceWithOneChange();
    const text = await run(["show", ws.root]);
    assert.equal(text.code, 0);
    const [header, row] = text.stdout.trimEnd().split("\n");
    assert.deepEqual(header.split(/ +/), ["seq", "time", "kind", "rule", "actor", "id", "files"]);
    assert.match(row, new RegExp(`^ {2}1 {2}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ {2}apply {2}no-explicit-any {2}agent:selfheal-test {2}${entry.predicate.id.slice(0, 8)} {2}src/parse\\.ts$`));
    // Columns line up under their titles.
    assert.equal(row.indexOf("apply"), header.indexOf("kind"));
    assert.equal(row.indexOf("src/parse.ts"), header.indexOf("files"));
    const json = await run(["show", ws.root, "--json"]);
    assert.deepEqual(JSON.parse(json.stdout) as LedgerEntry[], [entry]);
  });

  it("rollback: undoes the entry, records it, and refuses the second time", async () => {
    const { ws, entry } = await workspaceWithOneChange();
    const result = await run(["rollback", entry.predicate.id.slice(0, 8), ws.root]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^rolled back entry ${entry.predicate.id} \\(seq 1\\) exactly: src/parse\\.ts\\nrecorded as entry [0-9a-f-]{36} \\(seq 2\\)\\n$`));
    assert.equal(ws.read("src/parse.ts")?.toString(), source);
    const { entries } = await readLedger(ws.location.ledgerFile);
    assert.equal(entries[1].predicate.actor.kind, "cli");
    assert.equal(entries[1].predicate.undoes, entry.predicate.id);

    const again = await run(["rollback", entry.predicate.id, ws.root]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^selfheal: ledger-rollback-already-undone: entry .* was already rolled back by entry .* \(seq 2, /);
  });

  it("rollback: a conflict names file and hunk, and nothing is written", async () => {
    const { ws, entry } = await workspaceWithOneChange();
    const edited = fixed.replace("return input;", "return String(input);");
    fs.writeFileSync(path.join(ws.root, "src/parse.ts"), edited);
    const result = await run(["rollback", entry.predicate.id, ws.root]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^selfheal: ledger-rollback-conflict: /);
    assert.match(result.stderr, /\n {2}src\/parse\.ts hunk 1 @@ -1,3 \+1,3 @@: hunk 1 of 1 no longer fits/);
    assert.equal(ws.read("src/parse.ts")?.toString(), edited);
    assert.equal(ledgerLines(ws.location).length, 1);
  });

  it("rollback: refuses on a ledger that is not intact, and for an unknown id", async () => {
    const { ws, entry } = await workspaceWithOneChange();
    const unknown = await run(["rollback", "ffffffff", ws.root]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^selfheal: ledger-unknown-entry: no entry has the id ffffffff; `selfheal ledger show` lists them\n$/);
    fs.appendFileSync(ws.location.ledgerFile, "garbage");
    const broken = await run(["rollback", entry.predicate.id, ws.root]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^selfheal: ledger-not-intact: refusing to roll back from a ledger that is not intact \(ledger-torn: line 2: .*\): its patches cannot be trusted to write files\n$/);
    assert.equal(ws.read("src/parse.ts")?.toString(), fixed);
  });

  it("repair: moves a torn tail aside and records it; then nothing to repair", async () => {
    const { ws } = await workspaceWithOneChange();
    fs.appendFileSync(ws.location.ledgerFile, '{"_type":');
    const result = await run(["repair", ws.root]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^moved 9 torn byte\(s\) to \.selfheal\/ledger\.jsonl\.torn-\S+ \(the last line lacks its newline \(a write was interrupted\)\)\nrecorded as entry \S+ \(seq 2\)\n$/);
    assert.equal((await run(["verify", ws.root])).code, 0);
    assert.match((await run(["repair", ws.root])).stdout, /^nothing to repair: /);
  });

  it("a wrong command line is a usage error", async () => {
    await assert.rejects(run(["frobnicate"]), (error: unknown) => error instanceof UsageError && /ledger needs a subcommand: verify, show, rollback or repair \(not 'frobnicate'\)/.test(error.message));
    await assert.rejects(run(["rollback"]), UsageError);
    await assert.rejects(run(["verify", "/no/such/folder"]), /no such folder/);
  });
});
