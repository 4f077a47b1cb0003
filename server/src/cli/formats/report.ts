import type { Finding, Severity } from "../../engine/findings";
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

const debtWeight: Record<Severity, number> = { error: 10, warning: 3, info: 1, hint: 0 };

export function buildReport(root: string, findings: Finding[], filesAnalyzed: number, linesAnalyzed: number, durationMs: number): CheckReport {
  const count = (severity: Severity) => findings.filter((finding) => finding.severity === severity).length;
  const weighted = findings.reduce((sum, finding) => sum + debtWeight[finding.severity], 0);
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
      errors: count("error"),
      warnings: count("warning"),
      infos: count("info"),
      hints: count("hint"),
      fixable: findings.filter((finding) => finding.fixes.length > 0).length,
      debtIndex: linesAnalyzed === 0 ? 0 : Math.round((weighted / linesAnalyzed) * 1000 * 10) / 10,
      durationMs,
    },
  };
}
