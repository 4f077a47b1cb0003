/**
 * From fixes (each with the finding it resolves) to one `ChangePlan`: reads the engine's current
 * text of each file (open buffers win, a file the fix creates has none), applies the edits
 * through the Transformer, and works out what the change reaches (impact set) and how risky it
 * is. Nothing is written and nothing of the engine changes. The Planner (planner.ts) chooses the
 * fixes; "accept as contract" (contractAccept.ts) makes its own.
 */
import * as path from "node:path";
import type { Engine } from "../analysis/engine";
import type { Finding, Fix, TextEdit } from "../findings";
import { describeChange } from "../ledger/patches";
import { compileGlobs } from "../policy/globs";
import type { OffsetEdit } from "../verify/textEdits";
import { isUnder } from "../workspace/paths";
import type { ChangePlan, PlannedFile, ResolvedFinding } from "./changePlan";
import { whyFixKeepsMeaning } from "./fixRationale";
import { PlanError } from "./messages";
import { planId } from "./planId";
import { programCopyFor } from "./programCopy";
import { transformText } from "./transformer";

/** A fix and the finding it resolves. */
export interface Selected {
  finding: Finding;
  fix: Fix;
}

export interface PlanRequest {
  ruleId: string;
  /** The fixes to apply together, each with the finding it resolves. */
  selected: readonly Selected[];
  title: string;
  /** Findings left for another run (their fixes overlap one taken). */
  deferredFindings: number;
  /** Default: what the findings say, and why the rule's fix keeps the program's meaning. */
  rationale?: string;
  record?: ChangePlan["record"];
}

export function buildPlan(engine: Engine, request: PlanRequest): ChangePlan {
  const { ruleId, selected, title, deferredFindings } = request;
  const editsByFile = new Map<string, TextEdit[]>();
  const creates = new Set<string>();
  for (const { fix } of selected) {
    for (const change of fix.changes) {
      const edits = editsByFile.get(change.file) ?? [];
      edits.push(...change.edits);
      editsByFile.set(change.file, edits);
      if (change.create) creates.add(change.file);
    }
  }
  const root = rootOf(engine, [...editsByFile.keys()]);
  const files: Array<PlannedFile & { offsetEdits: OffsetEdit[] }> = [];
  for (const file of [...editsByFile.keys()].sort()) {
    const relativePath = path.posix.relative(root, file);
    const current = engine.workspace.documents.read(file);
    const created = creates.has(file);
    if (created && current !== undefined) throw new PlanError("plan-file-exists", `${relativePath} exists, but the fix would create it; nothing was planned (ask for the fix again)`);
    if (!created && current === undefined) throw new PlanError("plan-file-unreadable", `${relativePath} cannot be read (deleted, or not a file); nothing was planned`);
    const before = current ?? "";
    const edits = editsByFile.get(file) as TextEdit[];
    const { after, edits: offsetEdits } = transformText(relativePath, before, edits);
    if (created || after !== before) files.push({ path: file, relativePath, before, after, edits, offsetEdits, ...(created ? { created: true as const } : {}) });
  }
  if (files.length === 0) throw new PlanError("plan-no-change", `"${title}" leaves every file as it is; there is nothing to apply`);

  const change = describeChange(files.map((file) => ({ path: file.relativePath, before: file.created ? null : file.before, after: file.after })));
  const changed = new Set(files.map((file) => file.path));
  const impactSet = [...new Set(files.flatMap((file) => engine.dependentsOf(file.path)))].filter((file) => !changed.has(file)).sort();
  const copy = programCopyFor(engine, new Map(files.map((file) => [file.path, file.after])));
  const findings: ResolvedFinding[] = selected.map(({ finding }) => ({ ruleId: finding.ruleId, file: finding.file, range: finding.range, severity: finding.severity, message: finding.message }));
  return {
    id: planId({ ruleId, transforms: selected.map(({ fix }) => fix.title), files: files.map((file) => ({ relativePath: file.relativePath, before: file.before, edits: file.offsetEdits })) }),
    ruleId,
    title,
    rationale: request.rationale ?? rationaleOf(ruleId, findings),
    findings,
    root,
    files: files.map(({ offsetEdits: _offsets, ...file }) => file),
    deferredFindings,
    impactSet,
    risk: {
      files: files.length,
      linesAdded: change.linesAdded,
      linesRemoved: change.linesRemoved,
      // Unknown (no program, emit failed) counts as touched: a risk summary must not understate.
      exportedApiTouched: files.some((file) => copy.declarationsChanged(file.path) !== false),
      protectedPathsTouched: files.map((file) => file.path).filter((file) => isProtected(engine, file)),
    },
    forwardPatch: change.forwardPatch,
    rollbackPatch: change.rollbackPatch,
    proposedChange: { ruleId, files: files.map((file) => file.path), linesTouched: change.linesAdded + change.linesRemoved },
    ...(request.record ? { record: request.record } : {}),
  };
}

function rationaleOf(ruleId: string, findings: readonly ResolvedFinding[]): string {
  const messages = [...new Set(findings.map((finding) => finding.message))];
  const said = messages.length <= 3 ? messages.join(" / ") : `${messages.slice(0, 3).join(" / ")} (and ${messages.length - 3} more)`;
  const what = findings.length === 1 ? said : `${findings.length} findings of ${ruleId}: ${said}`;
  return `${what} ${whyFixKeepsMeaning(ruleId)}`;
}

/** The workspace folder all files are in (the deepest one, for nested folders). */
function rootOf(engine: Engine, files: readonly string[]): string {
  const roots = new Set<string>();
  for (const file of files) {
    const folder = folderOf(engine, file);
    if (folder === undefined) throw new PlanError("plan-outside-workspace", `${file} is in no workspace folder; automation changes workspace files only`);
    roots.add(folder);
  }
  if (roots.size > 1) throw new PlanError("plan-spans-folders", `the change reaches into ${roots.size} workspace folders (${[...roots].join(", ")}); each folder has its own ledger, so plan one at a time`);
  return [...roots][0];
}

export function folderOf(engine: Engine, file: string): string | undefined {
  return engine.workspace
    .folderList()
    .filter((folder) => isUnder(file, folder))
    .sort((a, b) => b.length - a.length)[0];
}

export function relativeName(engine: Engine, file: string): string {
  const folder = folderOf(engine, file);
  return folder ? path.posix.relative(folder, file) : file;
}

/** A policy query: does a `protected` entry of the governing policy cover the file? */
function isProtected(engine: Engine, file: string): boolean {
  return engine.policies.governing(file).policy.protected.some((entry) => compileGlobs(entry.paths, entry.root).firstMatch(file) >= 0);
}
