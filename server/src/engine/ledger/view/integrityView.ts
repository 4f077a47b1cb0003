/**
 * The chain's integrity as the view shows it: at the top of the page, and per entry (an entry
 * after the first break is listed, but marked: nothing vouches for it).
 */
import type { FirstBad, IntegrityProblem, VerifyResult } from "../verify";

export type IntegrityView =
  /** Verification is still running (it reads the whole file). */
  | { state: "checking" }
  /** There is no ledger file: nothing has been recorded. */
  | { state: "no-ledger" }
  | { state: "intact"; entries: number; head?: { seq: number; hash: string } }
  /** `messageId`: the stable id of the problem (docs/messages.md, ledger messages). */
  | { state: "broken"; entries: number; messageId: `ledger-${IntegrityProblem}`; firstBad: FirstBad }
  /** Verification itself failed (the file could not be read). */
  | { state: "unreadable"; reason: string };

/**
 * `verified`: the chain vouches for it; `first-bad`: the entry where the chain breaks;
 * `after-break`: listed, but nothing vouches for it; `unchecked`: verification has not finished.
 */
export type EntryTrust = "verified" | "first-bad" | "after-break" | "unchecked";

export function integrityViewOf(result: VerifyResult, ledgerExists: boolean): IntegrityView {
  if (!ledgerExists) return { state: "no-ledger" };
  if (result.intact) return { state: "intact", entries: result.entries, ...(result.head ? { head: result.head } : {}) };
  return { state: "broken", entries: result.entries, messageId: `ledger-${result.firstBad.problem}`, firstBad: result.firstBad };
}

/** `line`: the entry's 1-based line in the ledger file (verification names lines). */
export function trustOf(line: number | undefined, integrity: IntegrityView): EntryTrust {
  switch (integrity.state) {
    case "intact":
      return "verified";
    case "broken":
      if (line === undefined) return "unchecked";
      return line < integrity.firstBad.line ? "verified" : line === integrity.firstBad.line ? "first-bad" : "after-break";
    default:
      return "unchecked";
  }
}
