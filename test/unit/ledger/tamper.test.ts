import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { appendEntry } from "../../../server/src/engine/ledger/append";
import type { LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { entryHash, entryLine } from "../../../server/src/engine/ledger/hashing";
import { verifyLedger, type VerifyResult } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../helpers/workspace";
import { ledgerLines, numberedDraft, workspace, writeLedgerLines, type TestWorkspace } from "./helpers";

/** A ledger of six entries; each test damages it the way an attacker or a crash would. */
async function sixEntries(): Promise<{ ws: TestWorkspace; lines: string[]; entries: LedgerEntry[] }> {
  const ws = workspace();
  for (let n = 1; n <= 6; n++) await appendEntry(ws.location.ledgerFile, numberedDraft(n));
  const lines = ledgerLines(ws.location);
  return { ws, lines, entries: lines.map((line) => JSON.parse(line) as LedgerEntry) };
}

function broken(result: VerifyResult) {
  assert.equal(result.intact, false, `expected a broken chain, got ${JSON.stringify(result)}`);
  return result.intact ? undefined : result;
}

describe("ledger: verify names the first entry that was tampered with", () => {
  afterEach(removeTempDirs);

  it("an edited field: altered, at that entry", async () => {
    const { ws, lines, entries } = await sixEntries();
    lines[2] = lines[2].replace("change number 3", "change number 33");
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 3, seq: 3, id: entries[2].predicate.id, problem: "altered", detail: "its content does not match its hash: the entry was edited after it was written" });
    assert.equal(result?.entries, 2);
  });

  it("an edited entry whose hash was recomputed: altered, where the next entry's link breaks", async () => {
    const { ws, lines, entries } = await sixEntries();
    const edited = structuredClone(entries[2]);
    edited.predicate.rationale = "nothing to see here";
    edited.predicate.chain.hash = entryHash(edited);
    lines[2] = entryLine(edited).trimEnd();
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.equal(result?.firstBad.problem, "altered");
    assert.equal(result?.firstBad.line, 4);
    assert.equal(result?.firstBad.id, entries[3].predicate.id);
    assert.match(result?.firstBad.detail ?? "", /prev does not match the hash of the entry before it \(line 3\)/);
  });

  it("a deleted entry: removed, naming the seq that is missing", async () => {
    const { ws, lines, entries } = await sixEntries();
    lines.splice(2, 1);
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 3, seq: 4, id: entries[3].predicate.id, problem: "removed", detail: "seq 4 follows seq 2: entry 3 is missing" });
  });

  it("the first entry deleted: removed at line 1", async () => {
    const { ws, lines } = await sixEntries();
    writeLedgerLines(ws.location, lines.slice(1));
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.equal(result?.firstBad.problem, "removed");
    assert.equal(result?.firstBad.line, 1);
    assert.match(result?.firstBad.detail ?? "", /seq 2 is the first entry: entry 1 is missing/);
  });

  it("two entries swapped: reordered, at the first of them", async () => {
    const { ws, lines, entries } = await sixEntries();
    [lines[2], lines[3]] = [lines[3], lines[2]];
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 3, seq: 4, id: entries[3].predicate.id, problem: "reordered", detail: "seq 4 follows seq 2: seq 3 appears later in the file, so entries are out of order" });
  });

  it("an entry repeated: reordered (seq goes backwards)", async () => {
    const { ws, lines, entries } = await sixEntries();
    lines.splice(3, 0, lines[2]);
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 4, seq: 3, id: entries[2].predicate.id, problem: "reordered", detail: "seq goes backwards: seq 3 comes after seq 3" });
  });

  it("the last line cut mid-way (a crash during the write): torn, at the last line", async () => {
    const { ws, lines } = await sixEntries();
    const whole = fs.readFileSync(ws.location.ledgerFile);
    fs.writeFileSync(ws.location.ledgerFile, whole.subarray(0, whole.length - Math.floor(lines[5].length / 2)));
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 6, problem: "torn", detail: "the last line lacks its newline: a write was interrupted" });
    assert.equal(result?.entries, 5);
  });

  it("a last line that has its newline but does not parse: torn", async () => {
    const { ws, lines } = await sixEntries();
    writeLedgerLines(ws.location, [...lines, '{"_type":"https://in-toto.io/Statement/v1","subj']);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.equal(result?.firstBad.problem, "torn");
    assert.equal(result?.firstBad.line, 7);
    assert.match(result?.firstBad.detail ?? "", /^the last line does not parse: not JSON/);
  });

  it("only the newline missing from a whole last entry: still torn (the write did not finish)", async () => {
    const { ws, lines, entries } = await sixEntries();
    writeLedgerLines(ws.location, lines, false);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 6, seq: 6, id: entries[5].predicate.id, problem: "torn", detail: "the last line lacks its newline: a write was interrupted" });
  });

  it("a line in the middle that is not an entry: malformed", async () => {
    const { ws, lines } = await sixEntries();
    lines.splice(1, 0, '{"hello":"world"}');
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.deepEqual(result?.firstBad, { line: 2, problem: "malformed", detail: 'not an in-toto Statement v1 (_type is undefined)' });
  });

  it("reports only the first break when there are several", async () => {
    const { ws, lines } = await sixEntries();
    lines[4] = lines[4].replace("change number 5", "change number 55");
    lines.splice(1, 1);
    writeLedgerLines(ws.location, lines);
    const result = broken(await verifyLedger(ws.location.ledgerFile));
    assert.equal(result?.firstBad.line, 2);
    assert.equal(result?.firstBad.problem, "removed");
  });
});
