/**
 * Running a plan from the command line and saying how it ended: the same pipeline as the editor
 * (policy decision, verification, the ledger's intent protocol), with `--dry-run` and `--yes`,
 * printed as text or JSON. `selfheal fix` and `selfheal contracts accept` both end here.
 */
import * as path from "node:path";
import type { ChangePlan } from "../engine/agents/changePlan";
import { describeReason } from "../engine/agents/decisionText";
import { editsOnDisk, ledgerLocationFor, originRecord } from "../engine/agents/ledgerRecord";
import { runPipeline, type PipelineOutcome } from "../engine/agents/pipeline";
import { describeDiagnostic, type VerificationResult } from "../engine/agents/verifier";
import type { Engine } from "../engine/analysis/engine";
import { reconcileIntents } from "../engine/ledger/intents";
import { LedgerError } from "../engine/ledger/ledgerError";
import { applyRecordedChange } from "../engine/ledger/recordedChange";
import type { Decision } from "../engine/policy/model";
import { cliActor } from "./actor";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";

/** Outcomes that end the command successfully; every other outcome (and a refusal to plan) exits 1. */
const successful = new Set<PipelineOutcome["kind"]>(["applied", "already-applied", "dry-run"]);

export interface CliRunOptions {
  dryRun: boolean;
  /** The user read the diff already: a change the policy sends to review goes ahead. */
  yes: boolean;
  format: "text" | "json";
  /** The folder the command works on, for the ledger's name in messages. */
  root: string;
  io: CliIo;
}

/** A refusal to plan or to write (a PlanError, a LedgerError): the id and sentence on stderr, and as JSON on stdout when asked. */
export function printRefusal(io: CliIo, format: "text" | "json", id: string, message: string): number {
  if (format === "json") io.stdout(JSON.stringify({ outcome: id, message }, null, 2) + "\n");
  io.stderr(`selfheal: ${id}: ${message}\n`);
  return ExitCode.findings;
}

export async function runPlanFromCli(engine: Engine, plan: ChangePlan, options: CliRunOptions): Promise<number> {
  const { io, root } = options;
  const location = ledgerLocationFor(engine, plan);
  if (!options.dryRun) {
    // A change a crash left half-recorded is settled first, so this one is appended after it.
    for (const outcome of await reconcileIntents(location)) io.stderr(`note: ${outcome.id}: ${outcome.message}\n`);
  }
  const outcome = await runPipeline(engine, plan, {
    actor: cliActor(),
    dryRun: options.dryRun,
    confirmReview: options.yes,
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
  io.stdout(options.format === "json" ? JSON.stringify(jsonReport(outcome, location.ledgerFile), null, 2) + "\n" : textReport(outcome, path.relative(root, location.ledgerFile) || location.ledgerFile));
  if (!successful.has(outcome.kind)) io.stderr(`selfheal: ${outcome.id}: ${outcome.message}\n`);
  return successful.has(outcome.kind) ? ExitCode.ok : ExitCode.findings;
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

