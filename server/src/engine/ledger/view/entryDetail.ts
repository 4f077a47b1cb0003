/**
 * One entry in full, as the detail pane shows it: every field checked for its type (the ledger
 * is untrusted input), the patches parsed for display, and the entries it is linked to (the one
 * it undoes, the rollback that undid it). Pure, so the page bundles it for the static report.
 */
import { recordOf, type EntrySummary } from "./entrySummary";
import type { EntryTrust } from "./integrityView";
import { firstChangedLines, parseUnifiedDiff, type DiffFile } from "./unifiedDiff";

export interface EntryRef {
  key: number;
  seq: number;
  id: string;
  time: string;
  kind: string;
}

export interface DetailOrigin {
  file: string;
  /** 1-based. */
  line: number;
  key: string;
}

export interface DetailFile {
  path: string;
  sha256Before: string | null;
  sha256After: string | null;
  /** Where the change starts in the file as the entry left it (1-based); absent for a deleted file. */
  changedLine?: number;
}

export interface EntryDetail {
  summary: EntrySummary;
  trust: EntryTrust;
  rationale: string;
  plan?: { planId: string; files: number | null; linesAdded: number | null; linesRemoved: number | null; exportedApiTouched: boolean; protectedPathsTouched: string[] };
  impact: string[];
  decision?: { outcome: string; reasons: { message: string; origin?: DetailOrigin }[] };
  evidence?: { diagnosticsBefore: number | null; diagnosticsAfter: number | null; commands: { command: string; exitCode: number | null; durationMs: number | null; skipped?: string }[] };
  files: DetailFile[];
  forward: DiffFile[];
  rollback: DiffFile[];
  undoes?: EntryRef;
  undoneBy?: EntryRef;
  /** The entry as recorded, pretty-printed (what "copy as JSON" copies). */
  json: string;
}

/** `findById`: the entry with this id in the same ledger (the first, if a tampered ledger repeats one). */
export function entryDetail(value: unknown, summary: EntrySummary, trust: EntryTrust, findById: (id: string) => EntrySummary | undefined): EntryDetail {
  const predicate = recordOf(recordOf(value)?.predicate) ?? {};
  const forward = parseUnifiedDiff(stringOr(predicate.forwardPatch, ""));
  const changed = firstChangedLines(forward);
  const files = arrayOf(predicate.files).map((file): DetailFile | undefined => {
    const record = recordOf(file);
    if (typeof record?.path !== "string") return undefined;
    const detail: DetailFile = { path: record.path, sha256Before: hashOrNull(record.sha256Before), sha256After: hashOrNull(record.sha256After) };
    const line = changed.get(record.path);
    if (detail.sha256After !== null) detail.changedLine = line ?? 1;
    return detail;
  });
  const detail: EntryDetail = {
    summary,
    trust,
    rationale: stringOr(predicate.rationale, ""),
    impact: strings(predicate.impact),
    files: files.filter((file): file is DetailFile => file !== undefined),
    forward,
    rollback: parseUnifiedDiff(stringOr(predicate.rollbackPatch, "")),
    json: JSON.stringify(value, null, 2),
  };
  const plan = recordOf(predicate.plan);
  if (plan) {
    detail.plan = {
      planId: stringOr(plan.planId, ""),
      files: numberOrNull(plan.files),
      linesAdded: numberOrNull(plan.linesAdded),
      linesRemoved: numberOrNull(plan.linesRemoved),
      exportedApiTouched: plan.exportedApiTouched === true,
      protectedPathsTouched: strings(plan.protectedPathsTouched),
    };
  }
  const decision = recordOf(predicate.decision);
  if (decision) {
    detail.decision = {
      outcome: stringOr(decision.outcome, "unknown"),
      reasons: arrayOf(decision.reasons).map((reason) => {
        const record = recordOf(reason);
        const origin = recordOf(record?.origin);
        const line = origin?.line;
        return {
          message: stringOr(record?.message, ""),
          ...(origin && typeof origin.file === "string" && Number.isSafeInteger(line) && (line as number) >= 1
            ? { origin: { file: origin.file, line: line as number, key: stringOr(origin.key, "") } }
            : {}),
        };
      }),
    };
  }
  const evidence = recordOf(predicate.evidence);
  if (evidence) {
    detail.evidence = {
      diagnosticsBefore: numberOrNull(evidence.diagnosticsBefore),
      diagnosticsAfter: numberOrNull(evidence.diagnosticsAfter),
      commands: arrayOf(evidence.commands).map((command) => {
        const record = recordOf(command) ?? {};
        return {
          command: stringOr(record.command, ""),
          exitCode: numberOrNull(record.exitCode),
          durationMs: numberOrNull(record.durationMs),
          ...(typeof record.skipped === "string" ? { skipped: record.skipped } : {}),
        };
      }),
    };
  }
  const undone = summary.undoes === undefined ? undefined : findById(summary.undoes);
  if (undone) detail.undoes = refOf(undone);
  const undoneBy = summary.undoneBy === undefined ? undefined : findById(summary.undoneBy);
  if (undoneBy) detail.undoneBy = refOf(undoneBy);
  return detail;
}

export function refOf(summary: EntrySummary): EntryRef {
  return { key: summary.key, seq: summary.seq, id: summary.id, time: summary.time, kind: summary.kind };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function hashOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function strings(value: unknown): string[] {
  return arrayOf(value).filter((item): item is string => typeof item === "string");
}
