import * as vscode from "vscode";
import type { StatusParams } from "../../server/src/protocol/customMessages";

/** The language status item: analysis state and workspace health, next to the language mode. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem("selfheal.status", [
    { language: "typescript" },
    { language: "typescriptreact" },
    { language: "javascript" },
    { language: "javascriptreact" },
  ]);

  constructor() {
    this.item.name = "Self-Healing Code";
    this.item.command = { title: "Show Output", command: "selfheal.showOutput" };
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
  }

  stopped(reason?: string): void {
    this.item.busy = false;
    this.item.text = "Self-Healing: stopped";
    this.item.detail = reason;
    this.item.severity = vscode.LanguageStatusSeverity.Warning;
    this.item.command = { title: "Restart Server", command: "selfheal.restartServer" };
  }

  dispose(): void {
    this.item.dispose();
  }
}
