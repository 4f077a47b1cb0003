/**
 * Intents close the gap between writing files and recording the change: a crash in between must
 * not leave a change nobody recorded. Before the files are written, `writeIntent` saves the
 * entry-to-be (with every file's planned hash before and after) under `.selfheal/intents/`;
 * after the entry is appended, `clearIntent` removes it. At start-up `reconcileIntents` settles
 * whatever is left by looking at the files: all as planned → record the entry (`reconciled`);
 * all as before → the change never landed; anything else → a conflict for a person to resolve.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendLocked, assertAppendable, fsyncDirectory } from "./append";
import type { EntryDraft, LedgerEntry } from "./entry";
import { sha256Hex } from "./hashing";
import { forEachLedgerLine } from "./ledgerLines";
import { LedgerError, type LedgerMessageId } from "./ledgerError";
import { isProcessAlive, withLock, type LockOptions } from "./lock";
import { validateDraft } from "./validateDraft";
import { resolveInside, type LedgerLocation } from "./workspacePaths";

export interface Intent {
  version: 1;
  /** The id of the entry-to-be. */
  id: string;
  createdAt: string;
  /** The process writing the change: while it runs, its intent is work in progress, not a leftover. */
  owner: { pid: number; hostname: string };
  entry: EntryDraft;
}

export interface ReconcileOutcome {
  id: LedgerMessageId;
  /** The intent's (and entry-to-be's) id. */
  intent: string;
  /** A full sentence for the output channel or the terminal. */
  message: string;
  /** The entry appended, for `ledger-intent-recorded`. */
  entry?: LedgerEntry;
}

/**
 * Intents this process has written and not cleared: its own changes in flight (waiting for the
 * client to apply an edit, say). Reconciling must not take them for a dead writer's leftovers
 * just because their pid is ours.
 */
const inFlight = new Set<string>();

export function intentFile(location: LedgerLocation, id: string): string {
  return path.join(location.intentsDir, `${id}.json`);
}

/**
 * Saves the entry-to-be before any file is written. Refuses, before anything changes, when the
 * ledger could not take the entry afterwards (a torn tail), or when the draft is invalid.
 */
export function writeIntent(location: LedgerLocation, draft: EntryDraft): Intent {
  validateDraft(draft);
  assertAppendable(location.ledgerFile);
  const intent: Intent = { version: 1, id: draft.id, createdAt: new Date().toISOString(), owner: { pid: process.pid, hostname: os.hostname() }, entry: draft };
  fs.mkdirSync(location.intentsDir, { recursive: true });
  const file = intentFile(location, draft.id);
  // Write then rename, so a crash leaves either no intent or a whole one.
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w");
  try {
    fs.writeSync(fd, JSON.stringify(intent, null, 2) + "\n");
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  fsyncDirectory(location.intentsDir);
  inFlight.add(intentFile(location, draft.id));
  return intent;
}

export function clearIntent(location: LedgerLocation, id: string): void {
  fs.rmSync(intentFile(location, id), { force: true });
  inFlight.delete(intentFile(location, id));
  fsyncDirectory(location.intentsDir);
}

/** Ids of the intents waiting in the folder (without settling them). */
export function pendingIntents(location: LedgerLocation): string[] {
  try {
    return fs
      .readdirSync(location.intentsDir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export interface ReconcileOptions extends LockOptions {
  /**
   * Whether the writer of an intent is still at work. Default: the intent is this process's own
   * change in flight, or its pid is another process on this host that still runs.
   */
  isOwnerAlive?: (intent: Intent, file: string) => boolean;
}

/** Settles every leftover intent; see the module comment. Intents of running writers are left alone. */
export async function reconcileIntents(location: LedgerLocation, options: ReconcileOptions = {}): Promise<ReconcileOutcome[]> {
  const isOwnerAlive = options.isOwnerAlive ?? defaultIsOwnerAlive;
  const outcomes: ReconcileOutcome[] = [];
  for (const id of pendingIntents(location)) {
    const file = intentFile(location, id);
    const intent = readIntent(file, id);
    if (typeof intent === "string") {
      outcomes.push({ id: "ledger-intent-unreadable", intent: id, message: `intent ${id} (${file}) could not be read: ${intent}; it is kept for inspection` });
      continue;
    }
    if (isOwnerAlive(intent, file)) {
      outcomes.push({ id: "ledger-intent-in-progress", intent: id, message: `intent ${id} belongs to pid ${intent.owner.pid}, which is still running; left alone` });
      continue;
    }
    try {
      const outcome = await withLock(location.lockFile, () => settle(location, intent), options);
      if (outcome) outcomes.push(outcome);
    } catch (error) {
      // One bad intent (a path that leads outside the workspace, a torn ledger) must not stop the others.
      if (!(error instanceof LedgerError)) throw error;
      outcomes.push({ id: error.id, intent: id, message: `intent ${id} could not be settled: ${error.message}; it is kept` });
    }
  }
  return outcomes;
}

async function settle(location: LedgerLocation, intent: Intent): Promise<ReconcileOutcome | undefined> {
  const { id, entry: draft } = intent;
  // Another process may have settled it while we waited for the lock.
  if (!fs.existsSync(intentFile(location, id))) return undefined;
  if (await ledgerHasEntry(location.ledgerFile, id)) {
    clearIntent(location, id);
    return { id: "ledger-intent-already-recorded", intent: id, message: `intent ${id} was already recorded in the ledger (its writer stopped before removing it); removed` };
  }
  const states = draft.files.map((file) => {
    const current = currentHash(location.root, file.path);
    return { path: file.path, current, after: current === file.sha256After, before: current === file.sha256Before };
  });
  const what = describeDraft(draft);
  if (states.every((state) => state.after)) {
    const entry = appendLocked(location.ledgerFile, { ...draft, reconciled: true });
    clearIntent(location, id);
    return { id: "ledger-intent-recorded", intent: id, entry, message: `${what} was written but not recorded (its writer stopped); the files match it, so it is now recorded as entry ${entry.predicate.chain.seq}` };
  }
  if (states.every((state) => state.before)) {
    clearIntent(location, id);
    return { id: "ledger-intent-not-applied", intent: id, message: `${what} never reached the files (they still have their content from before it); its intent was removed` };
  }
  const details = states.map((state) => `${state.path}: ${state.after ? "as planned after the change" : state.before ? "as before the change" : state.current === null ? "missing" : `neither (sha256 ${state.current.slice(0, 12)}…)`}`);
  return {
    id: "ledger-intent-conflict",
    intent: id,
    message: `${what} is only partly in the files (${details.join("; ")}); nothing was recorded or removed: check the files, then delete ${path.relative(location.root, intentFile(location, id))}`,
  };
}

function describeDraft(draft: EntryDraft): string {
  const files = draft.files.map((file) => file.path).join(", ");
  return `change ${draft.id} (${draft.kind}${draft.rule ? ` ${draft.rule}` : ""} on ${files})`;
}

function readIntent(file: string, id: string): Intent | string {
  let intent: Intent;
  try {
    intent = JSON.parse(fs.readFileSync(file, "utf8")) as Intent;
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (intent?.version !== 1 || intent.id !== id || intent.entry?.id !== id || !intent.owner) return "not an intent of this version, or its id does not match its file name";
  try {
    validateDraft(intent.entry);
  } catch (error) {
    return (error as Error).message;
  }
  return intent;
}

function currentHash(root: string, relative: string): string | null {
  try {
    return sha256Hex(fs.readFileSync(resolveInside(root, relative)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "EISDIR") return null;
    throw error;
  }
}

function defaultIsOwnerAlive(intent: Intent, file: string): boolean {
  if (inFlight.has(file)) return true;
  // Our pid on an intent we are not writing: a previous process's whose number came back, or a change of ours that failed half-way.
  const { owner } = intent;
  return owner.hostname === os.hostname() && owner.pid !== process.pid && isProcessAlive(owner.pid);
}

/** Whether an entry with this id is in the ledger. Canonical lines spell it `"id":"<id>"`, so most lines are skipped unparsed. */
export async function ledgerHasEntry(ledgerFile: string, id: string): Promise<boolean> {
  const needle = Buffer.from(`"id":${JSON.stringify(id)}`);
  let found = false;
  await forEachLedgerLine(ledgerFile, (line) => {
    if (found || line.bytes.indexOf(needle) === -1) return;
    try {
      found = (JSON.parse(line.bytes.toString("utf8")) as LedgerEntry).predicate?.id === id;
    } catch {
      // A torn or malformed line records nothing.
    }
  });
  return found;
}
