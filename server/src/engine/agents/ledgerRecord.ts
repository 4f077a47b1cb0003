/**
 * From a verified plan to what the ledger records: the entry draft (rule, rationale, plan
 * summary, impact, decision with its policy lines, evidence, per-file hashes, both patches), the
 * file edits to write, and which ledger the change belongs in.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Engine } from "../analysis/engine";
import { newEntryId, type Actor, type EntryDraft, type PolicyOriginRecord } from "../ledger/entry";
import { decodeText, describeChange, type FileEdit } from "../ledger/patches";
import { ledgerLocation, type LedgerLocation } from "../ledger/workspacePaths";
import { bundledPoliciesFolder } from "../policy/bundledFolder";
import type { Decision, PolicyOrigin } from "../policy/model";
import { isUnder, normalizePath } from "../workspace/paths";
import type { ChangePlan } from "./changePlan";
import { PlanError } from "./messages";
import type { VerificationResult } from "./verifier";
import { staleMessage } from "./verifier";

export interface EntryInput {
  plan: ChangePlan;
  decision: Decision;
  verification: VerificationResult;
  actor: Actor;
  /** The texts as written and recorded (default: the plan's, see `planEdits`). */
  edits?: readonly FileEdit[];
  /** For tests and replays; default: a fresh UUID and now. */
  id?: string;
  time?: Date;
}

/** The ledger entry for applying a plan (the chain link is added when it is appended). */
export function buildEntryDraft(input: EntryInput): EntryDraft {
  const { plan, decision, verification, actor } = input;
  const change = describeChange(input.edits ?? planEdits(plan));
  return {
    id: input.id ?? newEntryId(),
    time: (input.time ?? new Date()).toISOString(),
    actor,
    kind: plan.record?.kind ?? "apply",
    rule: plan.ruleId,
    ...(plan.record ? { contract: plan.record.contract } : {}),
    rationale: plan.rationale,
    plan: {
      planId: plan.id,
      files: plan.risk.files,
      linesAdded: plan.risk.linesAdded,
      linesRemoved: plan.risk.linesRemoved,
      exportedApiTouched: plan.risk.exportedApiTouched,
      protectedPathsTouched: plan.risk.protectedPathsTouched.map((file) => relativeTo(plan.root, file)),
    },
    impact: plan.impactSet.map((file) => relativeTo(plan.root, file)),
    decision: {
      outcome: decision.outcome,
      reasons: decision.reasons.map((reason) => ({ message: reason.message, ...(reason.origin ? { origin: originRecord(reason.origin, plan.root) } : {}) })),
    },
    evidence: {
      diagnosticsBefore: verification.diagnosticsBefore,
      diagnosticsAfter: verification.diagnosticsAfter,
      commands: verification.commands.map((run) => ({ command: run.command, exitCode: run.exitCode, durationMs: run.durationMs, ...(run.skipped !== undefined ? { skipped: run.skipped } : {}) })),
    },
    files: change.files,
    forwardPatch: change.forwardPatch,
    rollbackPatch: change.rollbackPatch,
  };
}

/** The plan's texts as ledger edits (workspace-relative paths). */
export function planEdits(plan: ChangePlan): FileEdit[] {
  return plan.files.map((file) => ({ path: file.relativePath, before: file.created ? null : file.before, after: file.after }));
}

/**
 * The plan's edits against the bytes on disk, for a writer that writes files itself (the CLI).
 * The engine reads a UTF-8 file without its byte order mark; the file keeps it, so the ledger's
 * hashes and patches match the real bytes. A file that differs from the plan is a stale plan.
 */
export function editsOnDisk(plan: ChangePlan): FileEdit[] {
  const stale: string[] = [];
  const edits = plan.files.map((file) => {
    let text: string | undefined;
    try {
      text = decodeText(fs.readFileSync(file.path), file.relativePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (file.created) {
      if (text !== undefined) stale.push(file.path);
      return { path: file.relativePath, before: null, after: file.after };
    }
    const bom = text !== undefined && text !== file.before && text === "\uFEFF" + file.before ? "\uFEFF" : "";
    if (text !== bom + file.before) stale.push(file.path);
    return { path: file.relativePath, before: bom + file.before, after: bom + file.after };
  });
  if (stale.length > 0) throw new PlanError("pipeline-stale-plan", staleMessage(plan, stale));
  return edits;
}

/**
 * The ledger that records the plan: the one the governing policy names (`ledger.path`), in the
 * plan's workspace folder. Files governed by policies that name different ledgers cannot be
 * recorded as one change, so that is refused rather than recorded in only one of them.
 */
export function ledgerLocationFor(engine: Engine, plan: ChangePlan): LedgerLocation {
  const ledgers = new Set(plan.files.map((file) => normalizePath(engine.policies.governing(file.path).policy.ledgerPath.path)));
  if (ledgers.size > 1) {
    throw new PlanError("pipeline-ledger-conflict", `the changed files are governed by policies that keep different ledgers (${[...ledgers].map((file) => relativeTo(plan.root, file)).join(", ")}); apply the change per policy folder`);
  }
  return ledgerLocation(plan.root, relativeTo(plan.root, [...ledgers][0]));
}

/** A policy line as the ledger keeps it: workspace-relative file, 1-based line, key. */
export function originRecord(origin: PolicyOrigin, root: string): PolicyOriginRecord {
  return { file: policyFileName(origin.file, root), line: origin.line + 1, key: origin.key };
}

/** Workspace-relative; a bundled policy as `policies/<name>.yaml` (its absolute path says where the extension is installed, nothing more). */
export function policyFileName(absolute: string, root: string): string {
  const file = normalizePath(absolute);
  if (isUnder(file, root)) return path.posix.relative(root, file);
  let bundled: string | undefined;
  try {
    bundled = normalizePath(bundledPoliciesFolder());
  } catch {
    bundled = undefined;
  }
  return bundled !== undefined && isUnder(file, bundled) ? `policies/${path.posix.relative(bundled, file)}` : path.posix.basename(file);
}

function relativeTo(root: string, file: string): string {
  return path.posix.relative(root, normalizePath(file));
}
