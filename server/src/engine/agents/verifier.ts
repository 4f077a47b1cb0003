/**
 * The Verifier: proves a plan safe or rejects it with reasons. In memory, with nothing of the
 * engine or the disk changed (see programCopy.ts):
 *   1. the plan is current: every file still has the text the plan was made from;
 *   2. TypeScript reports nothing new in the changed files and, when their declarations changed
 *      (the test `tsc --build` uses to decide whether dependents need a rebuild), in every file
 *      that imports them; a changed script or `declare global` reaches every file of its programs;
 *   3. where the workspace is trusted, the policy's `verify.command` passes in a scratch copy of
 *      the workspace folder with the plan applied. Untrusted: recorded as skipped, with why.
 * What this proves and what it does not is in docs/pipeline.md.
 */
import * as path from "node:path";
import * as ts from "typescript";
import type { Engine } from "../analysis/engine";
import type { Project } from "../workspace/project";
import { expectedNow, type ChangePlan } from "./changePlan";
import { newContractBreaks } from "./contractGate";
import { addedDiagnostics, fileDiagnostics, programWideDiagnostics, type DiagnosticRecord, type FileMove } from "./diagnosticDiff";
import type { PipelineMessageId } from "./messages";
import { programCopyFor, releaseProgramCopy, type ProgramCopy } from "./programCopy";
import { runInScratchCopy, type CommandRun, type ScratchCommand } from "./scratchCommand";

export interface VerifyOptions {
  /**
   * `when-declarations-change` (default): importers are type-checked when a changed file's
   * declarations differ (an importer sees nothing else); `always`: whatever the change.
   */
  impactCheck?: "when-declarations-change" | "always";
  /** Run the policy's verify.command where the workspace is trusted (default true). */
  runCommands?: boolean;
  /** Where scratch copies for the command are made (default: the system's temp folder). */
  scratchParent?: string;
}

export interface NewDiagnostic {
  /** Absolute path (or `<global> <project>`). */
  file: string;
  /** 1-based. */
  line: number;
  code: number;
  message: string;
}

export interface VerificationProblem {
  id: PipelineMessageId;
  message: string;
}

/** How far the type check reached beyond the changed files. */
export type ImporterCheck =
  | "checked" // the changed files' declarations changed (or always was asked): every importer was checked
  | "declarations-unchanged" // no changed file's declarations changed: importers cannot see a difference
  | "every-file" // a changed file is a script or declares globals: every file of its programs was checked
  | "none" // nothing imports the changed files
  | "type-check-off"; // the policy's verify.typecheck is false

export interface VerificationResult {
  ok: boolean;
  planId: string;
  /** Why not ok, the first deciding; empty when ok. */
  problems: VerificationProblem[];
  /** Changed files whose current text is not the plan's `before` (the plan is stale). */
  staleFiles: string[];
  importers: ImporterCheck;
  /** Every file whose diagnostics were compared. */
  checkedFiles: string[];
  /** Diagnostics in the checked files before and after the change. */
  diagnosticsBefore: number;
  diagnosticsAfter: number;
  newDiagnostics: NewDiagnostic[];
  commands: CommandRun[];
  durationMs: number;
}

export async function verifyPlan(engine: Engine, plan: ChangePlan, options: VerifyOptions = {}): Promise<VerificationResult> {
  const started = performance.now();
  const staleFiles = plan.files.filter((file) => engine.workspace.documents.read(file.path) !== expectedNow(file)).map((file) => file.path);
  if (staleFiles.length > 0) {
    return {
      ...emptyResult(plan, started),
      staleFiles,
      problems: [{ id: "pipeline-stale-plan", message: staleMessage(plan, staleFiles) }],
    };
  }

  const typecheck = plan.files.some((file) => engine.policies.governing(file.path).policy.verify.typecheck);
  const result: VerificationResult = typecheck ? typeCheck(engine, plan, options) : { ...emptyResult(plan, started), importers: "type-check-off" };
  if (result.newDiagnostics.length > 0) {
    const shown = result.newDiagnostics.slice(0, 5).map((diagnostic) => describeDiagnostic(plan, diagnostic));
    const more = result.newDiagnostics.length > 5 ? ` (and ${result.newDiagnostics.length - 5} more)` : "";
    result.problems.push({ id: "verify-new-diagnostic", message: `the change makes TypeScript report ${result.newDiagnostics.length} new ${result.newDiagnostics.length === 1 ? "diagnostic" : "diagnostics"}: ${shown.join("; ")}${more}` });
  }

  // A command proves nothing about a change that does not type-check: it is not run then.
  if (result.problems.length === 0 && options.runCommands !== false) {
    result.commands = await runVerifyCommands(engine, plan, options);
    for (const run of result.commands) {
      if (run.skipped !== undefined) continue;
      if (run.timedOut) result.problems.push({ id: "verify-command-timeout", message: `verify.command \`${run.command}\` ran longer than its ${run.timeoutSeconds} s timeout (verify.timeoutSeconds) and was stopped${where(plan, run)}` });
      else if (run.exitCode !== 0) result.problems.push({ id: "verify-command-failed", message: `verify.command \`${run.command}\` exited with ${run.exitCode}${where(plan, run)}${run.outputTail ? `; its output ends with:\n${lastLines(run.outputTail, 10)}` : ""}` });
    }
  }
  result.ok = result.problems.length === 0;
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

function typeCheck(engine: Engine, plan: ChangePlan, options: VerifyOptions): VerificationResult {
  const copy = programCopyFor(engine, new Map(plan.files.map((file) => [file.path, file.after])));
  try {
    const { files, importers, wholePrograms } = filesToCheck(engine, plan, copy, options);
    const before: DiagnosticRecord[] = [];
    const after: DiagnosticRecord[] = [];
    const checkedFiles: string[] = [];
    for (const file of files) {
      const project = engine.workspace.projectOf(file);
      if (!project) continue;
      checkedFiles.push(file);
      before.push(...fileDiagnostics(copy.baseOf(project), file));
      after.push(...fileDiagnostics(copy.copyOf(project), file));
    }
    for (const project of wholePrograms) {
      before.push(...programWideDiagnostics(copy.baseOf(project), project.name));
      after.push(...programWideDiagnostics(copy.copyOf(project), project.name));
    }
    const moves = new Map<string, FileMove>(plan.files.map((file) => [file.path, file]));
    const problems: VerificationProblem[] = newContractBreaks(engine, plan, copy).map(({ contract, change }) => ({
      id: "verify-contract-break",
      message: `the change breaks the registered contract '${contract}': ${change.message} (${change.kind}, ${change.proof}; docs/contracts.md)`,
    }));
    return {
      ok: false,
      planId: plan.id,
      problems,
      staleFiles: [],
      importers,
      checkedFiles,
      diagnosticsBefore: before.length,
      diagnosticsAfter: after.length,
      newDiagnostics: addedDiagnostics(before, after, moves),
      commands: [],
      durationMs: 0,
    };
  } finally {
    releaseProgramCopy(engine, copy);
  }
}

function filesToCheck(engine: Engine, plan: ChangePlan, copy: ProgramCopy, options: VerifyOptions): { files: string[]; importers: ImporterCheck; wholePrograms: Project[] } {
  const changed = plan.files.map((file) => file.path);
  const reachesGlobals = plan.files.some((file) => {
    const project = engine.workspace.projectOf(file.path);
    const before = project && copy.baseOf(project).getSourceFile(file.path);
    const after = project && copy.copyOf(project).getSourceFile(file.path);
    // Globals reach files that import nothing: a script (not a module), before or after, or a `declare global` block.
    return !before || !after || !ts.isExternalModule(before) || !ts.isExternalModule(after) || /\bdeclare\s+global\b/.test(file.before + file.after);
  });
  if (reachesGlobals && plan.files.some((file) => copy.declarationsChanged(file.path) !== false)) {
    const projects = engine.workspace.allProjects().filter((project) => changed.some((file) => copy.baseOf(project).getSourceFile(file)));
    const files = projects.flatMap((project) => engine.workspace.filesByProject().get(project) ?? []);
    return { files: unique([...changed, ...files]), importers: "every-file", wholePrograms: projects };
  }
  if (plan.impactSet.length === 0) return { files: changed, importers: "none", wholePrograms: [] };
  const declarationsChanged = options.impactCheck === "always" || plan.files.some((file) => copy.declarationsChanged(file.path) !== false);
  if (!declarationsChanged) return { files: changed, importers: "declarations-unchanged", wholePrograms: [] };
  return { files: unique([...changed, ...plan.impactSet]), importers: "checked", wholePrograms: [] };
}

async function runVerifyCommands(engine: Engine, plan: ChangePlan, options: VerifyOptions): Promise<CommandRun[]> {
  const runs: CommandRun[] = [];
  const toRun: ScratchCommand[] = [];
  const seen = new Set<string>();
  for (const file of plan.files) {
    const governing = engine.policies.governing(file.path);
    const verify = engine.policies.verifyCommand(file.path);
    if (!verify.command) continue;
    const key = `${verify.command.origin.file}\0${verify.command.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!verify.willRun) {
      runs.push({ command: verify.command.text, exitCode: null, durationMs: 0, skipped: verify.reason ?? "not allowed to run here", origin: verify.command.origin });
      continue;
    }
    toRun.push({ text: verify.command.text, cwd: governing.policy.root, timeoutSeconds: governing.policy.verify.timeoutSeconds, origin: verify.command.origin });
  }
  if (toRun.length === 0) return runs;
  const ran = await runInScratchCopy(plan.root, plan.files, toRun, { ...(options.scratchParent ? { parent: options.scratchParent } : {}), env: { SELFHEAL_PLAN_ID: plan.id } });
  return [...runs, ...ran];
}

function emptyResult(plan: ChangePlan, started: number): VerificationResult {
  return {
    ok: false,
    planId: plan.id,
    problems: [],
    staleFiles: [],
    importers: "none",
    checkedFiles: [],
    diagnosticsBefore: 0,
    diagnosticsAfter: 0,
    newDiagnostics: [],
    commands: [],
    durationMs: Math.round(performance.now() - started),
  };
}

export function staleMessage(plan: ChangePlan, staleFiles: readonly string[]): string {
  const names = staleFiles.map((file) => relative(plan, file));
  return `stale plan: ${names.join(", ")} changed since the plan was made; nothing was applied (plan again to fix the current text)`;
}

export function describeDiagnostic(plan: ChangePlan, diagnostic: NewDiagnostic): string {
  const file = diagnostic.file.startsWith("<global>") ? diagnostic.file : relative(plan, diagnostic.file);
  return `${file}${diagnostic.line > 0 ? `:${diagnostic.line}` : ""}: TS${diagnostic.code} ${diagnostic.message}`;
}

function where(plan: ChangePlan, run: CommandRun): string {
  return run.origin ? ` (${relative(plan, run.origin.file)}:${run.origin.line + 1})` : "";
}

function relative(plan: ChangePlan, file: string): string {
  const name = path.posix.relative(plan.root, file);
  return name.startsWith("..") ? file : name;
}

function lastLines(text: string, count: number): string {
  return text.split("\n").slice(-count).map((line) => `    ${line}`).join("\n");
}

function unique(files: readonly string[]): string[] {
  return [...new Set(files)];
}
