/**
 * At start-up (and when a workspace folder or a policy names a new ledger): settle what a crash
 * left in each ledger. Intents of changes written but not recorded are reconciled (recorded,
 * dropped, or kept as a conflict for a person), and a torn last line, which blocks every later
 * append, is reported with the command that repairs it. Each ledger is settled once per server.
 */
import * as path from "node:path";
import { reconcileIntents, type ReconcileOutcome } from "../engine/ledger/intents";
import { readTail } from "../engine/ledger/tail";
import type { LedgerLocation } from "../engine/ledger/workspacePaths";

export interface StartupReport {
  /** Every outcome, one line each, for the output channel. */
  logs: Array<{ level: "info" | "warn"; message: string }>;
  /** What the user is shown: at most one message per torn ledger, and one for all unsettled intents. */
  warnings: string[];
}

/** Outcomes that settled the intent; anything else needs a person. */
const settledIds = new Set<string>(["ledger-intent-recorded", "ledger-intent-not-applied", "ledger-intent-already-recorded", "ledger-intent-in-progress"]);

export class LedgerStartup {
  private readonly seen = new Set<string>();

  async settle(locations: readonly LedgerLocation[]): Promise<StartupReport> {
    const report: StartupReport = { logs: [], warnings: [] };
    const unsettled: Array<{ location: LedgerLocation; outcome: ReconcileOutcome }> = [];
    for (const location of locations) {
      if (this.seen.has(location.ledgerFile)) continue;
      this.seen.add(location.ledgerFile);
      try {
        const tail = readTail(location.ledgerFile);
        if (tail.state === "torn") {
          const message = `editor-ledger-torn: ${location.ledgerFile} ends in a torn line (${tail.reason}; ${tail.bytes} bytes): no change can be recorded there until it is repaired. Run \`selfheal ledger repair ${location.root}\`: it moves the torn bytes aside, byte for byte, and records that.`;
          report.logs.push({ level: "warn", message });
          report.warnings.push(message);
        }
        for (const outcome of await reconcileIntents(location)) {
          const settled = settledIds.has(outcome.id);
          report.logs.push({ level: settled ? "info" : "warn", message: `${outcome.id}: ${outcome.message}` });
          if (!settled) unsettled.push({ location, outcome });
        }
      } catch (error) {
        report.logs.push({ level: "warn", message: `could not settle the ledger ${location.ledgerFile}: ${(error as Error).message}` });
      }
    }
    if (unsettled.length > 0) {
      const where = [...new Set(unsettled.map(({ location }) => path.relative(location.root, location.intentsDir) || location.intentsDir))].join(", ");
      const first = unsettled[0].outcome;
      const more = unsettled.length > 1 ? ` (and ${unsettled.length - 1} more; see the output channel)` : "";
      report.warnings.push(`editor-intents-unsettled: ${unsettled.length} change(s) written without being recorded could not be settled (${where}): ${first.id}: ${first.message}${more}`);
    }
    return report;
  }
}
