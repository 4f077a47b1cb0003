/**
 * Planning "Accept as contract vX.Y.Z" (contracts/acceptContract.ts says what it changes). The
 * finding only names the contract; here it is compared and snapshot again on the current code,
 * so what is accepted is what the files hold now, not what they held when the finding was made.
 * The plan goes through the same pipeline as every fix (policy, verification, ledger), recorded
 * as a `contract-accept` entry, and its rollback restores the old baseline, version and notes.
 */
import * as path from "node:path";
import * as ts from "typescript";
import type { Engine } from "../analysis/engine";
import { acceptableChanges, acceptChanges, acceptRationale } from "../contracts/acceptContract";
import type { ContractReport } from "../contracts/contractRunner";
import type { Finding } from "../findings";
import { isUnder } from "../workspace/paths";
import type { ChangePlan } from "./changePlan";
import { PlanError } from "./messages";
import { buildPlan, folderOf } from "./planBuilder";

/** `finding`: the one the fix was offered on (the editor); the CLI names only the contract, and the plan resolves its drift as a whole. */
export function planContractAccept(engine: Engine, contract: string, finding?: Finding): ChangePlan {
  const target = engine.contracts.targets().find((candidate) => candidate.name === contract);
  if (!target) throw new PlanError("plan-contract-unknown", `no contract is named '${contract}' any more (the policy or the package changed); nothing was planned`);
  // A half-typed source would become the contract: its API as the parser guessed it.
  const program = engine.workspace.projectOf(target.file)?.program();
  const scope = target.packageRoot ?? path.posix.dirname(target.file);
  const unparsable = (program?.getSourceFiles() ?? []).filter((file) => !file.isDeclarationFile && isUnder(file.fileName, scope) && !file.fileName.includes("/node_modules/") && program!.getSyntacticDiagnostics(file).length > 0);
  if (unparsable.length > 0) {
    const [first] = unparsable;
    const [diagnostic] = program!.getSyntacticDiagnostics(first);
    const { line, character } = first.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const where = `${path.posix.relative(target.root, first.fileName)}:${line + 1}:${character + 1}`;
    throw new PlanError("plan-source-unparsable", `contract '${contract}' cannot be accepted while its sources do not parse (${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}${unparsable.length > 1 ? `, and ${unparsable.length - 1} more file(s)` : ""}); nothing was planned`);
  }
  const { report, snapshot } = engine.contracts.compareAndSnapshot(target);
  if (report.status !== "compared") {
    const why = report.problem ? report.problem.message : "it has no baseline yet: take one with `selfheal contracts snapshot`";
    throw new PlanError("plan-contract-not-compared", `contract '${contract}' cannot be accepted: ${why}; nothing was planned`);
  }
  if (acceptableChanges(report).length === 0) throw new PlanError("plan-no-change", `contract '${contract}' has no drift to accept any more (the code matches its baseline); nothing was planned`);
  const accepted = acceptChanges({ report, snapshot, textOf: (file) => engine.workspace.documents.read(file) });
  const root = folderOf(engine, target.baseline) ?? target.root;
  const title = `Accept as contract v${accepted.version} (${contract})`;
  const resolved = finding ?? driftFinding(report);
  return buildPlan(engine, {
    ruleId: resolved.ruleId,
    selected: [{ finding: resolved, fix: { title, isPreferred: false, changes: accepted.changes } }],
    title,
    deferredFindings: 0,
    rationale: acceptRationale(report, accepted, root),
    record: { kind: "contract-accept", contract },
  });
}

/** The drift as one finding, for a plan no finding asked for: at the first change, under the id of the worst classification. */
function driftFinding(report: ContractReport): Finding {
  const changes = acceptableChanges(report);
  const breaking = changes.filter((change) => change.classification === "breaking").length;
  const first = changes[0];
  return {
    ruleId: breaking > 0 ? "contract-breaking" : "contract-additive",
    file: first.file,
    range: first.range,
    severity: breaking > 0 ? "error" : "info",
    message: `contract '${report.target.name}' drifted from its baseline: ${breaking} breaking, ${changes.length - breaking} additive`,
    fixes: [],
    related: [],
  };
}
