/**
 * The Planner: which fixes make a change. One fix of one finding, or every preferred fix of a
 * rule in a file or folder ("fix all", leaving overlapping ones for a second run); a deferred
 * fix (accepting a contract) is worked out by its own planner. planBuilder.ts turns the chosen
 * fixes into the `ChangePlan`.
 */
import type { Engine } from "../analysis/engine";
import type { Finding, Fix } from "../findings";
import { InvalidEditError, toOffsetEdits, type OffsetEdit } from "../verify/textEdits";
import { isUnder } from "../workspace/paths";
import type { ChangePlan } from "./changePlan";
import { planContractAccept } from "./contractAccept";
import { PlanError } from "./messages";
import { buildPlan, folderOf, relativeName, type Selected } from "./planBuilder";
import { editsOverlap } from "./transformer";

export { folderOf } from "./planBuilder";

export interface FixAllScope {
  /** Only this file's findings (absolute, normalized). */
  file?: string;
  /** Only findings in this workspace folder; needed when the workspace has several and no file is given. */
  folder?: string;
}

/** The plan for one fix of one finding (a deferred fix's edits are worked out now). */
export function planFix(engine: Engine, finding: Finding, fix: Fix): ChangePlan {
  if (fix.deferred?.kind === "contract-accept") return planContractAccept(engine, fix.deferred.contract, finding);
  const rationale = fix.rationale === undefined ? undefined : `${finding.message} ${fix.rationale}`;
  return buildPlan(engine, { ruleId: finding.ruleId, selected: [{ finding, fix }], title: fix.title, deferredFindings: 0, rationale });
}

/**
 * Every preferred fix of `ruleId` in the scope as ONE plan (what "fix all" applies), skipping a
 * fix whose edits would overlap one already taken (a second run picks it up). Undefined when no
 * finding in the scope has a preferred fix.
 */
export function planFixAll(engine: Engine, ruleId: string, scope: FixAllScope = {}): ChangePlan | undefined {
  const findings = (scope.file !== undefined ? engine.findingsFor(scope.file) : engine.allFindings()).filter(
    (finding) => finding.ruleId === ruleId && (scope.folder === undefined || isUnder(finding.file, scope.folder)),
  );
  const candidates = findings.flatMap((finding) => {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred);
    return fix ? [{ finding, fix }] : [];
  });
  if (candidates.length === 0) return undefined;
  if (scope.file === undefined && scope.folder === undefined) {
    const folders = new Set(candidates.map(({ finding }) => folderOf(engine, finding.file)));
    if (folders.size > 1) {
      throw new PlanError("plan-spans-folders", `${ruleId} has fixes in ${folders.size} workspace folders (${[...folders].join(", ")}); plan one folder at a time, since each folder has its own ledger`);
    }
  }
  const { selected, deferred } = nonOverlapping(engine, candidates);
  if (selected.length === 0) return undefined;
  const where = scope.file !== undefined ? relativeName(engine, scope.file) : scope.folder !== undefined ? relativeName(engine, scope.folder) || "the workspace folder" : "the workspace";
  const title = selected.length === 1 ? `Fix 1 finding of ${ruleId} in ${where}` : `Fix all ${selected.length} findings of ${ruleId} in ${where}`;
  return buildPlan(engine, { ruleId, selected, title, deferredFindings: deferred });
}

/**
 * One preferred fix per finding, in finding order, leaving out those whose edits touch one
 * already taken. A fix identical to one taken (a migration offered on every use it rewrites)
 * resolves its finding too: the finding is in the plan, its edits are not added twice.
 */
function nonOverlapping(engine: Engine, candidates: readonly Selected[]): { selected: Selected[]; deferred: number } {
  const taken = new Map<string, OffsetEdit[]>();
  const takenFixes = new Set<string>();
  const selected: Selected[] = [];
  let deferred = 0;
  for (const candidate of candidates) {
    const identity = JSON.stringify([candidate.fix.title, candidate.fix.changes]);
    if (takenFixes.has(identity)) {
      selected.push({ finding: candidate.finding, fix: { ...candidate.fix, changes: [] } });
      continue;
    }
    let edits: Array<[string, OffsetEdit[]]>;
    try {
      edits = candidate.fix.changes.map((change) => [change.file, toOffsetEdits(engine.workspace.documents.read(change.file) ?? "", change.edits)]);
    } catch (error) {
      // A fix whose own edits clash is a rule's bug: leave it out, never guess.
      if (error instanceof InvalidEditError) {
        deferred++;
        continue;
      }
      throw error;
    }
    if (edits.some(([file, fileEdits]) => fileEdits.some((edit) => (taken.get(file) ?? []).some((other) => editsOverlap(edit, other))))) {
      deferred++;
      continue;
    }
    for (const [file, fileEdits] of edits) taken.set(file, [...(taken.get(file) ?? []), ...fileEdits]);
    takenFixes.add(identity);
    selected.push(candidate);
  }
  return { selected, deferred };
}
