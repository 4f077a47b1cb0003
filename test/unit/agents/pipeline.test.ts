import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { ChangePlan } from "../../../server/src/engine/agents/changePlan";
import { buildEntryDraft, editsOnDisk, ledgerLocationFor } from "../../../server/src/engine/agents/ledgerRecord";
import { runPipeline, type ApplyRequest, type PipelineOptions, type PipelineOutcome } from "../../../server/src/engine/agents/pipeline";
import { planFix, planFixAll } from "../../../server/src/engine/agents/planner";
import { verifyPlan } from "../../../server/src/engine/agents/verifier";
import type { Actor } from "../../../server/src/engine/ledger/entry";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { planRollback } from "../../../server/src/engine/ledger/rollback";
import { validateDraft } from "../../../server/src/engine/ledger/validateDraft";
import { readLedger } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs, type Analysis } from "../helpers/workspace";
import { insertionFix, onlyFinding, policy, preferredFix, sources, workspaceWith } from "./helpers";

const actor: Actor = { kind: "agent", name: "selfheal-test" };

const testPolicy = policy(
  "rules:",
  "  prefer-const: { autofix: auto }",
  "  no-var: { autofix: review }",
  "  loose-equality: { autofix: off }",
  "protected:",
  '  - paths: ["src/billing/**"]',
  "    autofix: deny",
  '    reason: "PCI scope: human changes only"',
);

const files = {
  ...sources,
  "src/billing/charge.ts": sources["src/other.ts"],
  "src/count.ts": ["export function count(items: string[]): number {", "  var n: number = items.length;", "  return n;", "}", ""].join("\n"),
  "src/compare.ts": ["export function same(a: string, b: string): boolean {", "  return a == b;", "}", ""].join("\n"),
};

/** Writes through the real ledger, and tells the engine the files changed, as its file watcher would. */
function recorder(ws: Analysis) {
  const requests: ApplyRequest[] = [];
  const apply: PipelineOptions["apply"] = async (request) => {
    requests.push(request);
    const entry = await applyRecordedChange(ledgerLocationFor(ws.engine, request.plan), request.draft, request.edits);
    for (const file of request.plan.files) ws.engine.workspace.documents.invalidate(file.path);
    for (const project of ws.engine.workspace.allProjects()) project.changed();
    return { status: "applied", entry };
  };
  return { requests, apply };
}

function planRule(ws: Analysis, relative: string, ruleId: string): ChangePlan {
  const finding = onlyFinding(ws.engine, ws.pathOf(relative), ruleId);
  return planFix(ws.engine, finding, preferredFix(finding));
}

function expectKind<K extends PipelineOutcome["kind"]>(outcome: PipelineOutcome, kind: K): Extract<PipelineOutcome, { kind: K }> {
  assert.equal(outcome.kind, kind, `${outcome.id}: ${outcome.message}`);
  return outcome as Extract<PipelineOutcome, { kind: K }>;
}

async function ledgerEntries(ws: Analysis) {
  const location = ledgerLocationFor(ws.engine, planFixAll(ws.engine, "prefer-const", { file: ws.pathOf("src/main.ts") }) as ChangePlan);
  return fs.existsSync(location.ledgerFile) ? (await readLedger(location.ledgerFile)).entries : [];
}

describe("agents: the pipeline", function () {
  this.timeout(60_000);
  let ws: Analysis;
  beforeEach(async () => {
    ws = await workspaceWith(files, testPolicy);
  });
  afterEach(removeTempDirs);

  it("auto: verifies, applies and records one entry whose patches undo the change", async () => {
    const { requests, apply } = recorder(ws);
    const plan = planRule(ws, "src/shapes.ts", "prefer-const");
    const outcome = expectKind(await runPipeline(ws.engine, plan, { actor, apply }), "applied");
    assert.equal(outcome.id, "pipeline-applied");
    assert.equal(requests.length, 1);
    assert.equal(fs.readFileSync(ws.pathOf("src/shapes.ts"), "utf8"), plan.files[0].after);
    const entries = await ledgerEntries(ws);
    assert.equal(entries.length, 1);
    const recorded = entries[0].predicate;
    assert.equal(recorded.id, outcome.entry.predicate.id);
    assert.equal(recorded.kind, "apply");
    assert.equal(recorded.rule, "prefer-const");
    assert.equal(recorded.plan?.planId, plan.id);
    assert.deepEqual(recorded.impact, ["src/main.ts", "src/report.ts"]);
    assert.equal(recorded.decision?.outcome, "auto");
    assert.deepEqual(recorded.decision?.reasons[0], { message: "prefer-const fixes may apply without review (rules.prefer-const.autofix)", origin: { file: ".selfheal/policy.yaml", line: 4, key: "rules.prefer-const.autofix" } });
    assert.deepEqual(recorded.evidence, { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [] });
    assert.deepEqual(recorded.files.map((file) => file.path), ["src/shapes.ts"]);
    const rollback = planRollback(entries[0], (relative) => fs.readFileSync(ws.pathOf(relative)), entries);
    assert.ok(rollback.ok);
    assert.equal(rollback.edits[0].after, plan.files[0].before);
  });

  it("idempotent: the same plan again changes nothing and records nothing", async () => {
    const { requests, apply } = recorder(ws);
    const plan = planRule(ws, "src/shapes.ts", "prefer-const");
    expectKind(await runPipeline(ws.engine, plan, { actor, apply }), "applied");
    const ledgerBytes = fs.readFileSync(ledgerLocationFor(ws.engine, plan).ledgerFile);
    const again = expectKind(await runPipeline(ws.engine, plan, { actor, apply }), "already-applied");
    assert.equal(again.id, "pipeline-already-applied");
    assert.equal(requests.length, 1, "apply was called again");
    assert.deepEqual(fs.readFileSync(ledgerLocationFor(ws.engine, plan).ledgerFile), ledgerBytes);
  });

  it("deny: stops with the policy's reason and line; nothing verified, written or recorded", async () => {
    const { requests, apply } = recorder(ws);
    const plan = planRule(ws, "src/billing/charge.ts", "prefer-const");
    const outcome = expectKind(await runPipeline(ws.engine, plan, { actor, apply, confirmReview: true }), "denied");
    assert.equal(outcome.id, "pipeline-denied");
    assert.match(outcome.message, /src\/billing\/charge\.ts is protected by "src\/billing\/\*\*": PCI scope: human changes only \(\.selfheal\/policy\.yaml:8\)/);
    assert.equal(outcome.decision.reasons[0].origin?.key, "protected[0]");
    assert.equal(requests.length, 0);
    assert.equal(fs.readFileSync(ws.pathOf("src/billing/charge.ts"), "utf8"), plan.files[0].before);
    assert.deepEqual(await ledgerEntries(ws), []);
  });

  it("not offered: the rule's autofix is off", async () => {
    const { requests, apply } = recorder(ws);
    const outcome = expectKind(await runPipeline(ws.engine, planRule(ws, "src/compare.ts", "loose-equality"), { actor, apply, confirmReview: true }), "not-offered");
    assert.match(outcome.message, /loose-equality fixes are off/);
    assert.equal(requests.length, 0);
  });

  it("review: not applied until confirmed; confirmed, applied and recorded with the review decision", async () => {
    const { requests, apply } = recorder(ws);
    const plan = planRule(ws, "src/count.ts", "no-var");
    const waiting = expectKind(await runPipeline(ws.engine, plan, { actor, apply }), "needs-review");
    assert.equal(waiting.verification.ok, true, "verified before asking for a review");
    assert.equal(requests.length, 0);
    assert.equal(fs.readFileSync(ws.pathOf("src/count.ts"), "utf8"), plan.files[0].before);
    let asked = 0;
    const outcome = expectKind(await runPipeline(ws.engine, plan, { actor, apply, confirmReview: () => (asked++, true) }), "applied");
    assert.equal(asked, 1);
    assert.equal(outcome.entry.predicate.decision?.outcome, "review");
    assert.equal(fs.readFileSync(ws.pathOf("src/count.ts"), "utf8"), plan.files[0].after);
  });

  it("dry run: the decision, the verification and both patches; nothing written", async () => {
    const { requests, apply } = recorder(ws);
    const plan = planRule(ws, "src/shapes.ts", "prefer-const");
    const outcome = expectKind(await runPipeline(ws.engine, plan, { actor, apply, dryRun: true }), "dry-run");
    assert.equal(outcome.forwardPatch, plan.forwardPatch);
    assert.equal(outcome.rollbackPatch, plan.rollbackPatch);
    assert.match(outcome.forwardPatch, /^\+  const result/m);
    assert.equal(outcome.verification.ok, true);
    assert.equal(requests.length, 0);
    assert.equal(fs.readFileSync(ws.pathOf("src/shapes.ts"), "utf8"), plan.files[0].before);
    assert.deepEqual(await ledgerEntries(ws), []);
  });

  it("verification failure: stops, naming the new diagnostic; nothing written", async () => {
    const { requests, apply } = recorder(ws);
    const file = ws.pathOf("src/shapes.ts");
    const plan = planFix(ws.engine, onlyFinding(ws.engine, file, "prefer-const"), insertionFix(ws.engine, file, "height: number", ", depth: number"));
    const outcome = expectKind(await runPipeline(ws.engine, plan, { actor, apply }), "verification-failed");
    assert.match(outcome.message, /src\/report\.ts:2: TS2554/);
    assert.equal(requests.length, 0);
  });

  it("stale: a file changed since planning; nothing written", async () => {
    const { requests, apply } = recorder(ws);
    const plan = planRule(ws, "src/other.ts", "prefer-const");
    fs.writeFileSync(ws.pathOf("src/other.ts"), plan.files[0].before + "// edited meanwhile\n");
    ws.engine.workspace.documents.invalidate(ws.pathOf("src/other.ts"));
    const outcome = expectKind(await runPipeline(ws.engine, plan, { actor, apply }), "stale");
    assert.deepEqual(outcome.staleFiles, [ws.pathOf("src/other.ts")]);
    assert.equal(requests.length, 0);
  });

  it("the writer declines (a cancelled preview): not applied, nothing recorded", async () => {
    const outcome = expectKind(await runPipeline(ws.engine, planRule(ws, "src/other.ts", "prefer-const"), { actor, apply: async () => ({ status: "declined", message: "the preview was cancelled" }) }), "not-applied");
    assert.equal(outcome.message, "not applied: the preview was cancelled");
    assert.deepEqual(await ledgerEntries(ws), []);
  });

  it("buildEntryDraft: a valid ledger draft; editsOnDisk keeps a UTF-8 byte order mark", async () => {
    const file = ws.pathOf("src/other.ts");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, "\uFEFF" + text);
    ws.engine.workspace.documents.invalidate(file);
    for (const project of ws.engine.workspace.allProjects()) project.changed();
    ws.engine.analyzeSyntax(file);
    ws.engine.analyzeTypes(file);
    const plan = planRule(ws, "src/other.ts", "prefer-const");
    assert.equal(plan.files[0].before, text, "the engine reads the text without its BOM");
    const edits = editsOnDisk(plan);
    assert.deepEqual(edits, [{ path: "src/other.ts", before: "\uFEFF" + text, after: "\uFEFF" + plan.files[0].after }]);
    const decision = ws.engine.policies.decide(plan.proposedChange);
    const draft = buildEntryDraft({ plan, decision, verification: await verifyPlan(ws.engine, plan), actor, edits });
    validateDraft(draft);
    await applyRecordedChange(ledgerLocationFor(ws.engine, plan), draft, edits);
    assert.equal(fs.readFileSync(file, "utf8"), "\uFEFF" + plan.files[0].after);
  });
});
