/**
 * The files as the ledger sees them: bytes on disk. The editor's buffers may differ (unsaved
 * edits), and a UTF-8 byte order mark is on disk but not in the buffer, so each comparison
 * between the two is made here, once.
 */
import * as fs from "node:fs";
import { sha256Hex } from "../engine/ledger/hashing";

const bom = "\uFEFF";

/** The file's bytes, or undefined when it does not exist. */
export function readBytes(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    throw error;
  }
}

/** sha256 of the file's bytes; null when it does not exist (as the ledger records a missing side). */
export function diskHash(file: string): string | null {
  const bytes = readBytes(file);
  return bytes === undefined ? null : sha256Hex(bytes);
}

/** The file's text as stored, a byte order mark included; undefined when it does not exist. */
export function diskText(file: string): string | undefined {
  return readBytes(file)?.toString("utf8");
}

/** Editors show a UTF-8 file without its byte order mark and write it back on save. */
export function withoutBom(text: string): string {
  return text.startsWith(bom) ? text.slice(1) : text;
}

/** Whether an editor buffer holds what the disk holds (so saving it would change nothing). */
export function bufferMatchesDisk(buffer: string, file: string): boolean {
  const stored = diskText(file);
  return stored !== undefined && withoutBom(stored) === buffer;
}
