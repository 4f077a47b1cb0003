/**
 * What the provenance view lists per entry. Kept small (no patches, the rationale cut short) so a
 * 100,000-entry ledger fits in memory as summaries; the detail is read again from the file.
 *
 * A ledger is untrusted input: a line can parse as JSON and still carry a number where a string
 * belongs. Every field is checked for its type here, and a wrong one is left out rather than
 * passed on. This module imports only types from the ledger, so the page can bundle it.
 */
export type DecisionOutcome = "auto" | "review" | "deny";
export const decisionOutcomes: readonly DecisionOutcome[] = ["auto", "review", "deny"];

/** `not-verified`: the entry has no evidence (a person's rollback, a reconcile). */
export type VerificationStatus = "passed" | "failed" | "not-verified";

export interface EntrySummary {
  /** Where the entry is in its ledger (the byte offset of its line in a file): the row's identity, since a tampered ledger can repeat a seq or an id. */
  key: number;
  /** 1-based line in the ledger (what verification names); unknown while only the newest entries have been read. */
  line?: number;
  seq: number;
  id: string;
  time: string;
  kind: string;
  rule?: string;
  contract?: string;
  files: string[];
  actorKind: string;
  actorName: string;
  outcome?: DecisionOutcome;
  verification: VerificationStatus;
  /** The start of the rationale (the list shows one line of it). */
  rationale: string;
  linesAdded?: number;
  linesRemoved?: number;
  /** For a rollback: the id of the entry it undoes. */
  undoes?: string;
  /** The id of the later rollback entry that undoes this one. */
  undoneBy?: string;
  reconciled?: boolean;
}

const rationaleChars = 240;

/** The summary of a parsed ledger line, or undefined when the value is not an entry at all (no predicate with a seq and an id). */
export function summarizeEntry(value: unknown, key: number, line?: number): EntrySummary | undefined {
  const predicate = recordOf(recordOf(value)?.predicate);
  const chain = recordOf(predicate?.chain);
  if (!predicate || !chain || !isPositiveInteger(chain.seq) || typeof predicate.id !== "string") return undefined;
  const actor = recordOf(predicate.actor);
  const plan = recordOf(predicate.plan);
  const outcome = recordOf(predicate.decision)?.outcome;
  const summary: EntrySummary = {
    key,
    seq: chain.seq,
    id: predicate.id,
    time: stringOr(predicate.time, ""),
    kind: stringOr(predicate.kind, "unknown"),
    files: Array.isArray(predicate.files) ? predicate.files.map((file) => recordOf(file)?.path).filter((path): path is string => typeof path === "string") : [],
    actorKind: stringOr(actor?.kind, "unknown"),
    actorName: stringOr(actor?.name, ""),
    verification: verificationOf(predicate.evidence),
    rationale: stringOr(predicate.rationale, "").slice(0, rationaleChars),
  };
  if (line !== undefined) summary.line = line;
  if (typeof predicate.rule === "string") summary.rule = predicate.rule;
  if (typeof predicate.contract === "string") summary.contract = predicate.contract;
  if (decisionOutcomes.includes(outcome as DecisionOutcome)) summary.outcome = outcome as DecisionOutcome;
  const linesAdded = plan?.linesAdded;
  const linesRemoved = plan?.linesRemoved;
  if (isCount(linesAdded)) summary.linesAdded = linesAdded;
  if (isCount(linesRemoved)) summary.linesRemoved = linesRemoved;
  if (typeof predicate.undoes === "string") summary.undoes = predicate.undoes;
  if (predicate.reconciled === true) summary.reconciled = true;
  return summary;
}

/**
 * Passed: no new type errors and every command that ran exited 0 (a skipped command, e.g. in an
 * untrusted workspace, is not a failure: its reason is in the detail).
 */
export function verificationOf(evidence: unknown): VerificationStatus {
  const record = recordOf(evidence);
  if (!record) return "not-verified";
  const before = record.diagnosticsBefore;
  const after = record.diagnosticsAfter;
  if (typeof before === "number" && typeof after === "number" && after > before) return "failed";
  const commands = Array.isArray(record.commands) ? record.commands : [];
  const failedCommand = commands.some((command) => {
    const entry = recordOf(command);
    return entry !== undefined && typeof entry.skipped !== "string" && entry.exitCode !== 0;
  });
  return failedCommand ? "failed" : "passed";
}

/** Marks each entry that a later rollback undoes (the first such rollback, as `planRollback` decides). */
export function linkRollbacks(summaries: readonly EntrySummary[]): void {
  const byId = new Map<string, EntrySummary>();
  for (const summary of summaries) {
    delete summary.undoneBy;
    if (!byId.has(summary.id)) byId.set(summary.id, summary);
  }
  for (const summary of summaries) {
    if (summary.kind !== "rollback" || summary.undoes === undefined) continue;
    const undone = byId.get(summary.undoes);
    if (undone && undone.undoneBy === undefined) undone.undoneBy = summary.id;
  }
}

/** What the entry is about: its rule, else its contract. */
export function subjectOf(summary: EntrySummary): string | undefined {
  return summary.rule ?? summary.contract;
}

export function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
