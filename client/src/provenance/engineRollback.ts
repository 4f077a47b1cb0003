/**
 * Rolling an entry back with the engine itself, as `selfheal ledger rollback` does: settle
 * leftover intents, refuse on a ledger that is not intact, plan the rollback against the files
 * as they are now, and write the files and the `rollback` entry through `applyRecordedChange`.
 * The view uses this when the extension has no `selfheal.rollback` command (the language
 * server's), so a rollback works with the server down. No vscode import: unit-tested directly.
 */
import * as fs from "node:fs";
import type { Actor, LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { reconcileIntents } from "../../../server/src/engine/ledger/intents";
import { LedgerError } from "../../../server/src/engine/ledger/ledgerError";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { describeConflict, planRollback, rollbackDraft } from "../../../server/src/engine/ledger/rollback";
import { readLedger } from "../../../server/src/engine/ledger/verify";
import { resolveInside, type LedgerLocation } from "../../../server/src/engine/ledger/workspacePaths";

export interface EngineRollbackResult {
  undone: LedgerEntry;
  recorded: LedgerEntry;
  /** Every file was as the entry left it (otherwise the patch was applied around later edits). */
  exact: boolean;
  files: string[];
}

/** Throws a `LedgerError` (its id says why) when the rollback is refused; nothing is written then. */
export async function rollbackWithEngine(location: LedgerLocation, entryId: string, actor: Actor): Promise<EngineRollbackResult> {
  await reconcileIntents(location);
  const { entries, integrity } = await readLedger(location.ledgerFile);
  if (!integrity.intact) {
    const bad = integrity.firstBad;
    throw new LedgerError("ledger-not-intact", `refusing to roll back from a ledger that is not intact (ledger-${bad.problem} at line ${bad.line}: ${bad.detail}); its patches cannot be trusted to write files`);
  }
  const entry = entries.find((candidate) => candidate.predicate.id === entryId);
  if (!entry) throw new LedgerError("ledger-unknown-entry", `no entry has the id ${entryId}`);
  const plan = planRollback(entry, (relative) => readIfPresent(resolveInside(location.root, relative)), entries);
  if (!plan.ok) {
    throw new LedgerError(plan.id, plan.conflicts.length > 0 ? `${plan.message}\n${plan.conflicts.map(describeConflict).join("\n")}` : plan.message);
  }
  const recorded = await applyRecordedChange(location, rollbackDraft(entry, plan.edits, actor), plan.edits);
  return { undone: entry, recorded, exact: plan.exact, files: plan.edits.map((edit) => edit.path) };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
