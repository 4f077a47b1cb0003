/**
 * The "Restore compatibility" fixes of a compared contract, as the editor offers them on its
 * findings: one per breaking change that has a safe one (restoreCompatibility.ts decides). The
 * baseline is read again only when a change of a kind that can be restored is there, so a
 * contract without such breaks costs nothing more.
 */
import * as fs from "node:fs";
import type * as ts from "typescript";
import type { Fix } from "../findings";
import { parseBaseline, type ApiBaseline } from "./baseline";
import type { ChangeKind } from "./changeKinds";
import type { ContractReport } from "./contractRunner";
import type { ContractChange } from "./model";
import { restoreCompatibilityFixes } from "./restoreCompatibility";

const restorable = new Set<ChangeKind>(["export-removed", "required-parameter-added", "parameter-made-required", "variable-type-widened", "variable-type-narrowed", "variable-type-changed", "property-removed"]);

/** The fixes by the change they answer; empty when the report has nothing restorable, or the baseline cannot be read. */
export function restoreFixesOf(report: ContractReport, program: ts.Program | undefined): Map<ContractChange, Fix> {
  const fixes = new Map<ContractChange, Fix>();
  if (!program || report.status !== "compared" || report.target.kind !== "api") return fixes;
  if (!report.changes.some((change) => change.classification === "breaking" && restorable.has(change.kind))) return fixes;
  let baseline: ApiBaseline;
  try {
    const loaded = parseBaseline(report.target.baseline, fs.readFileSync(report.target.baseline, "utf8"));
    if (loaded.baseline.kind !== "api") return fixes;
    baseline = loaded.baseline;
  } catch {
    // The comparison read it a moment ago; if it is gone or broken now, the next check reports that.
    return fixes;
  }
  for (const restore of restoreCompatibilityFixes({ report, baseline, program })) {
    fixes.set(restore.change, { title: restore.title, isPreferred: false, changes: restore.changes, rationale: restore.rationale });
  }
  return fixes;
}
