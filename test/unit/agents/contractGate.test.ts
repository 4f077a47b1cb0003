import * as assert from "node:assert/strict";
import type { ChangePlan } from "../../../server/src/engine/agents/changePlan";
import { planFix } from "../../../server/src/engine/agents/planner";
import { verifyPlan } from "../../../server/src/engine/agents/verifier";
import { snapshotContract, writeSnapshot } from "../../../server/src/engine/contracts/contractRunner";
import { contractTargets } from "../../../server/src/engine/contracts/contractTargets";
import { removeTempDirs, type Analysis } from "../helpers/workspace";
import { insertionFix, onlyFinding, policy, setPolicy, workspaceWith } from "./helpers";

/** other.ts is a registered contract that nothing in the workspace imports: only the contract can object. */
function plan(ws: Analysis, newText: string, title: string): ChangePlan {
  const file = ws.pathOf("src/other.ts");
  return planFix(ws.engine, onlyFinding(ws.engine, file, "prefer-const"), insertionFix(ws.engine, file, "value: number", newText, title));
}

describe("agents: the verifier's contract gate", function () {
  this.timeout(60_000);
  let ws: Analysis;
  before(async () => {
    ws = await workspaceWith();
    setPolicy(ws, policy("contracts:", "  - { name: other-api, entry: src/other.ts, breaking: error }"));
    const policies = ws.engine.policies.policyFiles().map((file) => ws.engine.policies.governing(file).policy);
    const [target] = contractTargets({ folder: ws.root, policies, packages: [] }).targets;
    assert.equal(target?.name, "other-api");
    writeSnapshot(snapshotContract(target, (file) => ws.engine.workspace.projectOf(file)?.program()));
  });
  after(removeTempDirs);

  it("fails a change that breaks a registered contract, naming the contract and the break", async () => {
    const result = await verifyPlan(ws.engine, plan(ws, ", factor: number", "Add a required parameter"), { runCommands: false });
    assert.equal(result.ok, false);
    assert.deepEqual(result.newDiagnostics, [], "nothing imports other.ts: the type check alone would let it through");
    assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
    assert.equal(result.problems[0].id, "verify-contract-break");
    assert.match(result.problems[0].message, /^the change breaks the registered contract 'other-api': .*factor.* \(required-parameter-added, (proven|heuristic); docs\/contracts\.md\)$/);
  });

  it("passes an additive change to the same contract", async () => {
    const result = await verifyPlan(ws.engine, plan(ws, ", factor?: number", "Add an optional parameter"), { runCommands: false });
    assert.equal(result.ok, true, JSON.stringify(result.problems));
  });
});
