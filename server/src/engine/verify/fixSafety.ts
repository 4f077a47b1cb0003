import * as ts from "typescript";
import { Engine, silentLogger, type Logger } from "../analysis/engine";
import type { Finding, Fix, Range } from "../findings";
import { defaultEngineSettings, type EngineSettings } from "../settings";
import { collectDiagnostics, newDiagnostics, type DiagnosticCounts } from "./diagnostics";
import { applyOffsetEdits, InvalidEditError, mapRange, toOffsetEdits, unchangedOutsideEdits, type OffsetEdit } from "./textEdits";

/**
 * "Fix safety is tested, not assumed." Analyzes a workspace, then applies every fix the engine
 * offers, first one at a time and then all together (per file, as many as do not overlap), and
 * checks that
 *   (a) TypeScript reports no diagnostic it did not report before (checked as `tsc` checks: a
 *       fresh checker, files in the program's order; see `collectDiagnostics`),
 *   (b) the fixed code does not offer the same fix again (or applying it changes nothing),
 *   (c) the text outside the edited ranges is byte-for-byte unchanged.
 * Fixes are applied to in-memory copies of the files (the engine's open-buffer overlay): the
 * workspace on disk is never written, so this can run over any checkout or package.
 */

export interface FixSafetyOptions {
  settings?: EngineSettings;
  /** Only fixes of these rules (default: every rule's). */
  ruleIds?: readonly string[];
  /** Only each finding's preferred fix, the one editors apply on "fix all" (default: every fix). */
  preferredOnly?: boolean;
  /** Check each fix on its own (default true). */
  alone?: boolean;
  /** Check all non-overlapping fixes applied at once (default true). */
  together?: boolean;
  /**
   * After a single fix, type-check the edited files and, when a fix changes what an edited file
   * declares (its .d.ts, as `tsc --build` decides), the files importing it (default); or every
   * file. Together mode always checks every file.
   */
  aloneScope?: "dependents" | "all";
  /**
   * Check at most this many fixes of each rule alone: an evenly spaced sample of the rule's
   * fixes in finding order, so the same workspace always gives the same sample (default: all).
   * The all-together run still applies every fix.
   */
  maxAlonePerRule?: number;
  /**
   * Start no single-fix check after this many milliseconds of them (default: no limit). The
   * checks go round-robin over the rules, so a cut-off leaves every rule with a share.
   */
  aloneBudgetMs?: number;
  logger?: Logger;
  onProgress?(done: number, total: number): void;
}

export type ProblemKind = "new-diagnostic" | "offered-again" | "outside-edit-changed" | "invalid-edit" | "no-change";

export interface FixProblem {
  mode: "alone" | "together";
  kind: ProblemKind;
  ruleId: string;
  file: string;
  range: Range;
  fixTitle: string;
  detail: string;
}

export interface RuleTally {
  /** Fixes offered (a finding may offer several). */
  offered: number;
  /** Fixes checked one at a time (fewer than offered under `maxAlonePerRule` or `aloneBudgetMs`). */
  checkedAlone: number;
  /** Fixes in the all-together run (one per finding, none overlapping another). */
  appliedTogether: number;
  /** Single-fix applications that added a TypeScript diagnostic. */
  broken: number;
  /** Problems of any kind, alone or together. */
  problems: number;
}

export interface FixSafetyReport {
  filesAnalyzed: number;
  fixableFindings: number;
  fixesOffered: number;
  fixesCheckedAlone: number;
  fixesAppliedTogether: number;
  /** Single-fix checks that left the edited files' declarations as they were, so their importers needed no re-check. */
  aloneDeclarationsUnchanged: number;
  /** Applications (each single fix, and the all-together run) after which TypeScript reported something new. Target: 0. */
  brokenBuilds: number;
  problems: FixProblem[];
  byRule: Record<string, RuleTally>;
  durationMs: number;
}

interface FileChange {
  before: string;
  after: string;
  edits: OffsetEdit[];
}

interface Candidate {
  finding: Finding;
  fix: Fix;
}

export async function checkFixSafety(folders: string | readonly string[], options: FixSafetyOptions = {}): Promise<FixSafetyReport> {
  const started = Date.now();
  const engine = new Engine(options.settings ?? defaultEngineSettings, options.logger ?? silentLogger);
  for (const folder of typeof folders === "string" ? [folders] : folders) engine.workspace.addFolder(folder);
  await engine.analyzeAll();
  const wanted = options.ruleIds ? new Set(options.ruleIds) : undefined;
  // A deferred fix (accepting a contract) edits baselines and notes, not code: not what this checks.
  const findings = engine.allFindings().map((finding) => ({ ...finding, fixes: finding.fixes.filter((fix) => !fix.deferred) })).filter((finding) => finding.fixes.length > 0 && (!wanted || wanted.has(finding.ruleId)));
  const candidates = findings.flatMap((finding) => finding.fixes.filter((fix) => !options.preferredOnly || fix.isPreferred).map((fix) => ({ finding, fix })));
  const report: FixSafetyReport = {
    filesAnalyzed: engine.workspace.analyzedFiles().length,
    fixableFindings: findings.length,
    fixesOffered: candidates.length,
    fixesCheckedAlone: 0,
    fixesAppliedTogether: 0,
    aloneDeclarationsUnchanged: 0,
    brokenBuilds: 0,
    problems: [],
    byRule: {},
    durationMs: 0,
  };
  const tally = (ruleId: string) => (report.byRule[ruleId] ??= { offered: 0, checkedAlone: 0, appliedTogether: 0, broken: 0, problems: 0 });
  for (const { finding } of candidates) tally(finding.ruleId).offered++;
  const baseline = collectDiagnostics(engine);
  const checker = new Checker(engine, baseline, report);
  const alone = options.alone === false ? [] : aloneSample(candidates, options.maxAlonePerRule);
  const total = alone.length + (options.together === false ? 0 : 1);
  let done = 0;
  const aloneStarted = Date.now();
  for (const candidate of alone) {
    if (options.aloneBudgetMs !== undefined && Date.now() - aloneStarted >= options.aloneBudgetMs) break;
    checker.run("alone", [candidate], options.aloneScope ?? "dependents");
    report.fixesCheckedAlone++;
    tally(candidate.finding.ruleId).checkedAlone++;
    options.onProgress?.(++done, total);
  }
  if (options.together !== false) {
    // With `preferredOnly`, a finding without a preferred fix takes no part here either.
    const selected = nonOverlapping(engine, options.preferredOnly ? findings.filter((finding) => finding.fixes.some((fix) => fix.isPreferred)) : findings);
    if (selected.length > 0) checker.run("together", selected, "all"); // nothing to apply is not a "no-change" problem
    report.fixesAppliedTogether = selected.length;
    for (const { finding } of selected) tally(finding.ruleId).appliedTogether++;
    options.onProgress?.(done + 1, total);
  }
  for (const problem of report.problems) if (report.byRule[problem.ruleId]) report.byRule[problem.ruleId].problems++;
  report.durationMs = Date.now() - started;
  return report;
}

class Checker {
  private version = 1_000_000;
  /** Each file's declaration signature as on disk (the state every check starts from). */
  private readonly signatures = new Map<string, string | undefined>();

  constructor(
    private readonly engine: Engine,
    private readonly baseline: DiagnosticCounts,
    private readonly report: FixSafetyReport,
  ) {}

  run(mode: "alone" | "together", candidates: readonly Candidate[], scope: "dependents" | "all"): void {
    const problem = (candidate: Candidate | undefined, kind: ProblemKind, detail: string) =>
      this.report.problems.push({
        mode,
        kind,
        ruleId: candidate?.finding.ruleId ?? "*",
        file: candidate?.finding.file ?? "",
        range: candidate?.finding.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        fixTitle: candidate?.fix.title ?? `${candidates.length} fixes together`,
        detail,
      });
    const changes = new Map<string, FileChange>();
    const byFile = editsByFile(candidates);
    // Before any edit: the signatures to compare with, for a check that looks at importers only when needed.
    if (scope === "dependents") for (const file of byFile.keys()) if (!this.signatures.has(file)) this.signatures.set(file, this.engine.declarationSignature(file));
    try {
      for (const [file, edits] of byFile) {
        const before = this.engine.workspace.documents.read(file) ?? "";
        const offsetEdits = toOffsetEdits(before, edits);
        const after = applyOffsetEdits(before, offsetEdits);
        if (!unchangedOutsideEdits(before, after, offsetEdits)) problem(candidates[0], "outside-edit-changed", file);
        changes.set(file, { before, after, edits: offsetEdits });
      }
    } catch (error) {
      if (!(error instanceof InvalidEditError)) throw error;
      problem(candidates.length === 1 ? candidates[0] : undefined, "invalid-edit", error.message);
      return;
    }
    if ([...changes.values()].every((change) => change.before === change.after)) {
      problem(candidates[0], "no-change", "the fix leaves the text as it was");
      return;
    }
    for (const [file, change] of changes) this.engine.updateDocument(file, change.after, this.version++);
    try {
      const affected = scope === "all" ? undefined : this.affectedFiles([...changes.keys()]);
      const added = newDiagnostics(this.baseline, collectDiagnostics(this.engine, affected));
      if (added.length > 0) {
        this.report.brokenBuilds++;
        if (mode === "alone") this.report.byRule[candidates[0].finding.ruleId].broken++;
        problem(mode === "alone" ? candidates[0] : undefined, "new-diagnostic", added.join("\n"));
      }
      for (const file of changes.keys()) {
        this.engine.analyzeSyntax(file);
        this.engine.analyzeTypes(file);
      }
      for (const candidate of candidates) {
        const again = this.offeredAgain(candidate, changes);
        if (again) problem(candidate, "offered-again", again);
      }
    } finally {
      // Back to the files on disk: the next check starts from the original workspace.
      for (const file of changes.keys()) this.engine.closeDocument(file);
    }
  }

  /** Check (b): the same rule at the same (moved) place must not offer a fix with the same title that still changes something. */
  private offeredAgain({ finding, fix }: Candidate, changes: Map<string, FileChange>): string | undefined {
    const change = changes.get(finding.file);
    const range = change ? mapRange(finding.range, change.before, change.after, change.edits) : finding.range;
    for (const current of this.engine.findingsFor(finding.file)) {
      if (current.ruleId !== finding.ruleId || !sameRange(current.range, range)) continue;
      for (const repeat of current.fixes.filter((candidate) => candidate.title === fix.title)) {
        const file = repeat.changes[0]?.file;
        const text = file && this.engine.workspace.documents.read(file);
        if (text === undefined || !file) continue;
        const edits = repeat.changes.filter((part) => part.file === file).flatMap((part) => part.edits);
        if (applyOffsetEdits(text, toOffsetEdits(text, edits)) !== text) return `"${fix.title}" is offered again at ${range.start.line + 1}:${range.start.character + 1} and would change the file again`;
      }
    }
    return undefined;
  }

  /**
   * The edited files, and everything that imports one whose declarations the edit changed (an
   * unchanged .d.ts cannot change an importer's types: the test `tsc --build` uses); everything,
   * when an edited file is a global script or augments globals.
   */
  private affectedFiles(files: readonly string[]): string[] | undefined {
    const affected = new Set<string>();
    let declarationsChanged = false;
    for (const file of files) {
      const sourceFile = this.engine.workspace.projectOf(file)?.program().getSourceFile(file);
      if (!sourceFile || !ts.isExternalModule(sourceFile) || /\bdeclare\s+global\b/.test(sourceFile.text)) return undefined;
      affected.add(file);
      const before = this.signatures.get(file);
      if (before !== undefined && this.engine.declarationSignature(file) === before) continue;
      declarationsChanged = true;
      for (const dependent of this.engine.dependentsOf(file)) affected.add(dependent);
    }
    if (!declarationsChanged) this.report.aloneDeclarationsUnchanged++;
    return [...affected];
  }
}

/**
 * The single-fix checks to run: per rule, all its fixes or an evenly spaced sample of `perRule`
 * of them (first and last included), interleaved round-robin over the rules.
 */
function aloneSample(candidates: readonly Candidate[], perRule: number | undefined): Candidate[] {
  const byRule = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    let list = byRule.get(candidate.finding.ruleId);
    if (!list) byRule.set(candidate.finding.ruleId, (list = []));
    list.push(candidate);
  }
  const samples = [...byRule.values()].map((list) => {
    const count = perRule === undefined ? list.length : Math.max(0, Math.min(list.length, Math.floor(perRule)));
    if (count === list.length) return list;
    if (count <= 1) return list.slice(0, count);
    return Array.from({ length: count }, (_, index) => list[Math.round((index * (list.length - 1)) / (count - 1))]);
  });
  const interleaved: Candidate[] = [];
  for (let round = 0; samples.some((sample) => round < sample.length); round++) for (const sample of samples) if (round < sample.length) interleaved.push(sample[round]);
  return interleaved;
}

function editsByFile(candidates: readonly Candidate[]): Map<string, Fix["changes"][number]["edits"]> {
  const byFile = new Map<string, Fix["changes"][number]["edits"]>();
  for (const { fix } of candidates) {
    for (const change of fix.changes) {
      let edits = byFile.get(change.file);
      if (!edits) byFile.set(change.file, (edits = []));
      edits.push(...change.edits);
    }
  }
  return byFile;
}

/** One fix per finding (the preferred one), keeping only those whose edits touch nothing already taken. */
function nonOverlapping(engine: Engine, findings: readonly Finding[]): Candidate[] {
  const taken = new Map<string, OffsetEdit[]>();
  const selected: Candidate[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred) ?? finding.fixes[0];
    let edits: Array<[string, OffsetEdit[]]>;
    try {
      edits = fix.changes.map((change) => [change.file, toOffsetEdits(engine.workspace.documents.read(change.file) ?? "", change.edits)]);
    } catch (error) {
      if (error instanceof InvalidEditError) continue; // reported by the one-at-a-time pass
      throw error;
    }
    const clashes = edits.some(([file, fileEdits]) => fileEdits.some((edit) => (taken.get(file) ?? []).some((other) => overlaps(edit, other))));
    if (clashes) continue;
    for (const [file, fileEdits] of edits) taken.set(file, [...(taken.get(file) ?? []), ...fileEdits]);
    selected.push({ finding, fix });
  }
  return selected;
}

/** Touching is fine; sharing a start is not (two insertions at one point have no defined order). */
function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
