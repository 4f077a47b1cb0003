import * as assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendEntry } from "../../../server/src/engine/ledger/append";
import type { LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { LedgerError } from "../../../server/src/engine/ledger/ledgerError";
import { acquireLock } from "../../../server/src/engine/ledger/lock";
import { repairTornTail } from "../../../server/src/engine/ledger/repairTornTail";
import { readLedger, verifyLedger } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../helpers/workspace";
import { agent, compiledLedger, fixtureScripts, ledgerLines, numberedDraft, waitFor, workspace } from "./helpers";

const appender = path.join(fixtureScripts, "appender.js");

function runAppender(ledgerFile: string, writer: string, count: number, patchBytes = 0): ChildProcess {
  return spawn(process.execPath, [appender, compiledLedger, ledgerFile, writer, String(count), String(patchBytes)], { stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}

/** The pid of a process that has exited: a lock it left is a dead owner's. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(result.stdout);
}

describe("ledger: appending", () => {
  afterEach(removeTempDirs);

  it("keeps the chain linear with several processes appending at once: none lost, none twice", async function () {
    this.timeout(120_000);
    const { location } = workspace();
    const writers = 6;
    const perWriter = 60;
    const children = Array.from({ length: writers }, (_, index) => runAppender(location.ledgerFile, `writer${index}`, perWriter));
    const results = await Promise.all(children.map(exited));
    results.forEach((result, index) => assert.equal(result.code, 0, `writer${index} failed: ${result.stderr}`));

    const { entries, integrity } = await readLedger(location.ledgerFile);
    assert.deepEqual(integrity, { intact: true, entries: writers * perWriter, head: { seq: writers * perWriter, hash: entries.at(-1)?.predicate.chain.hash } });
    for (let writer = 0; writer < writers; writer++) {
      const numbers = entries.filter((entry) => entry.predicate.actor.name === `writer${writer}`).map((entry) => Number(entry.predicate.rationale.split(" ").at(-1)));
      assert.deepEqual(numbers, Array.from({ length: perWriter }, (_, index) => index + 1), `writer${writer}'s entries, in its own order`);
    }
    // The writers really interleaved (otherwise this proves nothing about the lock).
    const switches = entries.filter((entry, index) => index > 0 && entry.predicate.actor.name !== entries[index - 1].predicate.actor.name).length;
    assert.ok(switches > writers, `only ${switches} switches between writers`);
    assert.equal(fs.existsSync(location.lockFile), false, "the lock is released");
  });

  it("after kill -9 during appends: verify reports intact or torn, never a silent half line; repair and the next append recover", async function () {
    this.timeout(120_000);
    const { location } = workspace();
    // 1 MiB per entry keeps each write long enough for the kill to land inside one sometimes.
    const child = runAppender(location.ledgerFile, "victim", 0, 1 << 20);
    const done = exited(child);
    let appended = 0;
    child.stdout?.on("data", (chunk: Buffer) => (appended += (chunk.toString().match(/appended/g) ?? []).length));
    await waitFor(() => appended >= 3, "three appends by the child");
    child.kill("SIGKILL");
    assert.equal((await done).signal, "SIGKILL");

    const bytes = fs.readFileSync(location.ledgerFile);
    const result = await verifyLedger(location.ledgerFile);
    if (bytes.at(-1) === 0x0a) {
      assert.equal(result.intact, true, JSON.stringify(result));
      assert.equal(result.entries, ledgerLines(location).length, "every whole line is an entry of the chain");
      assert.ok(result.entries >= 3);
    } else {
      // A half line is never taken for an entry.
      assert.equal(result.intact, false);
      assert.equal(!result.intact && result.firstBad.problem, "torn");
      assert.equal(!result.intact && result.firstBad.line, ledgerLines(location).length + 1);
      await assert.rejects(appendEntry(location.ledgerFile, numberedDraft(1)), (error: unknown) => error instanceof LedgerError && error.id === "ledger-torn");
      assert.ok(await repairTornTail(location, agent));
    }
    // The lock the child may have died holding is recovered (its pid is dead), and the chain goes on.
    const next = await appendEntry(location.ledgerFile, numberedDraft(1), { timeoutMs: 5_000 });
    const after = await verifyLedger(location.ledgerFile);
    assert.equal(after.intact, true, JSON.stringify(after));
    assert.equal(after.intact && after.head?.seq, next.predicate.chain.seq);
  });

  it("refuses to append after a torn last line, leaving the file exactly as it was", async () => {
    const { location } = workspace();
    await appendEntry(location.ledgerFile, numberedDraft(1));
    fs.appendFileSync(location.ledgerFile, '{"_type":"https://in-toto.io/Stat');
    const before = fs.readFileSync(location.ledgerFile);
    await assert.rejects(appendEntry(location.ledgerFile, numberedDraft(2)), (error: unknown) => {
      assert.ok(error instanceof LedgerError);
      assert.equal(error.id, "ledger-torn");
      assert.match(error.message, /ends in a torn line \(33 bytes from byte \d+\): the last line lacks its newline/);
      return true;
    });
    assert.deepEqual(fs.readFileSync(location.ledgerFile), before);
  });

  it("repairTornTail moves the torn bytes aside, records a reconcile entry about them, and appends work again", async () => {
    const { root, location } = workspace();
    await appendEntry(location.ledgerFile, numberedDraft(1));
    const whole = fs.readFileSync(location.ledgerFile);
    const torn = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"src/é.ts"');
    fs.appendFileSync(location.ledgerFile, torn);

    const repair = await repairTornTail(location, agent);
    assert.ok(repair);
    assert.deepEqual(fs.readFileSync(repair.movedTo), torn, "the torn bytes are kept, byte for byte");
    assert.match(path.basename(repair.movedTo), /^ledger\.jsonl\.torn-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    assert.equal(repair.bytes, torn.length);
    assert.deepEqual(fs.readFileSync(location.ledgerFile).subarray(0, whole.length), whole, "the whole entries are untouched");
    const entry = repair.entry.predicate;
    assert.equal(entry.kind, "reconcile");
    assert.equal(entry.chain.seq, 2);
    assert.match(entry.rationale, new RegExp(`^Moved ${torn.length} torn byte\\(s\\) from the end of the ledger to \\.selfheal/ledger\\.jsonl\\.torn-`));
    const relative = path.relative(root, repair.movedTo);
    assert.deepEqual(repair.entry.subject.map((subject) => subject.name), [relative]);

    await appendEntry(location.ledgerFile, numberedDraft(3));
    assert.deepEqual(await verifyLedger(location.ledgerFile), { intact: true, entries: 3, head: { seq: 3, hash: (JSON.parse(ledgerLines(location)[2]) as LedgerEntry).predicate.chain.hash } });
    assert.equal(await repairTornTail(location, agent), undefined, "nothing left to repair");
  });

  it("recovers a lock left by a dead process and says so", async () => {
    const { location } = workspace();
    fs.mkdirSync(path.dirname(location.lockFile), { recursive: true });
    const pid = deadPid();
    fs.writeFileSync(location.lockFile, JSON.stringify({ pid, hostname: os.hostname(), acquiredAt: Date.now(), token: "left-behind" }));
    const notes: string[] = [];
    await appendEntry(location.ledgerFile, numberedDraft(1), { timeoutMs: 2_000, onStaleLock: (message) => notes.push(message) });
    assert.equal(notes.length, 1);
    assert.match(notes[0], new RegExp(`removed a stale ledger lock .*: its owner, pid ${pid}, is no longer running`));
    assert.equal(fs.existsSync(location.lockFile), false);
  });

  it("recovers a lock older than the stale age (another host), and an empty one left between create and write", async () => {
    const { location } = workspace();
    fs.mkdirSync(path.dirname(location.lockFile), { recursive: true });
    fs.writeFileSync(location.lockFile, JSON.stringify({ pid: 1, hostname: "some-other-host", acquiredAt: Date.now() - 60_000, token: "old" }));
    const notes: string[] = [];
    await appendEntry(location.ledgerFile, numberedDraft(1), { timeoutMs: 2_000, staleMs: 30_000, onStaleLock: (message) => notes.push(message) });
    assert.match(notes[0] ?? "", /held by pid 1 on some-other-host for \d+ ms \(over 30000 ms\)/);

    fs.writeFileSync(location.lockFile, "");
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(location.lockFile, old, old);
    await appendEntry(location.ledgerFile, numberedDraft(2), { timeoutMs: 2_000, onStaleLock: (message) => notes.push(message) });
    assert.match(notes[1] ?? "", /its content is unreadable and it is \d+ ms old/);
    assert.equal((await verifyLedger(location.ledgerFile)).entries, 2);
  });

  it("waits for a live holder and gives up after the timeout, naming it", async () => {
    const { location } = workspace();
    fs.mkdirSync(path.dirname(location.lockFile), { recursive: true });
    const held = await acquireLock(location.lockFile);
    try {
      await assert.rejects(appendEntry(location.ledgerFile, numberedDraft(1), { timeoutMs: 200 }), (error: unknown) => {
        assert.ok(error instanceof LedgerError);
        assert.equal(error.id, "ledger-lock-timeout");
        assert.match(error.message, new RegExp(`could not lock the ledger within 200 ms: .* is held by pid ${process.pid} on `));
        return true;
      });
    } finally {
      held.release();
    }
    // Released: the next append goes through at once.
    await appendEntry(location.ledgerFile, numberedDraft(1), { timeoutMs: 200 });
  });

  it("a released lock that was broken and re-taken by someone else is left alone", async () => {
    const { location } = workspace();
    fs.mkdirSync(path.dirname(location.lockFile), { recursive: true });
    const held = await acquireLock(location.lockFile);
    const someoneElse = JSON.stringify({ pid: process.pid, hostname: os.hostname(), acquiredAt: Date.now(), token: "someone-else" });
    fs.writeFileSync(location.lockFile, someoneElse);
    held.release();
    assert.equal(fs.readFileSync(location.lockFile, "utf8"), someoneElse);
  });
});
