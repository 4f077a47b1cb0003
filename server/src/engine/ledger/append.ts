/**
 * Appending to the ledger: under the lock, read the tail, chain the entry to it, write one line
 * with a single write and fdatasync it. O_APPEND puts the line at the end even if a writer that
 * lost its lock (see lock.ts) were still writing, and one write per entry means a crash leaves
 * at most one torn last line, which the next append refuses to build on (see `repairTornTail`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { genesisHash, type EntryDraft, type LedgerEntry } from "./entry";
import { entryLine, sealEntry } from "./hashing";
import { LedgerError } from "./ledgerError";
import { withLock, type LockOptions } from "./lock";
import { readTail, readTailOf, type LedgerTail } from "./tail";
import { validateDraft } from "./validateDraft";
import { lockFileOf } from "./workspacePaths";

export async function appendEntry(ledgerFile: string, draft: EntryDraft, options: LockOptions = {}): Promise<LedgerEntry> {
  validateDraft(draft);
  fs.mkdirSync(path.dirname(ledgerFile), { recursive: true });
  return withLock(lockFileOf(ledgerFile), () => appendLocked(ledgerFile, draft), options);
}

/** The append itself; the caller holds the ledger lock (reconcile and rollback hold it across more than one step). */
export function appendLocked(ledgerFile: string, draft: EntryDraft): LedgerEntry {
  validateDraft(draft);
  const existed = fs.existsSync(ledgerFile);
  const fd = fs.openSync(ledgerFile, "a+");
  try {
    const tail = readTailOf(fd);
    refuseTorn(ledgerFile, tail);
    const entry = tail.state === "ok" ? sealEntry(draft, tail.seq + 1, tail.hash) : sealEntry(draft, 1, genesisHash);
    writeFully(fd, Buffer.from(entryLine(entry), "utf8"));
    // fdatasync flushes the data and the new size (all that reading the line back needs) but not the mtime, so it waits less than fsync.
    fs.fdatasyncSync(fd);
    if (!existed) fsyncDirectory(path.dirname(ledgerFile));
    return entry;
  } finally {
    fs.closeSync(fd);
  }
}

/** Fails early, before any file is written, when the entry for a change could not be appended. */
export function assertAppendable(ledgerFile: string): void {
  refuseTorn(ledgerFile, readTail(ledgerFile));
}

function refuseTorn(ledgerFile: string, tail: LedgerTail): asserts tail is Exclude<LedgerTail, { state: "torn" }> {
  if (tail.state === "torn") {
    throw new LedgerError(
      "ledger-torn",
      `${ledgerFile} ends in a torn line (${tail.bytes} bytes from byte ${tail.offset}): ${tail.reason}. Nothing is appended after it; ` +
        "`repairTornTail` (selfheal ledger repair) moves those bytes aside and records that it did.",
    );
  }
}

function writeFully(fd: number, bytes: Buffer): void {
  // One write call in practice; the loop only matters if the kernel takes part of it.
  let written = 0;
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
}

/** Makes a newly created file's directory entry durable too (a no-op where directories cannot be opened, e.g. Windows). */
export function fsyncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, "r");
    fs.fsyncSync(fd);
  } catch {
    // Not supported on this platform: the file's own fsync is the best we can do.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
