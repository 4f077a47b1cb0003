/**
 * "No new contract break": a change that alters what a changed file declares is compared with
 * every registered contract (one with a baseline) whose entry's program contains that file, on
 * the program before and after the change. A breaking difference the program did not already
 * have fails verification; breaks that were there before the change are not this change's doing.
 */
import type { Engine } from "../analysis/engine";
import { compareContract, type ProgramFor } from "../contracts/contractRunner";
import { contractTargets, type ContractTarget } from "../contracts/contractTargets";
import type { ContractChange } from "../contracts/model";
import { findPackageFiles, packageEntries } from "../contracts/packages";
import type { ChangePlan } from "./changePlan";
import type { ProgramCopy } from "./programCopy";

export interface ContractBreak {
  contract: string;
  change: ContractChange;
}

export function newContractBreaks(engine: Engine, plan: ChangePlan, copy: ProgramCopy): ContractBreak[] {
  const changedDeclarations = plan.files.filter((file) => copy.declarationsChanged(file.path) !== false).map((file) => file.path);
  if (changedDeclarations.length === 0) return [];
  const breaks: ContractBreak[] = [];
  for (const target of contractsReaching(engine, plan.root, changedDeclarations, copy)) {
    const before = breakingChanges(target, (file) => programOf(engine, copy, file, "before"));
    const after = breakingChanges(target, (file) => programOf(engine, copy, file, "after"));
    const known = new Set(before.map(changeKey));
    for (const change of after) if (!known.has(changeKey(change))) breaks.push({ contract: target.name, change });
  }
  return breaks;
}

function contractsReaching(engine: Engine, folder: string, files: string[], copy: ProgramCopy): ContractTarget[] {
  const policies = engine.policies.policyFiles().filter((file) => !engine.policies.governing(file).broken).map((file) => engine.policies.governing(file).policy);
  const packages = findPackageFiles(folder).flatMap((file) => packageEntries(file));
  return contractTargets({ folder, policies, packages }).targets.filter((target) => {
    if (target.kind !== "api") return false;
    const project = engine.workspace.projectOf(target.file);
    return project !== undefined && files.some((file) => copy.baseOf(project).getSourceFile(file) !== undefined);
  });
}

function breakingChanges(target: ContractTarget, programFor: ProgramFor): ContractChange[] {
  const report = compareContract(target, programFor);
  // No baseline yet, or one that cannot be read: there is no registered contract to break.
  if (report.status !== "compared") return [];
  return report.changes.filter((change) => change.classification === "breaking");
}

function programOf(engine: Engine, copy: ProgramCopy, file: string, side: "before" | "after") {
  const project = engine.workspace.projectOf(file);
  if (!project) return undefined;
  return side === "before" ? copy.baseOf(project) : copy.copyOf(project);
}

function changeKey(change: ContractChange): string {
  return `${change.kind}\0${change.symbol}`;
}
