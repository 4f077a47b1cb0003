/**
 * Rolling a recorded entry back from the files on disk, the way every writer that is not the
 * editor does it (`selfheal ledger rollback`, the provenance view with the server down): settle
 * leftover intents, refuse on a ledger that is not intact, plan the rollback against the files as
 * they are now, and write the files and the `rollback` entry through `applyRecordedChange`.
 */
import * as fs from "node:fs";
import type { Actor, LedgerEntry } from "./entry";
import { reconcileIntents, type ReconcileOutcome } from "./intents";
import { LedgerError } from "./ledgerError";
import { applyRecordedChange } from "./recordedChange";
import { describeConflict, planRollback, rollbackDraft } from "./rollback";
import { readLedger, type FirstBad } from "./verify";
import { resolveInside, type LedgerLocation } from "./workspacePaths";

/** The shortest id prefix accepted: shorter ones match too much by chance. */
export const minimumIdPrefix = 4;

export interface RecordedRollback {
  undone: LedgerEntry;
  recorded: LedgerEntry;
  /** Every file was as the entry left it (otherwise the patch was applied around later edits). */
  exact: boolean;
  files: string[];
  /** Intents settled before the rollback (a change a crash left unrecorded). */
  reconciled: ReconcileOutcome[];
}

/** Throws a `LedgerError` (its id says why: conflict, already undone, not intact, unknown id…); nothing is written then. */
export async function rollbackRecordedEntry(location: LedgerLocation, idOrPrefix: string, actor: Actor, howToList: string): Promise<RecordedRollback> {
  // A change left half-recorded by a crash is settled first, so the rollback sees the whole history.
  const reconciled = await reconcileIntents(location);
  const { entries, integrity } = await readLedger(location.ledgerFile);
  if (!integrity.intact) {
    throw new LedgerError("ledger-not-intact", `refusing to roll back from a ledger that is not intact (${describeBreak(integrity.firstBad)}): its patches cannot be trusted to write files`);
  }
  const entry = entryByIdOrPrefix(entries, idOrPrefix, howToList);
  const plan = planRollback(entry, (relative) => readIfPresent(resolveInside(location.root, relative)), entries);
  if (!plan.ok) throw new LedgerError(plan.id, [plan.message, ...plan.conflicts.map((conflict) => `  ${describeConflict(conflict)}`)].join("\n"));
  const recorded = await applyRecordedChange(location, rollbackDraft(entry, plan.edits, actor), plan.edits);
  return { undone: entry, recorded, exact: plan.exact, files: plan.edits.map((edit) => edit.path), reconciled };
}

/** The entry with this id, or the only one whose id starts with it. `howToList` tells the user where the ids are. */
export function entryByIdOrPrefix(entries: readonly LedgerEntry[], idOrPrefix: string, howToList: string): LedgerEntry {
  const exact = entries.find((entry) => entry.predicate.id === idOrPrefix);
  if (exact) return exact;
  const matches = idOrPrefix.length >= minimumIdPrefix ? entries.filter((entry) => entry.predicate.id.startsWith(idOrPrefix)) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new LedgerError("ledger-ambiguous-entry", `${matches.length} entries start with ${idOrPrefix} (seq ${matches.map((entry) => entry.predicate.chain.seq).join(", ")}); give more of the id`);
  }
  const short = idOrPrefix.length < minimumIdPrefix ? ` (a prefix needs at least ${minimumIdPrefix} characters)` : "";
  throw new LedgerError("ledger-unknown-entry", `no entry has the id ${idOrPrefix}${short}; ${howToList}`);
}

/** Where and how a chain breaks, in one line, starting with the message id. */
export function describeBreak(bad: FirstBad): string {
  const where = [`line ${bad.line}`, bad.seq !== undefined ? `seq ${bad.seq}` : undefined, bad.id !== undefined ? `entry ${bad.id}` : undefined].filter(Boolean).join(", ");
  return `ledger-${bad.problem}: ${where}: ${bad.detail}`;
}

export function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
