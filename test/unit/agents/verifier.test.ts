import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChangePlan } from "../../../server/src/engine/agents/changePlan";
import { planFix } from "../../../server/src/engine/agents/planner";
import { verifyPlan } from "../../../server/src/engine/agents/verifier";
import { makeTempDir, removeTempDirs, writeFiles, type Analysis } from "../helpers/workspace";
import { waitFor } from "../ledger/helpers";
import { insertionFix, onlyFinding, policy, preferredFix, setPolicy, workspaceWith } from "./helpers";

function planPreferConst(ws: Analysis, relative: string): ChangePlan {
  const finding = onlyFinding(ws.engine, ws.pathOf(relative), "prefer-const");
  return planFix(ws.engine, finding, preferredFix(finding));
}

/** A hand-made plan that adds a required parameter to an exported function: its importer's call no longer type-checks. */
function breakingPlan(ws: Analysis): ChangePlan {
  const file = ws.pathOf("src/shapes.ts");
  return planFix(ws.engine, onlyFinding(ws.engine, file, "prefer-const"), insertionFix(ws.engine, file, "height: number", ", depth: number", "Add a depth parameter"));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("agents: the verifier", function () {
  this.timeout(60_000);
  let ws: Analysis;
  before(async () => {
    ws = await workspaceWith();
  });
  beforeEach(() => {
    ws.engine.policies.trusted = false;
    setPolicy(ws, policy());
  });
  after(removeTempDirs);

  it("passes a safe fix: changed file type-checked, importers skipped because its declarations are unchanged", async () => {
    const result = await verifyPlan(ws.engine, planPreferConst(ws, "src/shapes.ts"));
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.deepEqual(result.problems, []);
    assert.equal(result.importers, "declarations-unchanged");
    assert.deepEqual(result.checkedFiles, [ws.pathOf("src/shapes.ts")]);
    assert.equal(result.diagnosticsBefore, 0);
    assert.equal(result.diagnosticsAfter, 0);
    assert.deepEqual(result.commands, []);
  });

  it("impactCheck always: checks the importers too", async () => {
    const result = await verifyPlan(ws.engine, planPreferConst(ws, "src/shapes.ts"), { impactCheck: "always" });
    assert.equal(result.ok, true);
    assert.equal(result.importers, "checked");
    assert.deepEqual(result.checkedFiles, [ws.pathOf("src/shapes.ts"), ws.pathOf("src/main.ts"), ws.pathOf("src/report.ts")]);
  });

  it("catches a change that breaks an importer: names the file, line, code and message", async () => {
    const plan = breakingPlan(ws);
    const result = await verifyPlan(ws.engine, plan);
    assert.equal(result.ok, false);
    assert.equal(result.importers, "checked");
    assert.deepEqual(result.newDiagnostics, [{ file: ws.pathOf("src/report.ts"), line: 2, code: 2554, message: "Expected 3 arguments, but got 2." }]);
    assert.equal(result.problems[0].id, "verify-new-diagnostic");
    assert.match(result.problems[0].message, /src\/report\.ts:2: TS2554 Expected 3 arguments, but got 2\./);
    assert.equal(result.diagnosticsBefore, 0);
    assert.equal(result.diagnosticsAfter, 1);
  });

  it("changes nothing of the engine: the user's open buffer, its version and its findings stay as they were", async () => {
    const file = ws.pathOf("src/shapes.ts");
    const buffer = (ws.engine.workspace.documents.read(file) as string) + "// typed in the editor, not saved\n";
    ws.engine.updateDocument(file, buffer, 42);
    ws.engine.analyzeSyntax(file);
    ws.engine.analyzeTypes(file);
    try {
      const findingsBefore = ws.engine.findingsFor(file);
      const program = ws.engine.workspace.projectOf(file)?.program();
      const result = await verifyPlan(ws.engine, breakingPlan(ws));
      assert.equal(result.ok, false, "the check ran against the buffer's text");
      assert.equal(ws.engine.workspace.documents.read(file), buffer);
      assert.equal(ws.engine.workspace.documents.openVersion(file), 42);
      assert.equal(ws.engine.workspace.projectOf(file)?.program(), program, "the engine's program (and its warm checker) is the same object");
      assert.deepEqual(ws.engine.findingsFor(file), findingsBefore);
      assert.equal(fs.readFileSync(file, "utf8"), buffer.replace("// typed in the editor, not saved\n", ""), "nothing was written to disk");
    } finally {
      ws.engine.closeDocument(file);
      ws.engine.analyzeSyntax(file);
      ws.engine.analyzeTypes(file);
    }
  });

  it("a stale plan fails with a clear reason and checks nothing", async () => {
    const plan = planPreferConst(ws, "src/other.ts");
    const file = ws.pathOf("src/other.ts");
    ws.engine.updateDocument(file, plan.files[0].before.replace("value * 2", "value * 3"), 7);
    try {
      const result = await verifyPlan(ws.engine, plan);
      assert.equal(result.ok, false);
      assert.deepEqual(result.staleFiles, [file]);
      assert.equal(result.problems[0].id, "pipeline-stale-plan");
      assert.match(result.problems[0].message, /^stale plan: src\/other\.ts changed since the plan was made/);
      assert.deepEqual(result.checkedFiles, []);
    } finally {
      ws.engine.closeDocument(file);
      ws.engine.analyzeSyntax(file);
      ws.engine.analyzeTypes(file);
    }
  });

  it("untrusted workspace: verify.command is not run, and the evidence says why", async () => {
    const marker = path.join(makeTempDir(), "ran");
    setPolicy(ws, policy(`verify: { command: "touch ${marker}", timeoutSeconds: 5 }`));
    const result = await verifyPlan(ws.engine, planPreferConst(ws, "src/other.ts"));
    assert.equal(result.ok, true);
    assert.equal(result.commands.length, 1);
    assert.deepEqual({ ...result.commands[0], origin: undefined }, { command: `touch ${marker}`, exitCode: null, durationMs: 0, skipped: "this workspace is not trusted", origin: undefined });
    assert.equal(result.commands[0].origin?.key, "verify.command");
    assert.equal(fs.existsSync(marker), false, "the command ran");
  });

  it("trusted: runs verify.command in a scratch copy with the plan applied; exit 0 passes, the workspace stays untouched", async () => {
    ws.engine.policies.trusted = true;
    writeFiles(ws.root, { "node_modules/dep/index.js": "module.exports = 1;\n", ".git/HEAD": "ref: refs/heads/main\n", "dist/bundle.js": "old build\n" });
    // Passes only where the change is applied, with node_modules linked (not copied) and .git and dist left out.
    setPolicy(ws, policy('verify: { command: "grep -q \\"const doubled\\" src/other.ts && test -f tsconfig.json && test -L node_modules && test -f node_modules/dep/index.js && test ! -e .git && test ! -e dist", timeoutSeconds: 20 }'));
    const plan = planPreferConst(ws, "src/other.ts");
    const result = await verifyPlan(ws.engine, plan);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.commands[0].exitCode, 0);
    assert.ok(result.commands[0].durationMs >= 0);
    assert.equal(fs.readFileSync(ws.pathOf("src/other.ts"), "utf8"), plan.files[0].before);
  });

  it("trusted: a command that exits 1 fails the verification, with its output", async () => {
    ws.engine.policies.trusted = true;
    setPolicy(ws, policy('verify: { command: "echo tests failed: 3 >&2; exit 1", timeoutSeconds: 20 }'));
    const result = await verifyPlan(ws.engine, planPreferConst(ws, "src/other.ts"));
    assert.equal(result.ok, false);
    assert.equal(result.commands[0].exitCode, 1);
    assert.equal(result.problems[0].id, "verify-command-failed");
    assert.match(result.problems[0].message, /exited with 1 \(\.selfheal\/policy\.yaml:3\)/);
    assert.match(result.problems[0].message, /tests failed: 3/);
  });

  it("trusted: a command past its timeout is killed with its whole process group", async () => {
    ws.engine.policies.trusted = true;
    const pidFile = path.join(makeTempDir(), "sleeper.pid");
    setPolicy(ws, policy(`verify: { command: "sleep 60 & echo $! > ${pidFile}; wait", timeoutSeconds: 1 }`));
    const started = Date.now();
    const result = await verifyPlan(ws.engine, planPreferConst(ws, "src/other.ts"));
    assert.ok(Date.now() - started < 20_000, "it waited for the sleeper");
    assert.equal(result.ok, false);
    assert.equal(result.commands[0].timedOut, true);
    assert.equal(result.commands[0].exitCode, null);
    assert.equal(result.problems[0].id, "verify-command-timeout");
    assert.match(result.problems[0].message, /longer than its 1 s timeout/);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    assert.ok(pid > 0);
    await waitFor(() => !isAlive(pid), `the sleeper (pid ${pid}) to be gone`, 10_000);
  });

  it("a change that fails the type check does not run the command", async () => {
    ws.engine.policies.trusted = true;
    const marker = path.join(makeTempDir(), "ran");
    setPolicy(ws, policy(`verify: { command: "touch ${marker}", timeoutSeconds: 5 }`));
    const result = await verifyPlan(ws.engine, breakingPlan(ws));
    assert.equal(result.ok, false);
    assert.deepEqual(result.commands, []);
    assert.equal(fs.existsSync(marker), false);
  });

  it("verify.typecheck false: no type check, and the result says so", async () => {
    setPolicy(ws, policy("verify: { typecheck: false }"));
    const result = await verifyPlan(ws.engine, breakingPlan(ws));
    assert.equal(result.ok, true);
    assert.equal(result.importers, "type-check-off");
    assert.deepEqual(result.checkedFiles, []);
  });
});
