/**
 * "Restore compatibility": for each breaking change of a compared API contract that can be
 * undone without taking the new API back, the edits that make code written against the
 * baseline compile again (docs/contracts.md, "Restore compatibility"):
 *
 * - an export renamed (or removed while another name for it stays): a deprecated alias;
 * - an interface or type alias removed: its baseline declaration, deprecated;
 * - a parameter calls do not pass (of a function, a method, or an arrow function held by a
 *   `const`): optional, where a value of its type can stand for "not passed";
 * - an optional property removed: declared again, optional and deprecated.
 *
 * Pure: it reads the program and the baseline and returns edits; the agent pipeline decides,
 * verifies, applies and records them. The deprecations name the replacement the way the
 * `deprecated-usage` rule reads it, so consumers are then led, use by use, to the new API.
 */
import type { ContractChange } from "./model";
import { aliasFix, successorsOf } from "./restoreAlias";
import { RestoreContext, type RestoreFix, type RestoreInput } from "./restoreContext";
import { restoredDeclarationFix } from "./restoreDeclaration";
import { optionalArrowParametersFix, optionalParameterFix } from "./restoreParameter";
import { restoredPropertyFix } from "./restoreProperty";

export type { RestoreFix, RestoreInput } from "./restoreContext";

/** The fixes, in the report's order of changes; a change with no safe fix has none. */
export function restoreCompatibilityFixes(input: RestoreInput): RestoreFix[] {
  const { report } = input;
  if (report.status !== "compared" || report.target.kind !== "api") return [];
  const changes = report.changes.filter((change) => change.contract === report.target.name);
  const breaking = changes.filter((change) => change.classification === "breaking");
  if (breaking.length === 0) return [];
  const context = new RestoreContext(input);
  const successors = successorsOf(changes, context);
  const fixes: RestoreFix[] = [];
  for (const change of breaking) {
    const fix = fixFor(change, context, successors);
    if (fix) fixes.push(fix);
  }
  return fixes;
}

function fixFor(change: ContractChange, context: RestoreContext, successors: ReturnType<typeof successorsOf>): RestoreFix | undefined {
  switch (change.kind) {
    case "export-removed": {
      const successor = successors.get(change.symbol);
      return successor ? aliasFix(change, successor, context) : restoredDeclarationFix(change, context);
    }
    case "required-parameter-added":
    case "parameter-made-required":
      return optionalParameterFix(change, context);
    case "variable-type-widened":
    case "variable-type-narrowed":
    case "variable-type-changed":
      return optionalArrowParametersFix(change, context);
    case "property-removed":
      return restoredPropertyFix(change, context);
    default:
      return undefined;
  }
}
