import type { Finding, Severity } from "../../engine/findings";
import { type HealthSummary, summarizeHealth } from "../../engine/health";
import { relativePath } from "../../engine/workspace/paths";

/** A finding as the CLI's JSON output prints it: 1-based, relative to the checked folder. */
export interface ReportedFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  message: string;
  fixable: boolean;
}

export interface CheckReport {
  root: string;
  findings: ReportedFinding[];
  /** Field order is the JSON's order: counts first, then the health figures (see engine/health.ts). */
  summary: { filesAnalyzed: number; linesAnalyzed: number } & HealthSummary & { durationMs: number };
}

export function buildReport(root: string, findings: Finding[], filesAnalyzed: number, linesAnalyzed: number, durationMs: number): CheckReport {
  const health = summarizeHealth(findings, linesAnalyzed);
  return {
    root,
    findings: findings.map((finding) => ({
      rule: finding.ruleId,
      file: relativePath(finding.file, root),
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      severity: finding.severity,
      message: finding.message,
      fixable: finding.fixes.length > 0,
    })),
    summary: {
      filesAnalyzed,
      linesAnalyzed,
      ...health,
      durationMs,
    },
  };
}
