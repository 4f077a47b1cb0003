import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendEntry } from "../../../server/src/engine/ledger/append";
import { clearIntent, intentFile, pendingIntents, reconcileIntents, writeIntent } from "../../../server/src/engine/ledger/intents";
import { LedgerError } from "../../../server/src/engine/ledger/ledgerError";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { readLedger, verifyLedger } from "../../../server/src/engine/ledger/verify";
import { makeTempDir, removeTempDirs } from "../helpers/workspace";
import { compiledLedger, draftFor, fixtureScripts, workspace } from "./helpers";

const before = { "src/a.ts": "export let a: any = 1;\n", "src/b.ts": "export let b: any = 2;\n" };
const edits = [
  { path: "src/a.ts", before: before["src/a.ts"], after: "export let a: unknown = 1;\n" },
  { path: "src/b.ts", before: before["src/b.ts"], after: "export let b: unknown = 2;\n" },
];

/** For intents written in this process to stand for a writer that crashed. */
const writerGone = { isOwnerAlive: () => false };

describe("ledger: intents and start-up reconciliation", () => {
  afterEach(removeTempDirs);

  it("a crash after the files were written: reconcile records the entry, marked reconciled", async function () {
    this.timeout(30_000);
    const ws = workspace(before);
    const draft = draftFor(edits);
    const scratch = makeTempDir();
    fs.writeFileSync(path.join(scratch, "draft.json"), JSON.stringify(draft));
    fs.writeFileSync(path.join(scratch, "edits.json"), JSON.stringify(edits));
    const child = spawn(process.execPath, [path.join(fixtureScripts, "crashAfterWrite.js"), compiledLedger, ws.root, path.join(scratch, "draft.json"), path.join(scratch, "edits.json")]);
    const signal = await new Promise((resolve) => child.on("exit", (_, signal) => resolve(signal)));
    assert.equal(signal, "SIGKILL");
    assert.deepEqual(pendingIntents(ws.location), [draft.id]);
    assert.equal(ws.read("src/a.ts")?.toString(), edits[0].after, "the files were written");

    const outcomes = await reconcileIntents(ws.location);
    assert.deepEqual(outcomes.map((outcome) => [outcome.id, outcome.intent]), [["ledger-intent-recorded", draft.id]]);
    assert.match(outcomes[0].message, /^change .* \(apply no-explicit-any on src\/a\.ts, src\/b\.ts\) was written but not recorded \(its writer stopped\); the files match it, so it is now recorded as entry 1$/);
    const { entries, integrity } = await readLedger(ws.location.ledgerFile);
    assert.equal(integrity.intact, true);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].predicate.id, draft.id);
    assert.equal(entries[0].predicate.reconciled, true);
    assert.deepEqual(entries[0].predicate.files, draft.files);
    assert.deepEqual(pendingIntents(ws.location), []);
    assert.deepEqual(await reconcileIntents(ws.location), [], "nothing left the second time");
  });

  it("a crash before the files were written: the change never landed, the intent is dropped and reported", async () => {
    const ws = workspace(before);
    const draft = draftFor(edits);
    writeIntent(ws.location, draft);
    const outcomes = await reconcileIntents(ws.location, writerGone);
    assert.deepEqual(outcomes.map((outcome) => outcome.id), ["ledger-intent-not-applied"]);
    assert.match(outcomes[0].message, /never reached the files \(they still have their content from before it\); its intent was removed/);
    assert.equal(fs.existsSync(ws.location.ledgerFile), false, "nothing recorded");
    assert.deepEqual(pendingIntents(ws.location), []);
  });

  it("files in neither state: a conflict that keeps the intent and records nothing", async () => {
    const ws = workspace(before);
    const draft = draftFor(edits);
    writeIntent(ws.location, draft);
    fs.writeFileSync(path.join(ws.root, "src/a.ts"), edits[0].after);
    fs.writeFileSync(path.join(ws.root, "src/b.ts"), "export let b: string = 'edited by hand';\n");
    const outcomes = await reconcileIntents(ws.location, writerGone);
    assert.deepEqual(outcomes.map((outcome) => outcome.id), ["ledger-intent-conflict"]);
    assert.match(outcomes[0].message, /is only partly in the files \(src\/a\.ts: as planned after the change; src\/b\.ts: neither \(sha256 [0-9a-f]{12}…\)\); nothing was recorded or removed/);
    assert.match(outcomes[0].message, new RegExp(`delete \\.selfheal/intents/${draft.id}\\.json$`));
    assert.deepEqual(pendingIntents(ws.location), [draft.id]);
    assert.equal(fs.existsSync(ws.location.ledgerFile), false);
  });

  it("an intent whose entry was appended but not cleared (crash in between) is removed, not recorded twice", async () => {
    const ws = workspace(before);
    const draft = draftFor(edits);
    writeIntent(ws.location, draft);
    for (const edit of edits) fs.writeFileSync(path.join(ws.root, edit.path), edit.after);
    await appendEntry(ws.location.ledgerFile, draft);
    const outcomes = await reconcileIntents(ws.location, writerGone);
    assert.deepEqual(outcomes.map((outcome) => outcome.id), ["ledger-intent-already-recorded"]);
    assert.equal((await verifyLedger(ws.location.ledgerFile)).entries, 1);
    assert.deepEqual(pendingIntents(ws.location), []);
  });

  it("leaves alone this process's own change in flight, and reports an unreadable intent without deleting it", async () => {
    const ws = workspace(before);
    const draft = draftFor(edits);
    writeIntent(ws.location, draft);
    fs.writeFileSync(path.join(ws.location.intentsDir, "broken.json"), "{ not json");
    const outcomes = await reconcileIntents(ws.location);
    assert.deepEqual(outcomes.map((outcome) => [outcome.id, outcome.intent]).sort(), [
      ["ledger-intent-in-progress", draft.id],
      ["ledger-intent-unreadable", "broken"],
    ]);
    assert.deepEqual(pendingIntents(ws.location).sort(), ["broken", draft.id].sort());
    clearIntent(ws.location, draft.id);
  });

  it("leaves alone the intent of another process that is still running, and settles it once that process is gone", async function () {
    this.timeout(30_000);
    const ws = workspace(before);
    const draft = draftFor(edits);
    const writer = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    const gone = new Promise((resolve) => writer.on("exit", resolve));
    try {
      fs.mkdirSync(ws.location.intentsDir, { recursive: true });
      const intent = { version: 1, id: draft.id, createdAt: new Date().toISOString(), owner: { pid: writer.pid, hostname: os.hostname() }, entry: draft };
      fs.writeFileSync(intentFile(ws.location, draft.id), JSON.stringify(intent));
      const outcomes = await reconcileIntents(ws.location);
      assert.deepEqual(outcomes.map((outcome) => outcome.id), ["ledger-intent-in-progress"]);
      assert.match(outcomes[0].message, new RegExp(`belongs to pid ${writer.pid}, which is still running; left alone`));
    } finally {
      writer.kill("SIGKILL");
      await gone;
    }
    assert.deepEqual((await reconcileIntents(ws.location)).map((outcome) => outcome.id), ["ledger-intent-not-applied"]);
  });

  it("two reconcilers settling the same intents at once (two windows starting together) record each change once", async () => {
    const ws = workspace(before);
    const first = draftFor([edits[0]]);
    const second = draftFor([edits[1]]);
    writeIntent(ws.location, first);
    writeIntent(ws.location, second);
    for (const edit of edits) fs.writeFileSync(path.join(ws.root, edit.path), edit.after);
    const [left, right] = await Promise.all([reconcileIntents(ws.location, writerGone), reconcileIntents(ws.location, writerGone)]);
    const recorded = [...left, ...right].filter((outcome) => outcome.id === "ledger-intent-recorded").map((outcome) => outcome.intent);
    assert.deepEqual(recorded.sort(), [first.id, second.id].sort());
    const { entries, integrity } = await readLedger(ws.location.ledgerFile);
    assert.equal(integrity.intact, true);
    assert.deepEqual(entries.map((entry) => entry.predicate.id).sort(), [first.id, second.id].sort());
  });

  it("writeIntent refuses before anything is written when the ledger could not take the entry (torn tail)", async () => {
    const ws = workspace(before);
    fs.mkdirSync(path.dirname(ws.location.ledgerFile), { recursive: true });
    fs.writeFileSync(ws.location.ledgerFile, '{"half":');
    assert.throws(() => writeIntent(ws.location, draftFor(edits)), (error: unknown) => error instanceof LedgerError && error.id === "ledger-torn");
    assert.deepEqual(pendingIntents(ws.location), []);
  });

  it("clearIntent removes the intent file", () => {
    const ws = workspace(before);
    const draft = draftFor(edits);
    writeIntent(ws.location, draft);
    assert.ok(fs.existsSync(intentFile(ws.location, draft.id)));
    clearIntent(ws.location, draft.id);
    assert.equal(fs.existsSync(intentFile(ws.location, draft.id)), false);
  });

  it("applyRecordedChange writes the files, records the entry and leaves no intent", async () => {
    const ws = workspace(before);
    const draft = draftFor(edits);
    const entry = await applyRecordedChange(ws.location, draft, edits);
    assert.equal(ws.read("src/a.ts")?.toString(), edits[0].after);
    assert.equal(ws.read("src/b.ts")?.toString(), edits[1].after);
    assert.equal(entry.predicate.id, draft.id);
    assert.deepEqual(pendingIntents(ws.location), []);
    assert.equal((await verifyLedger(ws.location.ledgerFile)).intact, true);
  });

  it("applyRecordedChange writes nothing when a file changed since the plan, or when the ledger is torn", async () => {
    const ws = workspace(before);
    fs.writeFileSync(path.join(ws.root, "src/b.ts"), "export let b = 3;\n");
    await assert.rejects(applyRecordedChange(ws.location, draftFor(edits), edits), (error: unknown) => {
      assert.ok(error instanceof LedgerError);
      assert.equal(error.id, "ledger-files-changed");
      assert.equal(error.message, "src/b.ts changed since the change was planned; nothing was written");
      return true;
    });
    assert.equal(ws.read("src/a.ts")?.toString(), before["src/a.ts"]);

    fs.writeFileSync(path.join(ws.root, "src/b.ts"), before["src/b.ts"]);
    fs.mkdirSync(path.dirname(ws.location.ledgerFile), { recursive: true });
    fs.writeFileSync(ws.location.ledgerFile, "{");
    await assert.rejects(applyRecordedChange(ws.location, draftFor(edits), edits), (error: unknown) => error instanceof LedgerError && error.id === "ledger-torn");
    assert.equal(ws.read("src/a.ts")?.toString(), before["src/a.ts"]);
    assert.deepEqual(pendingIntents(ws.location), []);
  });

  it("refuses to write through a symlink that leads outside the workspace", async function () {
    if (process.platform === "win32") this.skip();
    const outside = makeTempDir();
    const ws = workspace(before);
    fs.symlinkSync(outside, path.join(ws.root, "linked"));
    const edit = { path: "linked/evil.ts", before: null, after: "pwned\n" };
    await assert.rejects(applyRecordedChange(ws.location, draftFor([edit]), [edit]), (error: unknown) => error instanceof LedgerError && error.id === "ledger-path-outside");
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});
