/**
 * The ledgers of the open workspace, as the editor features need them: where each workspace
 * folder keeps its ledger (a policy's `ledger.path` may move it; a nested policy may keep its
 * own), finding an entry by id or prefix across them, and the entry list for the quick picks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Engine } from "../engine/analysis/engine";
import type { LedgerEntry } from "../engine/ledger/entry";
import { LedgerError } from "../engine/ledger/ledgerError";
import { describeBreak } from "../engine/ledger/rollbackEntry";
import { readLedger, type LedgerContents } from "../engine/ledger/verify";
import { ledgerLocation, type LedgerLocation } from "../engine/ledger/workspacePaths";
import { isUnder, normalizePath } from "../engine/workspace/paths";
import type { LedgerEntriesResult, LedgerEntrySummary } from "../protocol/customMessages";
import { pathToUri } from "./uris";

/** Every ledger the workspace's policies name, per workspace folder, without duplicates. */
export function ledgerLocationsOf(engine: Engine): LedgerLocation[] {
  const locations = new Map<string, LedgerLocation>();
  for (const folder of engine.workspace.folderList()) {
    // The folder's own policy (or the bundled one) and every nested policy inside the folder.
    const governed = [path.posix.join(folder, ".selfheal/policy.yaml"), ...engine.policies.policyFiles().filter((file) => isUnder(file, folder))];
    for (const file of governed) {
      const ledgerFile = normalizePath(engine.policies.governing(file).policy.ledgerPath.path);
      if (!isUnder(ledgerFile, folder) || locations.has(ledgerFile)) continue;
      // A nested folder that is itself a workspace folder keeps its ledgers under its own name.
      if (engine.workspace.folderList().some((other) => other !== folder && other.length > folder.length && isUnder(other, folder) && isUnder(ledgerFile, other))) continue;
      locations.set(ledgerFile, ledgerLocation(folder, path.posix.relative(folder, ledgerFile)));
    }
  }
  return [...locations.values()];
}

export interface FoundEntry {
  entry: LedgerEntry;
  location: LedgerLocation;
  contents: LedgerContents;
}

/**
 * The entry with this id, or the one entry whose id starts with it (4 characters or more), in any
 * of the ledgers (or only in `folder`'s). Throws `ledger-unknown-entry` / `ledger-ambiguous-entry`.
 */
export async function findEntry(locations: readonly LedgerLocation[], idOrPrefix: string, folder?: string): Promise<FoundEntry> {
  const candidates: FoundEntry[] = [];
  for (const location of locations) {
    if (folder !== undefined && normalizePath(location.root) !== normalizePath(folder)) continue;
    if (!fs.existsSync(location.ledgerFile)) continue;
    const contents = await readLedger(location.ledgerFile);
    const exact = contents.entries.find((entry) => entry.predicate.id === idOrPrefix);
    if (exact) return { entry: exact, location, contents };
    if (idOrPrefix.length < 4) continue;
    for (const entry of contents.entries) if (entry.predicate.id.startsWith(idOrPrefix)) candidates.push({ entry, location, contents });
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    const where = candidates.map(({ entry, location }) => `seq ${entry.predicate.chain.seq} in ${location.ledgerFile}`).join(", ");
    throw new LedgerError("ledger-ambiguous-entry", `${candidates.length} entries start with ${idOrPrefix} (${where}); give more of the id`);
  }
  const short = idOrPrefix.length < 4 ? " (a prefix needs at least 4 characters)" : "";
  throw new LedgerError("ledger-unknown-entry", `no entry has the id ${idOrPrefix}${short}; "Self-Healing Code: Roll Back a Ledger Entry" lists them`);
}

/** Every entry of every ledger, newest first, for a quick pick; a ledger that does not verify is named in `problems`. */
export async function listEntries(locations: readonly LedgerLocation[]): Promise<LedgerEntriesResult> {
  const entries: LedgerEntrySummary[] = [];
  const problems: string[] = [];
  for (const location of locations) {
    if (!fs.existsSync(location.ledgerFile)) continue;
    const { entries: found, integrity } = await readLedger(location.ledgerFile);
    if (!integrity.intact) problems.push(`${location.ledgerFile}: ${describeBreak(integrity.firstBad)}`);
    const undoneBy = new Map(found.filter((entry) => entry.predicate.undoes !== undefined).map((entry) => [entry.predicate.undoes as string, entry.predicate.chain.seq]));
    for (const entry of found) {
      const { id, chain, time, kind, rule, contract, actor, files } = entry.predicate;
      entries.push({
        folder: pathToUri(location.root),
        id,
        seq: chain.seq,
        time,
        kind,
        ...((rule ?? contract) !== undefined ? { rule: rule ?? contract } : {}),
        actor: `${actor.kind}:${actor.name}`,
        files: files.map((file) => file.path),
        ...(undoneBy.has(id) ? { undoneBySeq: undoneBy.get(id) } : {}),
      });
    }
  }
  entries.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : b.seq - a.seq));
  return { entries, problems };
}

/** `ledger-<problem>: line L, seq S, entry ID: detail`, as `selfheal ledger verify` prints it. */
