/**
 * Writing a change to the workspace so that it is always recorded: under the ledger lock, check
 * the ledger can take the entry and the files are still as planned, write the intent, write the
 * files (each atomically: temp file, fsync, rename), append the entry, clear the intent. A crash
 * anywhere in between leaves an intent that the next start-up reconciles. The CLI's rollback
 * uses this; the language server, whose client writes the files, uses the same intent calls
 * around `workspace/applyEdit`.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { appendLocked, assertAppendable, fsyncDirectory } from "./append";
import type { EntryDraft, LedgerEntry } from "./entry";
import { sha256Hex } from "./hashing";
import { clearIntent, writeIntent } from "./intents";
import { LedgerError } from "./ledgerError";
import { withLock, type LockOptions } from "./lock";
import { textHash, type FileEdit } from "./patches";
import { validateDraft } from "./validateDraft";
import { resolveInside, type LedgerLocation } from "./workspacePaths";

export async function applyRecordedChange(location: LedgerLocation, draft: EntryDraft, edits: readonly FileEdit[], options: LockOptions = {}): Promise<LedgerEntry> {
  validateDraft(draft);
  checkEditsMatchDraft(draft, edits);
  const targets = edits.map((edit) => ({ edit, file: resolveInside(location.root, edit.path) }));
  fs.mkdirSync(path.dirname(location.ledgerFile), { recursive: true });
  return withLock(
    location.lockFile,
    () => {
      assertAppendable(location.ledgerFile);
      for (const { edit, file } of targets) {
        if (currentHash(file) !== textHash(edit.before)) {
          throw new LedgerError("ledger-files-changed", `${edit.path} changed since the change was planned; nothing was written`);
        }
      }
      writeIntent(location, draft);
      const written: typeof targets = [];
      try {
        for (const target of targets) {
          writeContent(target.file, target.edit.after);
          written.push(target);
        }
        const entry = appendLocked(location.ledgerFile, draft);
        clearIntent(location, draft.id);
        return entry;
      } catch (error) {
        // Put back what was written; if that works too, nothing happened and the intent can go.
        try {
          for (const target of written.reverse()) writeContent(target.file, target.edit.before);
          clearIntent(location, draft.id);
        } catch {
          // The intent stays; reconcile reports the files' state at the next start.
        }
        throw error;
      }
    },
    options,
  );
}

function checkEditsMatchDraft(draft: EntryDraft, edits: readonly FileEdit[]): void {
  const planned = new Map(draft.files.map((file) => [file.path, file]));
  const mismatch = edits.find((edit) => {
    const file = planned.get(edit.path);
    return !file || file.sha256Before !== textHash(edit.before) || file.sha256After !== textHash(edit.after);
  });
  if (mismatch || edits.length !== draft.files.length) {
    throw new LedgerError("ledger-invalid-entry", `ledger entry ${draft.id}: its files do not match the edits to write${mismatch ? ` (${mismatch.path})` : ""}`);
  }
}

function currentHash(file: string): string | null {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Replaces a file's content atomically (or deletes it for null), keeping its mode. */
function writeContent(file: string, content: string | null): void {
  const directory = path.dirname(file);
  if (content === null) {
    fs.rmSync(file, { force: true });
    fsyncDirectory(directory);
    return;
  }
  fs.mkdirSync(directory, { recursive: true });
  const mode = fs.existsSync(file) ? fs.statSync(file).mode & 0o7777 : undefined;
  const temporary = path.join(directory, `.${path.basename(file)}.selfheal-${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fd = fs.openSync(temporary, "wx", mode);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The umask may have trimmed the mode given to open.
    if (mode !== undefined) fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncDirectory(directory);
}
