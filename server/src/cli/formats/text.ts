import type { CheckReport, ReportedFinding } from "./report";

/** The human format: findings grouped by file, then a per-rule tally and the totals. */
export function formatText(report: CheckReport, color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const severityColor: Record<string, number> = { error: 31, warning: 33, info: 36, hint: 90 };
  const lines: string[] = [];
  const byFile = new Map<string, ReportedFinding[]>();
  for (const finding of report.findings) {
    let list = byFile.get(finding.file);
    if (!list) byFile.set(finding.file, (list = []));
    list.push(finding);
  }
  for (const [file, findings] of byFile) {
    lines.push(paint(4, file));
    for (const finding of findings) {
      const where = `${finding.line}:${finding.column}`.padEnd(8);
      const severity = paint(severityColor[finding.severity], finding.severity.padEnd(7));
      lines.push(`  ${where} ${severity}  ${finding.message}  ${paint(90, finding.rule + (finding.fixable ? " (fixable)" : ""))}`);
    }
    lines.push("");
  }
  const byRule = new Map<string, number>();
  for (const finding of report.findings) byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  if (byRule.size > 0) {
    lines.push("By rule:");
    for (const [rule, count] of [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`  ${String(count).padStart(5)}  ${rule}`);
    lines.push("");
  }
  const { summary } = report;
  const total = report.findings.length;
  const headline =
    total === 0
      ? paint(32, "✔ no findings")
      : paint(summary.errors > 0 ? 31 : 33, `✖ ${total} finding${total === 1 ? "" : "s"} (${summary.errors} error${summary.errors === 1 ? "" : "s"}, ${summary.warnings} warning${summary.warnings === 1 ? "" : "s"}), ${summary.fixable} fixable`);
  lines.push(headline);
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  lines.push(`${plural(summary.filesAnalyzed, "file")}, ${plural(summary.linesAnalyzed, "line")} analyzed in ${(summary.durationMs / 1000).toFixed(2)} s; debt index ${summary.debtIndex} per 1,000 lines`);
  return lines.join("\n") + "\n";
}
