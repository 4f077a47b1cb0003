/**
 * The explicit way out of a torn tail. Appends refuse to build on a torn line (merging into it
 * would corrupt the next entry; dropping it would hide what a crash left behind), so a person or
 * the start-up path calls this: the torn bytes move to `ledger.jsonl.torn-<time>` and a
 * `reconcile` entry records that they did, with the moved file as its subject.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { appendLocked, fsyncDirectory } from "./append";
import { newEntryId, type Actor, type LedgerEntry } from "./entry";
import { sha256Hex } from "./hashing";
import { withLock, type LockOptions } from "./lock";
import { readTailOf } from "./tail";
import type { LedgerLocation } from "./workspacePaths";

export interface TornTailRepair {
  /** Absolute path of the file now holding the torn bytes. */
  movedTo: string;
  bytes: number;
  /** Why each moved line was torn, first line first. */
  reasons: string[];
  entry: LedgerEntry;
}

/** Moves a torn tail aside and records it; undefined when the tail is whole (nothing to do). */
export async function repairTornTail(location: LedgerLocation, actor: Actor, options: LockOptions = {}): Promise<TornTailRepair | undefined> {
  if (!fs.existsSync(location.ledgerFile)) return undefined;
  return withLock(
    location.lockFile,
    () => {
      const fd = fs.openSync(location.ledgerFile, "r+");
      let moved: { movedTo: string; bytes: number; reasons: string[] };
      try {
        const size = fs.fstatSync(fd).size;
        // Several torn lines in a row (a crash, then an edit) all go, so the chain can continue.
        let end = size;
        const reasons: string[] = [];
        for (let tail = readTailOf(fd, end); tail.state === "torn"; tail = readTailOf(fd, end)) {
          reasons.unshift(tail.reason);
          end = tail.offset;
        }
        if (end === size) return undefined;
        const torn = Buffer.alloc(size - end);
        fs.readSync(fd, torn, 0, torn.length, end);
        const movedTo = uniqueTornFile(location.ledgerFile);
        fs.writeFileSync(movedTo, torn, { flag: "wx" });
        const movedFd = fs.openSync(movedTo, "r");
        fs.fsyncSync(movedFd);
        fs.closeSync(movedFd);
        fsyncDirectory(path.dirname(movedTo));
        // Only after the bytes are safe elsewhere.
        fs.ftruncateSync(fd, end);
        fs.fsyncSync(fd);
        moved = { movedTo, bytes: torn.length, reasons };
      } finally {
        fs.closeSync(fd);
      }
      const relative = path.relative(location.root, moved.movedTo).split(path.sep).join("/");
      const entry = appendLocked(location.ledgerFile, {
        id: newEntryId(),
        time: new Date().toISOString(),
        actor,
        kind: "reconcile",
        rationale:
          `Moved ${moved.bytes} torn byte(s) from the end of the ledger to ${relative} (${moved.reasons.join("; ")}). ` +
          "They are kept for inspection; the chain continues from the last whole entry.",
        impact: [],
        files: [{ path: relative, sha256Before: null, sha256After: sha256Hex(fs.readFileSync(moved.movedTo)) }],
        forwardPatch: "",
        rollbackPatch: "",
      });
      return { ...moved, entry };
    },
    options,
  );
}

function uniqueTornFile(ledgerFile: string): string {
  // Colons are not allowed in Windows file names.
  const stamp = new Date().toISOString().replace(/:/g, "-");
  let candidate = `${ledgerFile}.torn-${stamp}`;
  for (let counter = 2; fs.existsSync(candidate); counter++) candidate = `${ledgerFile}.torn-${stamp}-${counter}`;
  return candidate;
}
