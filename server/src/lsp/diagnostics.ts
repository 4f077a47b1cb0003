import { type Diagnostic, DiagnosticSeverity } from "vscode-languageserver/node";
import { messageDocsUri, ruleDocsUri } from "../engine/docs";
import type { Finding, Severity } from "../engine/findings";
import { findRule } from "../engine/rules";
import { pathToUri } from "./uris";

const lspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries back to us in a code-action request. */
export interface DiagnosticData {
  ruleId: string;
}

export function toDiagnostic(finding: Finding, withRelatedInformation: boolean): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: lspSeverity[finding.severity],
    source: "selfheal",
    code: finding.ruleId,
    codeDescription: { href: findRule(finding.ruleId) ? ruleDocsUri(finding.ruleId) : messageDocsUri(finding.ruleId) },
    message: finding.message,
    data: { ruleId: finding.ruleId } satisfies DiagnosticData,
  };
  if (withRelatedInformation && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: { uri: pathToUri(related.file), range: related.range },
      message: related.message,
    }));
  }
  return diagnostic;
}
