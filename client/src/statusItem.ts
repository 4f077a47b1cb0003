import * as vscode from "vscode";
import type { PolicyStatus, StatusParams } from "../../server/src/protocol/customMessages";
import { policyDocumentFilter } from "./languageClient";

/** Where the items show: next to the language mode of the files we analyze, and of the policy itself. */
const selector: vscode.DocumentSelector = [
  { language: "typescript" },
  { language: "typescriptreact" },
  { language: "javascript" },
  { language: "javascriptreact" },
  policyDocumentFilter,
];

/** The language status items: analysis state and workspace health, and which policy governs. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem("selfheal.status", selector);
  private readonly policyItem = vscode.languages.createLanguageStatusItem("selfheal.policy", selector);

  constructor() {
    this.item.name = "Self-Healing Code";
    this.item.command = { title: "Show Output", command: "selfheal.showOutput" };
    this.policyItem.name = "Self-Healing Code policy";
    this.policyItem.text = "Policy: loading";
  }

  starting(): void {
    this.item.text = "$(loading~spin) Self-Healing: starting";
    this.item.busy = true;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
  }

  update(status: StatusParams): void {
    this.item.busy = status.state === "analyzing";
    if (status.state === "analyzing") {
      this.item.text = `Self-Healing: analyzing ${status.done}/${status.total}`;
      this.item.severity = vscode.LanguageStatusSeverity.Information;
    } else if (status.state === "error") {
      this.item.text = "Self-Healing: analysis failed";
      this.item.detail = status.message;
      this.item.severity = vscode.LanguageStatusSeverity.Error;
    } else {
      this.item.text = `Self-Healing: debt ${status.debtIndex}`;
      this.item.detail = `${status.errors} errors, ${status.warnings} warnings; debt index = weighted findings per 1,000 lines`;
      this.item.severity = status.errors > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    }
    // Policies are loaded during the first analysis: before it ends the server cannot know them yet.
    if (status.state !== "analyzing" && status.policy) this.showPolicy(status.policy);
  }

  stopped(reason?: string): void {
    this.item.busy = false;
    this.item.text = "Self-Healing: stopped";
    this.item.detail = reason;
    this.item.severity = vscode.LanguageStatusSeverity.Warning;
    this.item.command = { title: "Restart Server", command: "selfheal.restartServer" };
    this.policyItem.text = "Policy: not checked";
    this.policyItem.detail = "The language server is not running.";
    this.policyItem.severity = vscode.LanguageStatusSeverity.Information;
    this.policyItem.command = undefined;
  }

  dispose(): void {
    this.item.dispose();
    this.policyItem.dispose();
  }

  private showPolicy(policy: PolicyStatus): void {
    const shown = policyItemContent(policy);
    this.policyItem.text = shown.text;
    this.policyItem.detail = shown.detail;
    this.policyItem.severity = shown.severity;
    this.policyItem.command = shown.command;
  }
}

/** What the policy item shows; a broken policy opens at its first error. */
function policyItemContent(policy: PolicyStatus): { text: string; detail: string; severity: vscode.LanguageStatusSeverity; command?: vscode.Command } {
  if (policy.state === "none" || !policy.file) {
    return { text: "Policy: recommended", detail: "No .selfheal/policy.yaml: the bundled recommended policy applies.", severity: vscode.LanguageStatusSeverity.Information };
  }
  const uri = vscode.Uri.file(policy.file);
  const name = vscode.workspace.asRelativePath(uri, false);
  if (policy.state === "valid") {
    return { text: `Policy: ${name}`, detail: "Severities, scope and what fixes may do follow this policy.", severity: vscode.LanguageStatusSeverity.Information, command: { title: "Open Policy", command: "vscode.open", arguments: [uri] } };
  }
  const line = Math.max((policy.line ?? 1) - 1, 0);
  return {
    text: `Policy broken: ${name}:${policy.line ?? 1}`,
    detail: `${policy.message ?? "The policy has errors"}. No automated fix is allowed until it is fixed; analysis uses its last good version.`,
    severity: vscode.LanguageStatusSeverity.Error,
    command: { title: "Open Policy", command: "vscode.open", arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) } satisfies vscode.TextDocumentShowOptions] },
  };
}
