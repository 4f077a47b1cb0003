import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { entryHash } from "../../../server/src/engine/ledger/hashing";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { planRollback, rollbackDraft, type RollbackPlan } from "../../../server/src/engine/ledger/rollback";
import { readLedger, verifyLedger } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../helpers/workspace";
import { agent, draftFor, workspace, type TestWorkspace } from "./helpers";

const lines = (count: number, label = "line") => Array.from({ length: count }, (_, index) => `${label} ${index + 1}\n`).join("");

/** A 40-line file; the change edits line 10 and line 30 (two hunks). */
const original = lines(40).replace("line 10\n", "let ten: any = 10;\n").replace("line 30\n", "let thirty: any = 30;\n");
const changed = original.replace("let ten: any", "let ten: unknown").replace("let thirty: any", "let thirty: unknown");

async function applied(files: Record<string, string>, edits: { path: string; before: string | null; after: string | null }[]): Promise<{ ws: TestWorkspace; entry: LedgerEntry }> {
  const ws = workspace(files);
  const entry = await applyRecordedChange(ws.location, draftFor(edits), edits);
  return { ws, entry };
}

function refused(plan: RollbackPlan) {
  assert.equal(plan.ok, false, "expected the rollback to be refused");
  return plan.ok ? undefined : plan;
}

async function rollBack(ws: TestWorkspace, entry: LedgerEntry): Promise<LedgerEntry> {
  const { entries } = await readLedger(ws.location.ledgerFile);
  const plan = planRollback(entry, ws.read, entries);
  assert.ok(plan.ok, JSON.stringify(plan));
  return applyRecordedChange(ws.location, rollbackDraft(entry, plan.edits, agent), plan.edits);
}

describe("ledger: planning a rollback", () => {
  afterEach(removeTempDirs);

  it("files as the entry left them: applies the rollback patch exactly and gives back the recorded content", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    const plan = planRollback(entry, ws.read, [entry]);
    assert.deepEqual(plan, { ok: true, exact: true, edits: [{ path: "src/a.ts", before: changed, after: original }] });
  });

  it("files edited since, away from the change: applies around the later edits and keeps them", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    // Lines added above both hunks shift them; a line edited between them stays edited.
    const later = "// header added later\n// and another\n" + changed.replace("line 20\n", "line twenty, edited later\n");
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), later);
    const plan = planRollback(entry, ws.read, [entry]);
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.equal(plan.exact, false);
    assert.equal(plan.edits[0].after, "// header added later\n// and another\n" + original.replace("line 20\n", "line twenty, edited later\n"));
  });

  it("a later edit to the lines the change made: refuses, naming the file, the hunk and its header", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), changed.replace("let thirty: unknown = 30;", "let thirty: number = 30;"));
    const plan = refused(planRollback(entry, ws.read, [entry]));
    assert.equal(plan?.id, "ledger-rollback-conflict");
    assert.deepEqual(plan?.conflicts, [
      { file: "src/a.ts", hunk: 1, header: "@@ -27,7 +27,7 @@", reason: "hunk 2 of 2 no longer fits: the lines it restores, or its context, were edited after the change" },
    ]);
    assert.match(plan?.message ?? "", /cannot be rolled back: src\/a\.ts hunk 2 @@ -27,7 \+27,7 @@: hunk 2 of 2 no longer fits/);
  });

  it("a later edit to a hunk's context counts too (no fuzz)", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), changed.replace("line 8\n", "line eight\n"));
    const plan = refused(planRollback(entry, ws.read, [entry]));
    assert.deepEqual(plan?.conflicts.map((conflict) => [conflict.file, conflict.hunk, conflict.header]), [["src/a.ts", 0, "@@ -7,7 +7,7 @@"]]);
  });

  it("reports every conflicting file, and a file deleted since", async () => {
    const files = { "src/a.ts": original, "src/b.ts": original };
    const { ws, entry } = await applied(files, [
      { path: "src/a.ts", before: original, after: changed },
      { path: "src/b.ts", before: original, after: changed },
    ]);
    fs.rmSync(path.join(ws.root, "src/a.ts"));
    fs.writeFileSync(path.join(ws.root, "src/b.ts"), changed.replace("let ten: unknown", "let ten: string"));
    const plan = refused(planRollback(entry, ws.read, [entry]));
    assert.deepEqual(plan?.conflicts, [
      { file: "src/a.ts", reason: "the file was deleted after the change" },
      { file: "src/b.ts", hunk: 0, header: "@@ -7,7 +7,7 @@", reason: "hunk 1 of 2 no longer fits: the lines it restores, or its context, were edited after the change" },
    ]);
  });

  it("a file already back to its content from before: refuses and says so", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), original);
    const plan = refused(planRollback(entry, ws.read, [entry]));
    assert.equal(plan?.conflicts[0].reason, "the file already has its content from before the change");
  });

  it("rolling back twice is refused, naming the rollback that already undid it", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    const rollback = await rollBack(ws, entry);
    assert.equal(rollback.predicate.kind, "rollback");
    assert.equal(rollback.predicate.undoes, entry.predicate.id);
    assert.equal(ws.read("src/a.ts")?.toString(), original);
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), changed);
    const { entries } = await readLedger(ws.location.ledgerFile);
    const plan = refused(planRollback(entry, ws.read, entries));
    assert.equal(plan?.id, "ledger-rollback-already-undone");
    assert.match(plan?.message ?? "", new RegExp(`already rolled back by entry ${rollback.predicate.id} \\(seq 2, .*\\); rolling it back twice is refused`));
  });

  it("a rollback entry records the undo with its own patches, linked to the entry it undoes", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    const rollback = (await rollBack(ws, entry)).predicate;
    assert.equal(rollback.chain.seq, 2);
    assert.equal(rollback.rule, "no-explicit-any");
    assert.equal(rollback.forwardPatch, entry.predicate.rollbackPatch);
    assert.equal(rollback.rollbackPatch, entry.predicate.forwardPatch);
    assert.deepEqual(rollback.files, [{ path: "src/a.ts", sha256Before: entry.predicate.files[0].sha256After, sha256After: entry.predicate.files[0].sha256Before }]);
    assert.match(rollback.rationale, new RegExp(`^Rolls back entry ${entry.predicate.id} \\(seq 1, apply no-explicit-any\\): `));
    assert.equal(rollback.decision, undefined, "no policy decided a person's rollback");
    assert.equal((await verifyLedger(ws.location.ledgerFile)).intact, true);
  });

  it("rolls back a created file by deleting it, and a deleted file by restoring it", async () => {
    const { ws, entry } = await applied({ "src/old.ts": original }, [
      { path: "src/new.ts", before: null, after: "export const created = true;\n" },
      { path: "src/old.ts", before: original, after: null },
    ]);
    assert.equal(ws.read("src/old.ts"), undefined);
    await rollBack(ws, entry);
    assert.equal(ws.read("src/new.ts"), undefined);
    assert.equal(ws.read("src/old.ts")?.toString(), original);
  });

  it("refuses to delete a created file that was edited since", async () => {
    const { ws, entry } = await applied({}, [{ path: "src/new.ts", before: null, after: "export const created = true;\n" }]);
    fs.appendFileSync(path.join(ws.root, "src/new.ts"), "export const more = 1;\n");
    const plan = refused(planRollback(entry, ws.read, [entry]));
    assert.equal(plan?.conflicts[0].reason, "the change created this file and it was edited since; deleting it would lose those edits");
  });

  it("refuses an entry whose patch contradicts its own hashes, and one with a path outside the workspace", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    const forged = structuredClone(entry);
    forged.predicate.rollbackPatch = forged.predicate.rollbackPatch.replace("+let ten: any = 10;", "+let ten: any = 11;");
    forged.predicate.chain.hash = entryHash(forged);
    const inconsistent = refused(planRollback(forged, ws.read, [forged]));
    assert.equal(inconsistent?.id, "ledger-rollback-inconsistent");
    assert.match(inconsistent?.message ?? "", /src\/a\.ts: the file is exactly as the entry left it, yet the entry's rollback patch does not give back the content it recorded/);

    const escaping = structuredClone(entry);
    escaping.predicate.files[0].path = "../../etc/passwd";
    const outside = refused(planRollback(escaping, ws.read, [escaping]));
    assert.equal(outside?.id, "ledger-path-outside");
  });

  it("refuses an entry that changed no file", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    const empty = structuredClone(entry);
    empty.predicate.files = [];
    assert.equal(refused(planRollback(empty, ws.read, []))?.id, "ledger-rollback-nothing");
  });

  it("refuses a file that is not UTF-8 text rather than guess", async () => {
    const { ws, entry } = await applied({ "src/a.ts": original }, [{ path: "src/a.ts", before: original, after: changed }]);
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), Buffer.from([0x66, 0x6f, 0xff, 0x0a]));
    const plan = refused(planRollback(entry, ws.read, [entry]));
    assert.deepEqual(plan?.conflicts, [{ file: "src/a.ts", reason: "src/a.ts is not valid UTF-8 text; the ledger records and rolls back text changes only" }]);
  });
});
