import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { rollbackRecordedEntry } from "../../../server/src/engine/ledger/rollbackEntry";
import { LedgerError } from "../../../server/src/engine/ledger/ledgerError";
import { readLedger, verifyLedger } from "../../../server/src/engine/ledger/verify";
import { intactLedger, person, tamperedLedger } from "../../webview/fixtures";
import { removeTempDirs } from "../helpers/workspace";

async function refusal(promise: Promise<unknown>): Promise<LedgerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LedgerError, String(error));
    return error;
  }
  assert.fail("expected the rollback to be refused");
}

/** What the provenance view (with the server down) and `selfheal ledger rollback` both run. */
const rollbackWithEngine = (location: Parameters<typeof rollbackRecordedEntry>[0], id: string, actor: Parameters<typeof rollbackRecordedEntry>[2]) =>
  rollbackRecordedEntry(location, id, actor, "the provenance view lists them");

describe("rolling back a recorded entry from the files on disk (the CLI, and the view with the server down)", () => {
  afterEach(removeTempDirs);

  it("writes the files back and records the rollback, chained", async () => {
    const fixture = await intactLedger();
    const fourth = fixture.entries[3];
    const handler = path.join(fixture.root, "src/http/handler.ts");
    assert.match(fs.readFileSync(handler, "utf8"), /const count/);
    const result = await rollbackWithEngine(fixture.location, fourth.predicate.id, person);
    assert.equal(result.exact, true);
    assert.deepEqual(result.files, ["src/http/handler.ts"]);
    assert.match(fs.readFileSync(handler, "utf8"), /let count/);
    assert.match(fs.readFileSync(handler, "utf8"), /await save\(request\)/, "the earlier change stays");
    const { entries } = await readLedger(fixture.location.ledgerFile);
    assert.equal(entries.length, 7);
    assert.equal(entries[6].predicate.kind, "rollback");
    assert.equal(entries[6].predicate.undoes, fourth.predicate.id);
    assert.deepEqual(entries[6].predicate.actor, person);
    assert.equal(result.recorded.predicate.chain.seq, 7);
    assert.equal((await verifyLedger(fixture.location.ledgerFile)).intact, true);
  });

  it("refuses, writing nothing: an entry already undone, an unknown id, a ledger that is not intact, a conflict", async () => {
    const fixture = await intactLedger();
    const ledgerBefore = fs.readFileSync(fixture.location.ledgerFile);
    assert.equal((await refusal(rollbackWithEngine(fixture.location, fixture.entries[0].predicate.id, person))).id, "ledger-rollback-already-undone");
    assert.equal((await refusal(rollbackWithEngine(fixture.location, "no-such-entry", person))).id, "ledger-unknown-entry");
    fs.writeFileSync(path.join(fixture.root, "src/http/routes.ts"), "rewritten entirely\n");
    const conflict = await refusal(rollbackWithEngine(fixture.location, fixture.entries[4].predicate.id, person));
    assert.equal(conflict.id, "ledger-rollback-conflict");
    assert.match(conflict.message, /src\/http\/routes\.ts hunk 1 @@/);
    assert.deepEqual(fs.readFileSync(fixture.location.ledgerFile), ledgerBefore);

    const tampered = await tamperedLedger();
    const notIntact = await refusal(rollbackWithEngine(tampered.location, tampered.entries[4].predicate.id, person));
    assert.equal(notIntact.id, "ledger-not-intact");
    assert.match(notIntact.message, /ledger-altered: line 3, seq 3/);
  });
});
