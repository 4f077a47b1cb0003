/**
 * `selfheal/status`: what the status bar shows (analyzing or idle, the workspace's findings and
 * debt index, the policies in force).
 */
import type { Connection } from "vscode-languageserver/node";
import type { Engine } from "../engine/analysis/engine";
import { summarizeHealth } from "../engine/health";
import { statusNotification, type StatusParams } from "../protocol/customMessages";
import { policyStatusOf } from "./policyStatus";

export class StatusNotifier {
  private lastStatusLines = { at: 0, lines: 0 };

  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
  ) {}

  send(state: StatusParams["state"], done = 0, total = 0, message?: string): void {
    // Counting lines reads every file's text: fine once every two seconds, not per keystroke.
    if (Date.now() - this.lastStatusLines.at > 2000) this.lastStatusLines = { at: Date.now(), lines: this.engine.linesAnalyzed() };
    const { errors, warnings, debtIndex } = summarizeHealth(this.engine.allFindings(), this.lastStatusLines.lines);
    void this.connection.sendNotification(statusNotification, { state, done, total, errors, warnings, debtIndex, message, policy: policyStatusOf(this.engine.policies) });
  }
}
