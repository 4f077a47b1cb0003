import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { appendEntry } from "../../../server/src/engine/ledger/append";
import { FileLedgerView } from "../../../server/src/engine/ledger/view/fileLedgerView";
import type { LedgerViewState } from "../../../server/src/engine/ledger/view/ledgerView";
import { bigLedger, draftOf, intactLedger, ledgerText, tamperedLedger, tornLedger } from "../../webview/fixtures";
import { removeTempDirs } from "../helpers/workspace";

/** Loads the view and records the state after each step it announces. */
async function loaded(ledgerFile: string, newest?: number): Promise<{ view: FileLedgerView; steps: LedgerViewState[] }> {
  const view = new FileLedgerView(ledgerFile, newest === undefined ? {} : { newest });
  const steps: LedgerViewState[] = [];
  view.onDidChange(() => steps.push(view.state()));
  await view.load();
  return { view, steps };
}

describe("provenance view: reading a ledger file", () => {
  afterEach(removeTempDirs);

  it("lists the newest entries first, then all of them, then the integrity", async () => {
    const fixture = await intactLedger();
    const { view, steps } = await loaded(fixture.location.ledgerFile, 2);
    assert.deepEqual(
      steps.map((step) => [step.listing, step.listed, step.integrity.state]),
      [
        ["newest", 2, "checking"],
        ["all", 6, "checking"],
        ["all", 6, "intact"],
      ],
    );
    assert.deepEqual(
      steps.map((step) => step.revision),
      [1, 2, 3],
    );
    assert.equal(steps[0].metrics, undefined, "metrics need every entry");
    assert.equal(view.state().metrics?.changesApplied, 4);
    assert.deepEqual(
      view.rows({}, 0, 10).rows.map((row) => [row.seq, row.line]),
      [
        [6, 6],
        [5, 5],
        [4, 4],
        [3, 3],
        [2, 2],
        [1, 1],
      ],
    );
  });

  it("keys are byte offsets: the detail is read again from the file, and must still be the same entry", async () => {
    const fixture = await intactLedger();
    const { view } = await loaded(fixture.location.ledgerFile);
    const lines = ledgerText(fixture);
    const rows = view.rows({}, 0, 10).rows.reverse();
    let offset = 0;
    rows.forEach((row, index) => {
      assert.equal(row.key, offset);
      offset += Buffer.byteLength(lines[index]) + 1;
    });
    const third = rows[2];
    const detail = await view.detail(third.key, third.id);
    assert.equal(detail?.summary.seq, 3);
    assert.deepEqual(JSON.parse(detail!.json), fixture.entries[2]);
    assert.deepEqual(await view.entry(third.key, third.id), fixture.entries[2]);
    assert.equal(await view.detail(third.key, rows[1].id), undefined, "a key with another entry's id");
    assert.equal(await view.detail(third.key + 1, third.id), undefined, "a key that is no entry's");
    assert.equal(view.findById(rows[4].id)?.seq, 5);

    // The file is rewritten under the listing: the old key now points into other bytes, so nothing is shown rather than the wrong entry.
    fs.writeFileSync(fixture.location.ledgerFile, lines.slice(1).join("\n") + "\n");
    assert.equal(await view.detail(third.key, third.id), undefined);
    fs.rmSync(fixture.location.ledgerFile);
    assert.equal(await view.detail(third.key, third.id), undefined);
  });

  it("a tampered ledger: the integrity names the entry, every parseable entry is still listed with its line", async () => {
    const fixture = await tamperedLedger();
    const { view } = await loaded(fixture.location.ledgerFile);
    const { integrity, listed } = view.state();
    assert.equal(listed, 6);
    assert.equal(integrity.state, "broken");
    assert.ok(integrity.state === "broken");
    assert.equal(integrity.messageId, "ledger-altered");
    assert.equal(integrity.firstBad.line, 3);
    const row = view.rows({}, 0, 10).rows.find((candidate) => candidate.seq === 4)!;
    assert.equal((await view.detail(row.key, row.id))?.trust, "after-break");
  });

  it("a torn ledger: the torn line is not listed, and counted as unlisted", async () => {
    const fixture = await tornLedger();
    const { view, steps } = await loaded(fixture.location.ledgerFile, 3);
    assert.equal(steps[0].listed, 3, "the newest entries before the torn line");
    const state = view.state();
    assert.equal(state.listed, 6);
    assert.equal(state.unlisted, 1);
    assert.ok(state.integrity.state === "broken" && state.integrity.firstBad.problem === "torn" && state.integrity.firstBad.line === 7);
  });

  it("no ledger file: nothing listed, and says there is no ledger", async () => {
    const fixture = await intactLedger();
    fs.rmSync(fixture.location.ledgerFile);
    const { view } = await loaded(fixture.location.ledgerFile);
    assert.deepEqual(view.state().integrity, { state: "no-ledger" });
    assert.equal(view.state().listed, 0);
    assert.deepEqual(view.rows({}, 0, 10), { total: 0, offset: 0, rows: [] });
  });

  it("a ledger path that cannot be read: unreadable, with the reason", async () => {
    const fixture = await intactLedger();
    fs.rmSync(fixture.location.ledgerFile);
    fs.mkdirSync(fixture.location.ledgerFile);
    const { view } = await loaded(fixture.location.ledgerFile);
    const { integrity } = view.state();
    assert.equal(integrity.state, "unreadable");
    assert.ok(integrity.state === "unreadable" && integrity.reason.includes(fixture.location.ledgerFile));
  });

  it("loads asked for during a load are served by one more load after it, which sees the newest file", async () => {
    const fixture = await intactLedger();
    const view = new FileLedgerView(fixture.location.ledgerFile);
    const first = view.load();
    await appendEntry(fixture.location.ledgerFile, draftOf([{ path: "src/x.ts", before: null, after: "x\n" }], "2025-06-08T00:00:00.000Z"));
    const second = view.load();
    const third = view.load();
    assert.equal(second, third, "one more load, not two");
    await Promise.all([first, second]);
    assert.equal(view.state().listed, 7);
    assert.equal(view.state().integrity.state, "intact");
  });

  it("100,000 entries: the newest rows come before the rest is read, and summaries stay compact", async function () {
    this.timeout(180_000);
    const fixture = bigLedger(100_000);
    const view = new FileLedgerView(fixture.location.ledgerFile);
    const started = performance.now();
    const firstRows = new Promise<number>((resolve) => view.onDidChange(() => resolve(performance.now() - started)));
    const loading = view.load();
    const newestMs = await firstRows;
    const newest = view.state();
    await loading;
    const allMs = performance.now() - started;
    // What the listing holds per entry, measured as JSON: a summary, not the entry (whose patches are most of its 2.7 KB).
    const listingMb = JSON.stringify(view.rows({}, 0, 100_000).rows).length / 1024 / 1024;
    const fileMb = fs.statSync(fixture.location.ledgerFile).size / 1024 / 1024;
    console.log(`      newest rows after ${Math.round(newestMs)} ms; all listed and verified after ${Math.round(allMs)} ms; summaries ${Math.round(listingMb)} MB as JSON for a ${Math.round(fileMb)} MB ledger`);
    assert.equal(newest.listing, "newest");
    assert.equal(newest.listed, 200);
    assert.equal(view.rows({}, 0, 1).rows[0].seq, 100_000);
    assert.equal(view.state().listed, 100_000);
    assert.equal(view.state().integrity.state, "intact");
    assert.ok(listingMb < fileMb / 5, `summaries should not hold the patches (${Math.round(listingMb)} MB)`);
    const oldest = view.rows({}, 99_999, 1).rows[0];
    const detail = await view.detail(oldest.key, oldest.id);
    assert.equal(detail?.summary.seq, 1);
    assert.ok(detail.forward.length >= 1);
  });
});
