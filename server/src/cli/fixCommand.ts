/**
 * `selfheal fix [FOLDER] --rule R [--file F] [--dry-run] [--yes] [--format text|json]`: every
 * preferred fix of rule R (in F, or in the whole folder) as one plan, through the same pipeline
 * as the editor: policy decision, verification, then written with the ledger's intent protocol
 * and recorded. See docs/cli.md ("fix") and docs/pipeline.md.
 *
 * The workspace counts as trusted here (`engine.policies.trusted = true`): the user ran the
 * command in this folder, as they would run `npm test` there, so the policy's verify.command
 * runs (in a scratch copy). The editor decides trust through VS Code's Workspace Trust instead.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChangePlan } from "../engine/agents/changePlan";
import { describeReason } from "../engine/agents/decisionText";
import { editsOnDisk, ledgerLocationFor, originRecord } from "../engine/agents/ledgerRecord";
import { PlanError } from "../engine/agents/messages";
import { runPipeline, type PipelineOutcome } from "../engine/agents/pipeline";
import { planFixAll } from "../engine/agents/planner";
import { describeDiagnostic, type VerificationResult } from "../engine/agents/verifier";
import { Engine, type Logger } from "../engine/analysis/engine";
import { reconcileIntents } from "../engine/ledger/intents";
import { LedgerError } from "../engine/ledger/ledgerError";
import { applyRecordedChange } from "../engine/ledger/recordedChange";
import type { Decision } from "../engine/policy/model";
import { findRule } from "../engine/rules";
import { defaultEngineSettings } from "../engine/settings";
import { isUnder, normalizePath } from "../engine/workspace/paths";
import { cliActor } from "./actor";
import { oneOf, parseArgs, UsageError } from "./args";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";

/** For main's usage text. */
export const fixUsage = `  selfheal fix [FOLDER] --rule R [--file F] [--dry-run] [--yes] [--format text|json]
                                                        fix every finding of rule R: verified, then recorded in the ledger`;

/** Outcomes that end the command successfully; every other outcome (and a refusal to plan) exits 1. */
const successful = new Set<PipelineOutcome["kind"]>(["applied", "already-applied", "dry-run"]);

export async function fixCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ["rule", "file", "format"], ["dry-run", "yes"]);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  if (args.positionals.length > 1) throw new UsageError(`fix takes one folder (got ${args.positionals.join(" ")})`);
  const root = normalizePath(args.positionals[0] ?? ".");
  if (!fs.existsSync(root)) throw new UsageError(`no such folder: ${root}`);
  if (!fs.statSync(root).isDirectory()) throw new UsageError(`not a folder: ${root} (fix works on a workspace folder; use --file for one file)`);
  const ruleId = args.flags.get("rule");
  if (typeof ruleId !== "string") throw new UsageError("fix needs --rule R (`selfheal rules` lists the rules; those with a fix can be used)");
  const rule = findRule(ruleId);
  if (!rule) throw new UsageError(`--rule: no rule has the id '${ruleId}' (\`selfheal rules\` lists them)`);
  if (!rule.meta.fixable) throw new UsageError(`--rule: ${ruleId} offers no fix, so there is nothing to apply`);
  const fileFlag = args.flags.get("file");
  const file = typeof fileFlag === "string" ? normalizePath(fileFlag) : undefined;
  if (file !== undefined && !(fs.existsSync(file) && fs.statSync(file).isFile())) throw new UsageError(`--file: no such file: ${file} (relative paths are relative to the current folder)`);
  if (file !== undefined && !isUnder(file, root)) throw new UsageError(`--file: ${file} is not inside the folder ${root}`);

  const logger: Logger = { info: () => {}, warn: (message) => io.stderr(`warning: ${message}\n`), error: (message) => io.stderr(`error: ${message}\n`) };
  const engine = new Engine(defaultEngineSettings, logger);
  engine.policies.trusted = true;
  engine.workspace.addFolder(root);
  await engine.analyzeAll();

  const print = (report: object, text: string) => io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : text);
  const refuse = (id: string, message: string) => {
    print({ outcome: id, message }, "");
    io.stderr(`selfheal: ${id}: ${message}\n`);
    return ExitCode.findings;
  };
  try {
    const plan = planFixAll(engine, ruleId, file !== undefined ? { file } : {});
    if (!plan) {
      const where = file !== undefined ? path.posix.relative(root, file) : "the folder";
      const message = `nothing to fix: no finding of ${ruleId} in ${where} has a fix that applies on "fix all"${unpreferredNote(engine, ruleId, file)}`;
      print({ outcome: "plan-nothing-to-fix", message }, `plan-nothing-to-fix: ${message}\n`);
      return ExitCode.ok;
    }
    const location = ledgerLocationFor(engine, plan);
    if (!args.flags.has("dry-run")) {
      // A change a crash left half-recorded is settled first, so this one is appended after it.
      for (const outcome of await reconcileIntents(location)) io.stderr(`note: ${outcome.id}: ${outcome.message}\n`);
    }
    const outcome = await runPipeline(engine, plan, {
      actor: cliActor(),
      dryRun: args.flags.has("dry-run"),
      confirmReview: args.flags.has("yes"),
      recordedEdits: editsOnDisk,
      apply: async ({ draft, edits }) => {
        try {
          return { status: "applied", entry: await applyRecordedChange(location, draft, edits) };
        } catch (error) {
          if (error instanceof LedgerError && error.id === "ledger-files-changed") return { status: "stale", message: error.message };
          throw error;
        }
      },
    });
    print(jsonReport(outcome, location.ledgerFile), textReport(outcome, path.relative(root, location.ledgerFile) || location.ledgerFile));
    if (!successful.has(outcome.kind)) io.stderr(`selfheal: ${outcome.id}: ${outcome.message}\n`);
    return successful.has(outcome.kind) ? ExitCode.ok : ExitCode.findings;
  } catch (error) {
    if (error instanceof PlanError || error instanceof LedgerError) return refuse(error.id, error.message);
    throw error;
  }
}

/** Findings whose only fixes are not preferred (no-explicit-any's `unknown`) are left for a person in the editor. */
function unpreferredNote(engine: Engine, ruleId: string, file: string | undefined): string {
  const findings = (file !== undefined ? engine.findingsFor(file) : engine.allFindings()).filter((finding) => finding.ruleId === ruleId);
  const unpreferred = findings.filter((finding) => finding.fixes.length > 0 && !finding.fixes.some((fix) => fix.isPreferred)).length;
  if (unpreferred === 0) return "";
  return ` (${unpreferred} ${unpreferred === 1 ? "finding has" : "findings have"} only fixes that are not preferred; apply those one at a time in the editor)`;
}

function textReport(outcome: PipelineOutcome, ledgerName: string): string {
  const { plan } = outcome;
  const lines = [`plan ${plan.id.slice(0, 12)}: ${plan.title}`, ...planLines(plan)];
  if ("decision" in outcome) lines.push(...decisionLines(outcome.decision, plan));
  if ("verification" in outcome) lines.push(...verificationLines(outcome.verification, plan));
  switch (outcome.kind) {
    case "dry-run":
      lines.push("--- forward patch (what would change) ---", outcome.forwardPatch.trimEnd(), "--- rollback patch (its exact undo) ---", outcome.rollbackPatch.trimEnd());
      break;
    case "needs-review":
      lines.push("--- forward patch (review it) ---", plan.forwardPatch.trimEnd(), "--- rollback patch (its exact undo) ---", plan.rollbackPatch.trimEnd());
      lines.push(`${outcome.id}: this change needs review: read the diff above, then run the command again with --yes to apply it`);
      return lines.join("\n") + "\n";
    case "applied":
      lines.push(`${outcome.id}: applied ${plan.files.map((file) => file.relativePath).join(", ")}; recorded as ledger entry ${outcome.entry.predicate.id} (seq ${outcome.entry.predicate.chain.seq}) in ${ledgerName}`);
      return lines.join("\n") + "\n";
  }
  lines.push(`${outcome.id}: ${outcome.message}`);
  return lines.join("\n") + "\n";
}

function planLines(plan: ChangePlan): string[] {
  const { risk } = plan;
  const relative = (file: string) => path.posix.relative(plan.root, file);
  return [
    `  files: ${plan.files.map((file) => file.relativePath).join(", ")} (+${risk.linesAdded} -${risk.linesRemoved} lines)`,
    `  impact: ${plan.impactSet.length === 0 ? "nothing imports the changed files" : plan.impactSet.map(relative).join(", ")}`,
    `  exported API touched: ${risk.exportedApiTouched ? "yes" : "no"}; protected paths touched: ${risk.protectedPathsTouched.length === 0 ? "none" : risk.protectedPathsTouched.map(relative).join(", ")}`,
    ...(plan.deferredFindings > 0 ? [`  left for another run: ${plan.deferredFindings} finding(s) whose fix overlaps one in this plan`] : []),
    `  why: ${plan.rationale}`,
  ];
}

function decisionLines(decision: Decision, plan: ChangePlan): string[] {
  return [`decision: ${decision.outcome}${decision.offered ? "" : " (not offered)"}`, ...decision.reasons.map((reason) => `  ${reason.outcome.padEnd(6)} ${describeReason(reason, plan.root)}`)];
}

function verificationLines(verification: VerificationResult, plan: ChangePlan): string[] {
  const checked = verification.importers === "type-check-off" ? "no type check (verify.typecheck is false)" : `type check of ${verification.checkedFiles.length} ${verification.checkedFiles.length === 1 ? "file" : "files"} (importers: ${importersText[verification.importers]}): ${verification.diagnosticsBefore} ${verification.diagnosticsBefore === 1 ? "diagnostic" : "diagnostics"} before, ${verification.diagnosticsAfter} after`;
  const lines = [`verification: ${verification.ok ? "passed" : "FAILED"}; ${checked}`];
  for (const diagnostic of verification.newDiagnostics) lines.push(`  new: ${describeDiagnostic(plan, diagnostic)}`);
  for (const run of verification.commands) {
    if (run.skipped !== undefined) lines.push(`  command \`${run.command}\`: not run (verify-command-skipped: ${run.skipped})`);
    else if (run.timedOut) lines.push(`  command \`${run.command}\`: stopped after ${run.timeoutSeconds} s (timeout)`);
    else lines.push(`  command \`${run.command}\`: exit ${run.exitCode} in ${run.durationMs < 1000 ? `${run.durationMs} ms` : `${(run.durationMs / 1000).toFixed(1)} s`}`);
  }
  for (const problem of verification.problems) if (problem.id !== "verify-new-diagnostic") lines.push(`  ${problem.id}: ${problem.message}`);
  return lines;
}

const importersText: Record<VerificationResult["importers"], string> = {
  checked: "checked, the declarations changed",
  "declarations-unchanged": "not affected, the declarations are unchanged",
  "every-file": "every file, a script or global declarations changed",
  none: "none",
  "type-check-off": "not checked",
};

function jsonReport(outcome: PipelineOutcome, ledgerFile: string): object {
  const { plan } = outcome;
  const relative = (file: string) => (file.startsWith("<global>") ? file : path.posix.relative(plan.root, file));
  return {
    outcome: outcome.id,
    kind: outcome.kind,
    message: outcome.message,
    plan: {
      id: plan.id,
      rule: plan.ruleId,
      title: plan.title,
      rationale: plan.rationale,
      files: plan.files.map((file) => file.relativePath),
      impact: plan.impactSet.map(relative),
      risk: { ...plan.risk, protectedPathsTouched: plan.risk.protectedPathsTouched.map(relative) },
      deferredFindings: plan.deferredFindings,
    },
    ...("decision" in outcome
      ? {
          decision: {
            outcome: outcome.decision.outcome,
            offered: outcome.decision.offered,
            reasons: outcome.decision.reasons.map((reason) => ({ outcome: reason.outcome, message: reason.message, ...(reason.origin ? { policy: originRecord(reason.origin, plan.root) } : {}) })),
          },
        }
      : {}),
    ...("verification" in outcome
      ? {
          verification: {
            ok: outcome.verification.ok,
            problems: outcome.verification.problems,
            importers: outcome.verification.importers,
            checkedFiles: outcome.verification.checkedFiles.map(relative),
            diagnosticsBefore: outcome.verification.diagnosticsBefore,
            diagnosticsAfter: outcome.verification.diagnosticsAfter,
            newDiagnostics: outcome.verification.newDiagnostics.map((diagnostic) => ({ ...diagnostic, file: relative(diagnostic.file) })),
            commands: outcome.verification.commands.map(({ origin: _origin, ...run }) => run),
          },
        }
      : {}),
    ...(outcome.kind === "applied" ? { entry: { id: outcome.entry.predicate.id, seq: outcome.entry.predicate.chain.seq, ledger: ledgerFile } } : {}),
    forwardPatch: plan.forwardPatch,
    rollbackPatch: plan.rollbackPatch,
  };
}

