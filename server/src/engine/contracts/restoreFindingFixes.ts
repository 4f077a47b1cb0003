/**
 * The "Restore compatibility" fixes of a compared contract, as the editor offers them on its
 * findings: one per breaking change that has a safe one (restoreCompatibility.ts decides). Both
 * sides come with the report (the baseline as loaded, the API as extracted), so nothing is read
 * or extracted again, and a contract without a break of a restorable kind costs nothing.
 */
import type * as ts from "typescript";
import type { Fix } from "../findings";
import type { ChangeKind } from "./changeKinds";
import type { ContractReport } from "./contractRunner";
import type { ContractChange } from "./model";
import { restoreCompatibilityFixes } from "./restoreCompatibility";

const restorable = new Set<ChangeKind>(["export-removed", "required-parameter-added", "parameter-made-required", "variable-type-widened", "variable-type-narrowed", "variable-type-changed", "property-removed"]);

/** The fixes by the change they answer; empty when the report has nothing restorable. */
export function restoreFixesOf(report: ContractReport, program: ts.Program | undefined): Map<ContractChange, Fix> {
  const fixes = new Map<ContractChange, Fix>();
  if (!program || !report.sides || report.status !== "compared" || report.target.kind !== "api") return fixes;
  if (!report.changes.some((change) => change.classification === "breaking" && restorable.has(change.kind))) return fixes;
  for (const restore of restoreCompatibilityFixes({ report, baseline: report.sides.baseline, program, currentApi: report.sides.current })) {
    fixes.set(restore.change, { title: restore.title, isPreferred: false, changes: restore.changes, rationale: restore.rationale });
  }
  return fixes;
}
