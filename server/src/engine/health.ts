import type { Finding, Severity } from "./findings";

/** How much one finding weighs in the debt index; documented in the README (Configure). */
export const debtWeight: Record<Severity, number> = { error: 10, warning: 3, info: 1, hint: 0 };

export interface HealthSummary {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  fixable: number;
  /** Severity-weighted findings per 1,000 lines, one decimal. */
  debtIndex: number;
}

export function summarizeHealth(findings: readonly Finding[], linesAnalyzed: number): HealthSummary {
  const summary: HealthSummary = { errors: 0, warnings: 0, infos: 0, hints: 0, fixable: 0, debtIndex: 0 };
  let weighted = 0;
  for (const finding of findings) {
    if (finding.severity === "error") summary.errors++;
    else if (finding.severity === "warning") summary.warnings++;
    else if (finding.severity === "info") summary.infos++;
    else summary.hints++;
    if (finding.fixes.length > 0) summary.fixable++;
    weighted += debtWeight[finding.severity];
  }
  summary.debtIndex = linesAnalyzed === 0 ? 0 : Math.round((weighted / linesAnalyzed) * 10_000) / 10;
  return summary;
}
