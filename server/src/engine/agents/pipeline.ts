/**
 * One change, end to end: plan → policy → verifier → apply → ledger. The plan is made by the
 * caller (planFix / planFixAll); this decides whether it may land and lands it through the
 * caller's `apply` (the CLI writes files with `applyRecordedChange`; the language server goes
 * through `workspace/applyEdit`), which records the entry built here. Every way this can end is
 * an outcome with a stable id and a sentence, for the CLI and the editor to show.
 *
 * Idempotent: a plan whose files all have its planned text already is `already-applied`, and
 * nothing is written or recorded; a plan whose files changed otherwise is `stale`.
 */
import type { Engine } from "../analysis/engine";
import type { Actor, EntryDraft, LedgerEntry } from "../ledger/entry";
import type { FileEdit } from "../ledger/patches";
import type { Decision } from "../policy/model";
import { expectedNow, type ChangePlan } from "./changePlan";
import { describeReason } from "./decisionText";
import { buildEntryDraft, planEdits } from "./ledgerRecord";
import { PlanError, type PipelineMessageId } from "./messages";
import { staleMessage, verifyPlan, type VerificationResult, type VerifyOptions } from "./verifier";

export interface ApplyRequest {
  plan: ChangePlan;
  /** The ledger entry to append once the files are written. */
  draft: EntryDraft;
  /** What to write (workspace-relative paths), matching the draft's hashes. */
  edits: FileEdit[];
}

export type ApplyResult =
  | { status: "applied"; entry: LedgerEntry }
  /** The files changed between verifying and writing; nothing was written. */
  | { status: "stale"; message: string }
  /** The writer declined (the user cancelled the refactor preview); nothing was written. */
  | { status: "declined"; message: string };

export interface PipelineOptions {
  actor: Actor;
  apply(request: ApplyRequest): Promise<ApplyResult>;
  /** Plan, decide and verify, but write nothing (default false). */
  dryRun?: boolean;
  /**
   * Whether a change the policy sends to review may go ahead: true (the user already saw the
   * diff: `--yes`, or an editor preview the writer opens), or asked once it is verified.
   */
  confirmReview?: boolean | ((plan: ChangePlan, decision: Decision, verification: VerificationResult) => boolean | Promise<boolean>);
  verify?: VerifyOptions;
  /** The texts to write and record (default: the plan's). The CLI passes the bytes on disk (a BOM stays). May throw a stale-plan PlanError. */
  recordedEdits?(plan: ChangePlan): FileEdit[];
}

interface Base {
  id: PipelineMessageId;
  /** One sentence (or a few) saying what happened and what to do. */
  message: string;
  plan: ChangePlan;
}

export type PipelineOutcome =
  | (Base & { kind: "applied"; decision: Decision; verification: VerificationResult; entry: LedgerEntry })
  | (Base & { kind: "denied"; decision: Decision })
  | (Base & { kind: "not-offered"; decision: Decision })
  | (Base & { kind: "needs-review"; decision: Decision; verification: VerificationResult })
  | (Base & { kind: "verification-failed"; decision: Decision; verification: VerificationResult })
  | (Base & { kind: "stale"; staleFiles: string[] })
  | (Base & { kind: "already-applied" })
  | (Base & { kind: "dry-run"; decision: Decision; verification: VerificationResult; forwardPatch: string; rollbackPatch: string })
  | (Base & { kind: "not-applied"; decision: Decision; verification: VerificationResult });

export async function runPipeline(engine: Engine, plan: ChangePlan, options: PipelineOptions): Promise<PipelineOutcome> {
  const current = plan.files.map((file) => engine.workspace.documents.read(file.path));
  if (plan.files.every((file, index) => current[index] === file.after)) {
    return { kind: "already-applied", id: "pipeline-already-applied", plan, message: `already applied: every file of plan ${shortId(plan)} has its planned content; nothing was changed or recorded` };
  }
  const staleFiles = plan.files.filter((file, index) => current[index] !== expectedNow(file)).map((file) => file.path);
  if (staleFiles.length > 0) return { kind: "stale", id: "pipeline-stale-plan", plan, staleFiles, message: staleMessage(plan, staleFiles) };

  const decision = engine.policies.decide(plan.proposedChange);
  if (!decision.offered) {
    return { kind: "not-offered", id: "pipeline-not-offered", plan, decision, message: `not offered: ${describeReason(decision.reasons[0], plan.root)}` };
  }
  if (decision.outcome === "deny") return { kind: "denied", id: "pipeline-denied", plan, decision, message: `denied by policy: ${describeReason(decision.reasons[0], plan.root)}` };

  const verification = await verifyPlan(engine, plan, options.verify);
  if (verification.staleFiles.length > 0) return { kind: "stale", id: "pipeline-stale-plan", plan, staleFiles: verification.staleFiles, message: staleMessage(plan, verification.staleFiles) };
  if (!verification.ok) {
    return { kind: "verification-failed", id: "pipeline-verification-failed", plan, decision, verification, message: `verification failed: ${verification.problems.map((problem) => problem.message).join("; ")}` };
  }
  if (options.dryRun) {
    const needs = decision.outcome === "review" ? "it would need review (pass --yes, or confirm the preview)" : "the policy would let it apply on its own";
    return { kind: "dry-run", id: "pipeline-dry-run", plan, decision, verification, forwardPatch: plan.forwardPatch, rollbackPatch: plan.rollbackPatch, message: `dry run: verified; ${needs}; nothing was written` };
  }
  if (decision.outcome === "review" && !(await confirmed(options.confirmReview, plan, decision, verification))) {
    return { kind: "needs-review", id: "pipeline-needs-review", plan, decision, verification, message: `needs review: ${describeReason(decision.reasons[0], plan.root)}; read the diff, then confirm to apply it` };
  }

  let edits: FileEdit[];
  try {
    edits = options.recordedEdits ? options.recordedEdits(plan) : planEdits(plan);
  } catch (error) {
    if (error instanceof PlanError && error.id === "pipeline-stale-plan") return { kind: "stale", id: error.id, plan, staleFiles: plan.files.map((file) => file.path), message: error.message };
    throw error;
  }
  const draft = buildEntryDraft({ plan, decision, verification, actor: options.actor, edits });
  const result = await options.apply({ plan, draft, edits });
  if (result.status === "stale") return { kind: "stale", id: "pipeline-stale-plan", plan, staleFiles: plan.files.map((file) => file.path), message: result.message };
  if (result.status === "declined") return { kind: "not-applied", id: "pipeline-not-applied", plan, decision, verification, message: `not applied: ${result.message}` };
  const { seq } = result.entry.predicate.chain;
  return { kind: "applied", id: "pipeline-applied", plan, decision, verification, entry: result.entry, message: `applied and recorded as ledger entry ${result.entry.predicate.id} (seq ${seq})` };
}

async function confirmed(confirm: PipelineOptions["confirmReview"], plan: ChangePlan, decision: Decision, verification: VerificationResult): Promise<boolean> {
  if (typeof confirm === "function") return confirm(plan, decision, verification);
  return confirm === true;
}

function shortId(plan: ChangePlan): string {
  return plan.id.slice(0, 12);
}
