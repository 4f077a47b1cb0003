import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChangePlan } from "../../../server/src/engine/agents/changePlan";
import { findingAt } from "../../../server/src/engine/agents/findingAt";
import { PlanError } from "../../../server/src/engine/agents/messages";
import { planFix, planFixAll } from "../../../server/src/engine/agents/planner";
import { applyFilePatch, splitPatch } from "../../../server/src/engine/ledger/patches";
import { analyze, makeTempDir, removeTempDirs, type Analysis } from "../helpers/workspace";
import { analyzeFolder } from "../helpers/workspace";
import { insertionFix, onlyFinding, policy, preferredFix, sources, workspaceWith } from "./helpers";

function planPreferConst(ws: Analysis, relative: string): ChangePlan {
  const finding = onlyFinding(ws.engine, ws.pathOf(relative), "prefer-const");
  return planFix(ws.engine, finding, preferredFix(finding));
}

function patchRoundTrip(plan: ChangePlan): void {
  const forward = splitPatch(plan.forwardPatch);
  const rollback = splitPatch(plan.rollbackPatch);
  for (const file of plan.files) {
    const applied = applyFilePatch(file.before, forward.get(file.relativePath) as never);
    assert.deepEqual(applied, { ok: true, text: file.after }, `forward patch of ${file.relativePath}`);
    const undone = applyFilePatch(file.after, rollback.get(file.relativePath) as never);
    assert.deepEqual(undone, { ok: true, text: file.before }, `rollback patch of ${file.relativePath}`);
  }
}

describe("agents: the planner", function () {
  this.timeout(60_000);
  let ws: Analysis;
  before(async () => {
    ws = await workspaceWith();
  });
  after(removeTempDirs);

  it("plans a finding's fix: the edit applied, the finding, the rationale, both patches", () => {
    const plan = planPreferConst(ws, "src/shapes.ts");
    assert.equal(plan.ruleId, "prefer-const");
    assert.equal(plan.title, "Declare with `const`");
    assert.equal(plan.root, ws.root);
    assert.deepEqual(
      plan.files.map((file) => [file.path, file.relativePath]),
      [[ws.pathOf("src/shapes.ts"), "src/shapes.ts"]],
    );
    assert.equal(plan.files[0].after, plan.files[0].before.replace("let result", "const result"));
    assert.equal(plan.findings.length, 1);
    assert.match(plan.rationale, /never reassigned|const/i);
    assert.match(plan.rationale, /docs\/rules\/prefer-const\.md/);
    assert.match(plan.forwardPatch, /^-  let result: number = width \* height;$/m);
    assert.match(plan.forwardPatch, /^\+  const result: number = width \* height;$/m);
    assert.match(plan.rollbackPatch, /^-  const result/m);
    assert.deepEqual(plan.risk, { files: 1, linesAdded: 1, linesRemoved: 1, exportedApiTouched: false, protectedPathsTouched: [] });
    assert.deepEqual(plan.proposedChange, { ruleId: "prefer-const", files: [ws.pathOf("src/shapes.ts")], linesTouched: 2 });
    patchRoundTrip(plan);
  });

  it("gives the same id for the same input, in this workspace and in a copy elsewhere", async () => {
    const first = planPreferConst(ws, "src/shapes.ts");
    const again = planPreferConst(ws, "src/shapes.ts");
    assert.equal(first.id, again.id);
    assert.match(first.id, /^[0-9a-f]{64}$/);
    const copy = path.join(makeTempDir(), "elsewhere");
    fs.cpSync(ws.root, copy, { recursive: true });
    const other = await analyzeFolder(copy);
    assert.equal(planPreferConst(other, "src/shapes.ts").id, first.id);
  });

  it("gives another id when the file's text, or the transform, differs", () => {
    const original = planPreferConst(ws, "src/shapes.ts");
    const file = ws.pathOf("src/shapes.ts");
    const text = ws.engine.workspace.documents.read(file) as string;
    ws.engine.updateDocument(file, text + "// a comment at the end\n", 1);
    try {
      ws.engine.analyzeSyntax(file);
      ws.engine.analyzeTypes(file);
      const edited = planPreferConst(ws, "src/shapes.ts");
      assert.notEqual(edited.id, original.id, "same edits on other text");
    } finally {
      ws.engine.closeDocument(file);
      ws.engine.analyzeSyntax(file);
      ws.engine.analyzeTypes(file);
    }
    const finding = onlyFinding(ws.engine, file, "prefer-const");
    const renamed = planFix(ws.engine, finding, { ...preferredFix(finding), title: "Another transform, same edits" });
    assert.notEqual(renamed.id, original.id, "same edits from another transform");
    assert.equal(planPreferConst(ws, "src/shapes.ts").id, original.id, "back to the original text");
  });

  it("transformer: keeps every byte outside the edits, CRLF line endings included", async () => {
    const crlf = ["// header comment\t(tabs, trailing spaces)   ", "export function area(width: number, height: number): number {", "    let result: number = width * height; // keep me", "  return result;", "}", ""].join("\r\n");
    const local = await analyze({ "src/crlf.ts": crlf });
    const plan = planPreferConst(local, "src/crlf.ts");
    const [file] = plan.files;
    assert.equal(file.before, crlf);
    assert.equal(file.after, crlf.replace("let result", "const result"));
    assert.equal(file.after.split("\r\n").length, crlf.split("\r\n").length);
    assert.ok(!/[^\r]\n/.test(file.after), "a bare LF crept in");
    patchRoundTrip(plan);
  });

  it("transformer: refuses overlapping edits instead of guessing an order", () => {
    const file = ws.pathOf("src/shapes.ts");
    const finding = onlyFinding(ws.engine, file, "prefer-const");
    const fix = preferredFix(finding);
    const edit = fix.changes[0].edits[0];
    const inside = { line: edit.range.start.line, character: edit.range.start.character + 1 };
    const clash = { ...fix, changes: [{ file, edits: [edit, { range: { start: inside, end: edit.range.end }, newText: "x" }] }] };
    assert.throws(() => planFix(ws.engine, finding, clash), (error: unknown) => error instanceof PlanError && error.id === "plan-invalid-edit" && /overlap/.test(error.message));
  });

  it("refuses a fix that changes nothing", () => {
    const file = ws.pathOf("src/shapes.ts");
    const finding = onlyFinding(ws.engine, file, "prefer-const");
    const noop = { title: "Nothing", isPreferred: true, changes: [{ file, edits: [{ range: finding.range, newText: ws.textOf(finding) }] }] };
    assert.throws(() => planFix(ws.engine, finding, noop), (error: unknown) => error instanceof PlanError && error.id === "plan-no-change");
  });

  it("impact set: the files that import a changed file, transitively, from the import graph", () => {
    assert.deepEqual(planPreferConst(ws, "src/shapes.ts").impactSet, [ws.pathOf("src/main.ts"), ws.pathOf("src/report.ts")]);
    assert.deepEqual(planPreferConst(ws, "src/main.ts").impactSet, [], "nothing imports main.ts");
    assert.deepEqual(planPreferConst(ws, "src/other.ts").impactSet, []);
  });

  it("exported API: untouched by a change inside a function body, touched by a new parameter", () => {
    assert.equal(planPreferConst(ws, "src/shapes.ts").risk.exportedApiTouched, false);
    const file = ws.pathOf("src/shapes.ts");
    const finding = onlyFinding(ws.engine, file, "prefer-const");
    const plan = planFix(ws.engine, finding, insertionFix(ws.engine, file, "height: number", ", depth: number"));
    assert.equal(plan.risk.exportedApiTouched, true);
    assert.ok(plan.files[0].after.includes("height: number, depth: number): number"));
  });

  it("fix all: every preferred fix of the rule in the workspace as one plan; one file with --file", () => {
    const all = planFixAll(ws.engine, "prefer-const") as ChangePlan;
    assert.equal(all.findings.length, 3);
    assert.deepEqual(
      all.files.map((file) => file.relativePath),
      ["src/main.ts", "src/other.ts", "src/shapes.ts"],
    );
    assert.equal(all.title, "Fix all 3 findings of prefer-const in the workspace");
    assert.equal(all.deferredFindings, 0);
    assert.deepEqual(all.impactSet, [ws.pathOf("src/report.ts")], "main.ts imports report.ts, which imports shapes.ts; both main and shapes change");
    patchRoundTrip(all);
    const one = planFixAll(ws.engine, "prefer-const", { file: ws.pathOf("src/other.ts") }) as ChangePlan;
    assert.equal(one.title, "Fix 1 finding of prefer-const in src/other.ts");
    assert.deepEqual(one.files.map((file) => file.relativePath), ["src/other.ts"]);
    assert.equal(planFixAll(ws.engine, "no-var"), undefined, "no finding, no plan");
  });

  it("fix all: a fix identical on several findings (a migration of every use) resolves them all, applied once", async () => {
    const migrating = await analyze({
      "src/lib.ts": "export function sum(a: number): number {\n  return a;\n}\n/** @deprecated Use {@link sum} instead. */\nexport const add = sum;\n",
      "src/use.ts": 'import { add } from "./lib";\n\nexport const one = add(1);\nexport const two = add(2);\n',
    });
    const findings = migrating.engine.findingsFor(migrating.pathOf("src/use.ts")).filter((finding) => finding.ruleId === "deprecated-usage");
    assert.equal(findings.length, 2);
    assert.equal(findings[0].fixes.find((fix) => fix.isPreferred)?.title, findings[1].fixes.find((fix) => fix.isPreferred)?.title);
    const plan = planFixAll(migrating.engine, "deprecated-usage") as ChangePlan;
    assert.equal(plan.findings.length, 2);
    assert.equal(plan.deferredFindings, 0);
    assert.equal(plan.title, "Fix all 2 findings of deprecated-usage in the workspace");
    assert.equal(plan.files[0].after, 'import { sum } from "./lib";\n\nexport const one = sum(1);\nexport const two = sum(2);\n');
  });

  it("findingAt: finds the engine's finding by rule and range", () => {
    const file = ws.pathOf("src/other.ts");
    const finding = onlyFinding(ws.engine, file, "prefer-const");
    assert.equal(findingAt(ws.engine, file, "prefer-const", finding.range), finding);
    assert.equal(findingAt(ws.engine, file, "no-var", finding.range), undefined);
  });

  it("protected paths: named in the risk summary (a policy query)", async () => {
    const local = await workspaceWith(
      { ...sources, "src/billing/charge.ts": sources["src/other.ts"] },
      policy("protected:", '  - paths: ["src/billing/**"]', "    autofix: deny", '    reason: "PCI scope: human changes only"'),
    );
    const plan = planFixAll(local.engine, "prefer-const") as ChangePlan;
    assert.deepEqual(plan.risk.protectedPathsTouched, [local.pathOf("src/billing/charge.ts")]);
    assert.deepEqual(planPreferConst(local, "src/other.ts").risk.protectedPathsTouched, []);
  });
});
