import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { appendEntry } from "../../../server/src/engine/ledger/append";
import { changePredicateType, genesisHash, statementType, type LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { entryHash } from "../../../server/src/engine/ledger/hashing";
import { LedgerError } from "../../../server/src/engine/ledger/ledgerError";
import { readLedger, verifyLedger } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../helpers/workspace";
import { draftFor, ledgerLines, numberedDraft, workspace } from "./helpers";

describe("ledger: the chain", () => {
  afterEach(removeTempDirs);

  it("chains appended entries: seq from 1, prev = the previous hash (genesis first), hash over the entry", async () => {
    const { location } = workspace();
    const appended: LedgerEntry[] = [];
    for (let n = 1; n <= 5; n++) appended.push(await appendEntry(location.ledgerFile, numberedDraft(n)));
    const lines = ledgerLines(location);
    assert.equal(lines.length, 5);
    const entries = lines.map((line) => JSON.parse(line) as LedgerEntry);
    entries.forEach((entry, index) => {
      assert.equal(entry.predicate.chain.seq, index + 1);
      assert.equal(entry.predicate.chain.prev, index === 0 ? genesisHash : entries[index - 1].predicate.chain.hash);
      assert.equal(entry.predicate.chain.hash, entryHash(entry));
      assert.deepEqual(entry, appended[index]);
    });
    assert.deepEqual(await verifyLedger(location.ledgerFile), { intact: true, entries: 5, head: { seq: 5, hash: entries[4].predicate.chain.hash } });
  });

  it("writes each entry as an in-toto Statement v1 whose subjects are the files after the change", async () => {
    const { location } = workspace();
    const draft = draftFor([
      { path: "src/a.ts", before: "let a: any;\n", after: "let a: unknown;\n" },
      { path: "src/new.ts", before: null, after: "export {};\n" },
      { path: "src/gone.ts", before: "export {};\n", after: null },
    ]);
    const entry = await appendEntry(location.ledgerFile, draft);
    assert.equal(entry._type, statementType);
    assert.equal(entry.predicateType, changePredicateType);
    assert.deepEqual(Object.keys(entry).sort(), ["_type", "predicate", "predicateType", "subject"], "no fields beside the Statement's own");
    // The deleted file has no content to attest; it is still in predicate.files.
    assert.deepEqual(entry.subject, [
      { name: "src/a.ts", digest: { sha256: draft.files[0].sha256After } },
      { name: "src/new.ts", digest: { sha256: draft.files[1].sha256After } },
    ]);
    assert.deepEqual(entry.predicate.files.map((file) => [file.path, file.sha256Before === null, file.sha256After === null]), [
      ["src/a.ts", false, false],
      ["src/new.ts", true, false],
      ["src/gone.ts", false, true],
    ]);
    assert.match(entry.predicate.forwardPatch, /^--- a\/src\/a\.ts\n\+\+\+ b\/src\/a\.ts\n@@ -1,1 \+1,1 @@\n-let a: any;\n\+let a: unknown;\n/);
    assert.match(entry.predicate.forwardPatch, /--- \/dev\/null\n\+\+\+ b\/src\/new\.ts\n/);
    assert.match(entry.predicate.rollbackPatch, /--- a\/src\/new\.ts\n\+\+\+ \/dev\/null\n/);
  });

  it("treats a missing or empty ledger as intact and empty", async () => {
    const { location } = workspace();
    assert.deepEqual(await verifyLedger(location.ledgerFile), { intact: true, entries: 0 });
    fs.mkdirSync(location.intentsDir, { recursive: true });
    fs.writeFileSync(location.ledgerFile, "");
    assert.deepEqual(await readLedger(location.ledgerFile), { entries: [], integrity: { intact: true, entries: 0 } });
  });

  it("still verifies a ledger whose lines were reformatted or converted to CRLF (git autocrlf), since the hash is over the canonical form", async () => {
    const { location } = workspace();
    for (let n = 1; n <= 3; n++) await appendEntry(location.ledgerFile, numberedDraft(n));
    const lines = ledgerLines(location);
    fs.writeFileSync(location.ledgerFile, lines.map((line, index) => (index === 1 ? JSON.stringify(JSON.parse(line), null, 0).replace('"_type":', ' "_type" : ') : line) + "\r\n").join(""));
    assert.deepEqual(await verifyLedger(location.ledgerFile), { intact: true, entries: 3, head: { seq: 3, hash: (JSON.parse(lines[2]) as LedgerEntry).predicate.chain.hash } });
  });

  it("reads every entry for the view, with the integrity of the chain", async () => {
    const { location } = workspace();
    for (let n = 1; n <= 3; n++) await appendEntry(location.ledgerFile, numberedDraft(n));
    const { entries, integrity } = await readLedger(location.ledgerFile);
    assert.deepEqual(entries.map((entry) => entry.predicate.rationale), ["change number 1", "change number 2", "change number 3"]);
    assert.equal(integrity.intact, true);
  });

  it("refuses a draft with a bad field, naming the field, and writes nothing", async () => {
    const { location } = workspace();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ id: "has space" }, /id must be/],
      [{ time: "yesterday" }, /time must be an ISO 8601 date/],
      [{ actor: { kind: "robot", name: "x" } }, /actor must be/],
      [{ kind: "explode" }, /kind must be one of apply, rollback, contract-accept, reconcile/],
      [{ files: [{ path: "../outside.ts", sha256Before: null, sha256After: "a".repeat(64) }] }, /files\[0\]\.path "\.\.\/outside\.ts" has an empty, `\.` or `\.\.` segment/],
      [{ files: [{ path: "/etc/passwd", sha256Before: null, sha256After: "a".repeat(64) }] }, /is absolute/],
      [{ files: [{ path: "src/a.ts", sha256Before: "XYZ", sha256After: "a".repeat(64) }] }, /files\[0\]\.sha256Before must be a lowercase sha256/],
      [{ kind: "rollback" }, /undoes must name the entry a rollback undoes/],
      [{ evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: 0, durationMs: 12.5 }] } }, /evidence\.commands\[0\]\.durationMs must be a whole number/],
      [{ decision: { outcome: "maybe", reasons: [] } }, /decision\.outcome must be auto, review or deny/],
      [{ chain: { seq: 9, prev: genesisHash, hash: genesisHash } }, /chain is set by the ledger/],
    ];
    for (const [override, message] of cases) {
      await assert.rejects(appendEntry(location.ledgerFile, { ...numberedDraft(1), ...override } as never), (error: unknown) => {
        assert.ok(error instanceof LedgerError, String(error));
        assert.ok(["ledger-invalid-entry", "ledger-path-outside"].includes(error.id));
        assert.match(error.message, message);
        return true;
      });
    }
    assert.equal(fs.existsSync(location.ledgerFile), false);
  });
});
