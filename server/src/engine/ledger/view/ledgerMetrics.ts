/**
 * What the ledger says about automated changes (DESIGN.md, Observability): how many were
 * applied, how often verification passed, how many were rolled back (the change failure rate,
 * as DORA defines it) and how long it took to roll them back.
 */
import { subjectOf, type EntrySummary } from "./entrySummary";

export interface RuleMetrics {
  /** The rule or contract, or "(none)". */
  subject: string;
  applied: number;
  rolledBack: number;
}

export interface LedgerMetrics {
  entries: number;
  byKind: Record<string, number>;
  /** Entries of kind `apply`. */
  changesApplied: number;
  verification: {
    passed: number;
    failed: number;
    /** Applied changes recorded without evidence. */
    notVerified: number;
    /** passed / (passed + failed); null when no applied change was verified. */
    passRate: number | null;
  };
  rollbacks: {
    /** Entries of kind `rollback`. */
    entries: number;
    /** Applied changes that a later rollback undid. */
    changesRolledBack: number;
    /** changesRolledBack / changesApplied; null without applied changes. */
    changeFailureRate: number | null;
    /** Median time from an applied change to the rollback that undid it; null when none was undone. */
    medianTimeToRollbackMs: number | null;
  };
  /** Applied changes per rule or contract, most first. */
  byRule: RuleMetrics[];
  /** The first and last entry's time. */
  firstTime?: string;
  lastTime?: string;
}

export function ledgerMetrics(summaries: readonly EntrySummary[]): LedgerMetrics {
  const byKind: Record<string, number> = Object.create(null) as Record<string, number>;
  const byRule = new Map<string, RuleMetrics>();
  const rollbackTimes = new Map<string, string>();
  let applied = 0;
  let passed = 0;
  let failed = 0;
  let rolledBack = 0;
  for (const summary of summaries) {
    byKind[summary.kind] = (byKind[summary.kind] ?? 0) + 1;
    if (summary.kind === "rollback" && !rollbackTimes.has(summary.id)) rollbackTimes.set(summary.id, summary.time);
  }
  const delays: number[] = [];
  for (const summary of summaries) {
    if (summary.kind !== "apply") continue;
    applied++;
    if (summary.verification === "passed") passed++;
    if (summary.verification === "failed") failed++;
    const subject = subjectOf(summary) ?? "(none)";
    const rule = byRule.get(subject) ?? { subject, applied: 0, rolledBack: 0 };
    rule.applied++;
    byRule.set(subject, rule);
    if (summary.undoneBy === undefined) continue;
    rolledBack++;
    rule.rolledBack++;
    const delay = Date.parse(rollbackTimes.get(summary.undoneBy) ?? "") - Date.parse(summary.time);
    if (Number.isFinite(delay)) delays.push(Math.max(0, delay));
  }
  return {
    entries: summaries.length,
    byKind: { ...byKind },
    changesApplied: applied,
    verification: { passed, failed, notVerified: applied - passed - failed, passRate: passed + failed > 0 ? passed / (passed + failed) : null },
    rollbacks: {
      entries: byKind.rollback ?? 0,
      changesRolledBack: rolledBack,
      changeFailureRate: applied > 0 ? rolledBack / applied : null,
      medianTimeToRollbackMs: median(delays),
    },
    byRule: [...byRule.values()].sort((a, b) => b.applied - a.applied || a.subject.localeCompare(b.subject)),
    ...(summaries.length > 0 ? { firstTime: summaries[0].time, lastTime: summaries[summaries.length - 1].time } : {}),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
