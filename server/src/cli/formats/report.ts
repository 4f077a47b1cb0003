import type { Finding, Severity } from "../../engine/findings";
import { summarizeHealth } from "../../engine/health";
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
  summary: {
    filesAnalyzed: number;
    linesAnalyzed: number;
    errors: number;
    warnings: number;
    infos: number;
    hints: number;
    fixable: number;
    /** Severity-weighted findings per 1,000 lines (error 10, warning 3, info 1, hint 0). */
    debtIndex: number;
    durationMs: number;
  };
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
