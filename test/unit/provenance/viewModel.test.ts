import * as assert from "node:assert/strict";
import { entryDetail } from "../../../server/src/engine/ledger/view/entryDetail";
import { linkRollbacks, summarizeEntry, verificationOf, type EntrySummary } from "../../../server/src/engine/ledger/view/entrySummary";
import { integrityViewOf, trustOf } from "../../../server/src/engine/ledger/view/integrityView";
import { ledgerMetrics } from "../../../server/src/engine/ledger/view/ledgerMetrics";
import { MemoryLedgerView } from "../../../server/src/engine/ledger/view/ledgerView";
import { facetsOf, SummaryQuery, type EntryFilter } from "../../../server/src/engine/ledger/view/query";
import { intactLedger, ledgerText } from "../../webview/fixtures";
import { removeTempDirs } from "../helpers/workspace";

/** Summaries of the six-entry fixture (see test/webview/fixtures.ts), in ledger order. */
async function fixtureSummaries(): Promise<EntrySummary[]> {
  const fixture = await intactLedger();
  const summaries = fixture.entries.map((entry, index) => summarizeEntry(JSON.parse(JSON.stringify(entry)), index * 1000, index + 1)!);
  linkRollbacks(summaries);
  return summaries;
}

function summary(overrides: Partial<EntrySummary>): EntrySummary {
  return { key: 0, seq: 1, id: "id", time: "2025-01-01T00:00:00.000Z", kind: "apply", files: [], actorKind: "agent", actorName: "a", verification: "passed", rationale: "", ...overrides };
}

describe("provenance view model", () => {
  afterEach(removeTempDirs);

  describe("summaries", () => {
    it("summarize a real entry: what the timeline shows, and no patch", async () => {
      const fixture = await intactLedger();
      const second = fixture.entries[1];
      const result = summarizeEntry(second, 123, 2);
      assert.deepEqual(result, {
        key: 123,
        line: 2,
        seq: 2,
        id: second.predicate.id,
        time: "2025-06-02T10:30:00.000Z",
        kind: "apply",
        rule: "floating-promise",
        files: ["src/http/handler.ts", "src/http/routes.ts"],
        actorKind: "agent",
        actorName: "selfheal 0.1.0",
        outcome: "review",
        verification: "passed",
        rationale: "save() returns a promise that nobody awaited: errors were lost.",
        linesAdded: 2,
        linesRemoved: 1,
      });
    });

    it("a line of the wrong shape: fields of the wrong type are left out, not trusted; a value with no seq or id is no entry", () => {
      const odd = summarizeEntry({ predicate: { chain: { seq: 4 }, id: "x", time: 5, kind: ["apply"], rule: { evil: true }, files: [{ path: 1 }, { path: "ok.ts" }, null], actor: "me", decision: { outcome: "maybe" }, rationale: "r".repeat(1000) } }, 0);
      assert.deepEqual(odd, { key: 0, seq: 4, id: "x", time: "", kind: "unknown", files: ["ok.ts"], actorKind: "unknown", actorName: "", verification: "not-verified", rationale: "r".repeat(240) });
      for (const value of [null, "text", 42, [], {}, { predicate: {} }, { predicate: { chain: { seq: 0 }, id: "x" } }, { predicate: { chain: { seq: 1.5 }, id: "x" } }, { predicate: { chain: { seq: 1 }, id: 7 } }]) {
        assert.equal(summarizeEntry(value, 0), undefined, JSON.stringify(value));
      }
    });

    it("verification: failed on new type errors or a command that ran and failed; a skipped command is not a failure", () => {
      assert.equal(verificationOf(undefined), "not-verified");
      assert.equal(verificationOf({ diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [] }), "passed");
      assert.equal(verificationOf({ diagnosticsBefore: 2, diagnosticsAfter: 1, commands: [] }), "passed");
      assert.equal(verificationOf({ diagnosticsBefore: 0, diagnosticsAfter: 1, commands: [] }), "failed");
      assert.equal(verificationOf({ diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: 2, durationMs: 1 }] }), "failed");
      assert.equal(verificationOf({ diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: null, durationMs: 0, skipped: "untrusted workspace" }] }), "passed");
    });

    it("a rollback marks the entry it undoes (the first rollback, as planRollback decides)", () => {
      const summaries = [summary({ id: "a" }), summary({ id: "r1", kind: "rollback", undoes: "a" }), summary({ id: "r2", kind: "rollback", undoes: "a" }), summary({ id: "r3", kind: "rollback", undoes: "missing" })];
      linkRollbacks(summaries);
      assert.equal(summaries[0].undoneBy, "r1");
      assert.deepEqual(
        summaries.slice(1).map((entry) => entry.undoneBy),
        [undefined, undefined, undefined],
      );
    });
  });

  describe("querying", () => {
    it("pages newest first, with the total", async () => {
      const query = new SummaryQuery(await fixtureSummaries());
      const page = query.page({}, 1, 2);
      assert.equal(page.total, 6);
      assert.deepEqual(
        page.rows.map((row) => row.seq),
        [5, 4],
      );
      assert.deepEqual(query.page({}, 5, 10).rows.map((row) => row.seq), [1]);
      assert.deepEqual(query.page({}, 9, 10).rows, []);
    });

    it("each filter, and all of them together", async () => {
      const query = new SummaryQuery(await fixtureSummaries());
      const seqs = (filter: EntryFilter) => query.page(filter, 0, 100).rows.map((row) => row.seq);
      assert.deepEqual(seqs({ kind: "rollback" }), [6]);
      assert.deepEqual(seqs({ subject: "public-api" }), [3]);
      assert.deepEqual(seqs({ subject: "no-explicit-any" }), [6, 1]);
      assert.deepEqual(seqs({ actor: "user" }), [6, 4, 3]);
      assert.deepEqual(seqs({ actor: "selfheal 0.1.0" }), [5, 2, 1]);
      assert.deepEqual(seqs({ outcome: "review" }), [2]);
      assert.deepEqual(seqs({ outcome: "none" }), [6, 3]);
      assert.deepEqual(seqs({ status: "undone" }), [1]);
      assert.deepEqual(seqs({ status: "standing" }), [6, 5, 4, 3, 2]);
      assert.deepEqual(seqs({ file: "HANDLER" }), [4, 2]);
      assert.deepEqual(seqs({ from: "2025-06-03" }), [6, 5, 4, 3]);
      assert.deepEqual(seqs({ to: "2025-06-02" }), [2, 1], "a date as the upper end includes that whole day");
      assert.deepEqual(seqs({ from: "2025-06-02T11:00:00Z", to: "2025-06-05T07:15:00.000Z" }), [5, 4, 3]);
      assert.deepEqual(seqs({ text: "AWAITED errors" }), [2], "words in any order, any case");
      assert.deepEqual(seqs({ text: "#4" }), [4]);
      assert.deepEqual(seqs({ text: "awaited unrelated" }), []);
      assert.deepEqual(seqs({ kind: "apply", actor: "user", file: "handler" }), [4]);
      assert.deepEqual(seqs({ kind: "", text: "" }), [6, 5, 4, 3, 2, 1], "empty fields mean any");
    });

    it("the facets the filters offer come from the ledger", async () => {
      assert.deepEqual(facetsOf(await fixtureSummaries()), {
        kinds: ["apply", "contract-accept", "rollback"],
        subjects: ["floating-promise", "no-explicit-any", "prefer-as-const", "prefer-const", "public-api"],
        actors: ["agent", "dana", "selfheal 0.1.0", "user"],
      });
    });
  });

  describe("metrics", () => {
    it("changes applied, verification pass rate, change failure rate, median time to rollback, by rule", async () => {
      const metrics = ledgerMetrics(await fixtureSummaries());
      assert.deepEqual(metrics, {
        entries: 6,
        byKind: { apply: 4, "contract-accept": 1, rollback: 1 },
        changesApplied: 4,
        verification: { passed: 3, failed: 1, notVerified: 0, passRate: 0.75 },
        rollbacks: { entries: 1, changesRolledBack: 1, changeFailureRate: 0.25, medianTimeToRollbackMs: (4 * 24 + 2) * 3_600_000 + 15 * 60_000 },
        byRule: [
          { subject: "floating-promise", applied: 1, rolledBack: 0 },
          { subject: "no-explicit-any", applied: 1, rolledBack: 1 },
          { subject: "prefer-as-const", applied: 1, rolledBack: 0 },
          { subject: "prefer-const", applied: 1, rolledBack: 0 },
        ],
        firstTime: "2025-06-01T09:00:00.000Z",
        lastTime: "2025-06-05T11:15:00.000Z",
      });
    });

    it("the median of an even count is the mean of the middle two; rates are null without data", () => {
      const entries = [
        summary({ id: "a", time: "2025-01-01T00:00:00.000Z" }),
        summary({ id: "b", time: "2025-01-01T00:00:00.000Z" }),
        summary({ id: "ra", kind: "rollback", undoes: "a", time: "2025-01-01T00:01:00.000Z", verification: "not-verified" }),
        summary({ id: "rb", kind: "rollback", undoes: "b", time: "2025-01-01T00:03:00.000Z", verification: "not-verified" }),
      ];
      linkRollbacks(entries);
      assert.equal(ledgerMetrics(entries).rollbacks.medianTimeToRollbackMs, 120_000);
      const empty = ledgerMetrics([]);
      assert.equal(empty.verification.passRate, null);
      assert.equal(empty.rollbacks.changeFailureRate, null);
      assert.equal(empty.rollbacks.medianTimeToRollbackMs, null);
    });
  });

  describe("integrity", () => {
    it("maps verification results, and which entries the chain vouches for", () => {
      assert.deepEqual(integrityViewOf({ intact: true, entries: 0 }, false), { state: "no-ledger" });
      const intact = integrityViewOf({ intact: true, entries: 2, head: { seq: 2, hash: "h" } }, true);
      assert.deepEqual(intact, { state: "intact", entries: 2, head: { seq: 2, hash: "h" } });
      const broken = integrityViewOf({ intact: false, entries: 2, firstBad: { line: 3, seq: 3, id: "c", problem: "reordered", detail: "d" } }, true);
      assert.deepEqual(broken, { state: "broken", entries: 2, messageId: "ledger-reordered", firstBad: { line: 3, seq: 3, id: "c", problem: "reordered", detail: "d" } });
      assert.deepEqual(
        [1, 2, 3, 4].map((line) => trustOf(line, broken)),
        ["verified", "verified", "first-bad", "after-break"],
      );
      assert.equal(trustOf(undefined, broken), "unchecked", "a row read from the end has no line number yet");
      assert.equal(trustOf(9, intact), "verified");
      assert.equal(trustOf(1, { state: "checking" }), "unchecked");
    });
  });

  describe("entry detail", () => {
    it("a real entry in full: decision with its policy line, evidence, files with where the change starts, both diffs, links", async () => {
      const fixture = await intactLedger();
      const view = new MemoryLedgerView(ledgerText(fixture), { state: "intact", entries: 6 });
      const first = fixture.entries[0];
      const detail = await view.detail(0, first.predicate.id);
      assert.ok(detail);
      assert.equal(detail.rationale, first.predicate.rationale);
      assert.deepEqual(detail.decision, { outcome: "auto", reasons: [{ message: "rules.no-explicit-any.autofix is auto", origin: { file: ".selfheal/policy.yaml", line: 6, key: "rules.no-explicit-any.autofix" } }] });
      assert.deepEqual(detail.evidence, { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: 0, durationMs: 4210 }] });
      assert.deepEqual(detail.files, [{ path: "src/http/logPayload.ts", sha256Before: first.predicate.files[0].sha256Before, sha256After: first.predicate.files[0].sha256After, changedLine: 3 }]);
      assert.equal(detail.forward[0].newPath, "src/http/logPayload.ts");
      assert.equal(detail.rollback[0].hunks[0].lines.find((line) => line.kind === "added")?.text, "export function logPayload(payload: any): void {");
      assert.equal(detail.undoneBy?.seq, 6);
      assert.equal(detail.trust, "verified");
      assert.deepEqual(JSON.parse(detail.json), first);
      const rollback = await view.detail(5, fixture.entries[5].predicate.id);
      assert.equal(rollback?.undoes?.seq, 1);
      assert.equal(rollback?.decision, undefined);
      assert.equal(await view.detail(0, "another id"), undefined, "the id must match the key");
    });

    it("fields of the wrong type never reach the page as anything but what the type says", () => {
      const value = { predicate: { chain: { seq: 1 }, id: "x", rationale: { html: "<b>" }, impact: ["a.ts", 5], files: [{ path: "a.ts", sha256Before: 7, sha256After: "h" }], decision: { outcome: 3, reasons: [{ message: "m", origin: { file: "p.yaml", line: "7" } }, "junk"] }, evidence: { diagnosticsBefore: "0", commands: [{ exitCode: "0" }] }, plan: { planId: 1, files: "2", exportedApiTouched: "yes", protectedPathsTouched: [1, "b"] }, forwardPatch: 5 } };
      const detail = entryDetail(value, summarizeEntry(value, 0)!, "verified", () => undefined);
      assert.equal(detail.rationale, "");
      assert.deepEqual(detail.impact, ["a.ts"]);
      assert.deepEqual(detail.files, [{ path: "a.ts", sha256Before: null, sha256After: "h", changedLine: 1 }]);
      assert.deepEqual(detail.decision, { outcome: "unknown", reasons: [{ message: "m" }, { message: "" }] });
      assert.deepEqual(detail.evidence, { diagnosticsBefore: null, diagnosticsAfter: null, commands: [{ command: "", exitCode: null, durationMs: null }] });
      assert.deepEqual(detail.plan, { planId: "", files: null, linesAdded: null, linesRemoved: null, exportedApiTouched: false, protectedPathsTouched: ["b"] });
      assert.deepEqual(detail.forward, []);
    });
  });
});
