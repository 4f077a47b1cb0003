/**
 * Unified diffs for the ledger: creating the forward and rollback patch of a change, and applying
 * a recorded patch to a file as it is now.
 *
 * Built on jsdiff (`diff` 9): maintained, no dependencies, runs on any Node (engines >= 0.3.1),
 * ships its own types, and reads and writes git-style quoted file names. Its applyPatch only
 * says "false" when a patch does not fit, so `applyFilePatch` re-applies growing prefixes of the
 * hunks to name the one that failed. We always call it with `fuzzFactor: 0` (every context and
 * removed line must match exactly; a hunk may only move up or down, as `patch` does with an
 * offset) and `autoConvertLineEndings: false` (a CRLF/LF difference is a real difference: the
 * round trip must give back the exact bytes).
 */
import { applyPatch, createTwoFilesPatch, FILE_HEADERS_ONLY, parsePatch, type StructuredPatch, type StructuredPatchHunk } from "diff";
import type { FileChange } from "./entry";
import { sha256Hex } from "./hashing";
import { LedgerError } from "./ledgerError";

/** A file's content before and after a change; null = the file does not exist on that side. */
export interface FileEdit {
  /** Workspace-relative, forward slashes. */
  path: string;
  before: string | null;
  after: string | null;
}

export interface ChangeDescription {
  files: FileChange[];
  forwardPatch: string;
  rollbackPatch: string;
  linesAdded: number;
  linesRemoved: number;
}

export function textHash(text: string | null): string | null {
  return text === null ? null : sha256Hex(text);
}

/**
 * A file's bytes as text, refusing what would not survive the round trip: the ledger stores
 * patches as text, and a file that is not valid UTF-8 could not be restored byte for byte.
 * A BOM is kept (it is a character of the text).
 */
export function decodeText(bytes: Uint8Array, path: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(buffer)) {
    throw new LedgerError("ledger-not-text", `${path} is not valid UTF-8 text; the ledger records and rolls back text changes only`);
  }
  return text;
}

/** One file's unified diff with git-style `a/` `b/` names (`/dev/null` for a missing side); "" when nothing changes. */
export function filePatch(path: string, before: string | null, after: string | null): string {
  if (before === after) return "";
  const oldName = before === null ? "/dev/null" : `a/${path}`;
  const newName = after === null ? "/dev/null" : `b/${path}`;
  // Three lines of context, as `diff -u` and git write: more would make later edits nearby conflict needlessly.
  return createTwoFilesPatch(oldName, newName, before ?? "", after ?? "", undefined, undefined, { headerOptions: FILE_HEADERS_ONLY, context: 3 });
}

/** The forward and rollback patch and the per-file hashes of a set of edits; files that do not change are left out. */
export function describeChange(edits: readonly FileEdit[]): ChangeDescription {
  const changed = edits.filter((edit) => edit.before !== edit.after);
  const forward = changed.map((edit) => filePatch(edit.path, edit.before, edit.after)).filter((patch) => patch !== "");
  const rollback = changed.map((edit) => filePatch(edit.path, edit.after, edit.before)).filter((patch) => patch !== "");
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const patch of forward) {
    for (const hunk of parsePatch(patch).flatMap((index) => index.hunks)) {
      for (const line of hunk.lines) {
        if (line.startsWith("+")) linesAdded++;
        else if (line.startsWith("-")) linesRemoved++;
      }
    }
  }
  return {
    files: changed.map((edit) => ({ path: edit.path, sha256Before: textHash(edit.before), sha256After: textHash(edit.after) })),
    forwardPatch: forward.join(""),
    rollbackPatch: rollback.join(""),
    linesAdded,
    linesRemoved,
  };
}

/** A recorded multi-file patch, split by the workspace-relative path each part changes. */
export function splitPatch(patch: string): Map<string, StructuredPatch> {
  const parts = new Map<string, StructuredPatch>();
  if (patch === "") return parts;
  for (const index of parsePatch(patch)) {
    const name = index.newFileName && index.newFileName !== "/dev/null" ? index.newFileName : index.oldFileName;
    if (!name || name === "/dev/null") {
      if (index.hunks.length === 0) continue;
      throw new LedgerError("ledger-malformed", "a patch has hunks without a file name");
    }
    parts.set(name.replace(/^[ab]\//, ""), index);
  }
  return parts;
}

/** The hunk's header as it reads in the patch, e.g. `@@ -12,7 +12,6 @@`. */
export function hunkHeader(hunk: StructuredPatchHunk): string {
  // Unified diff quirk (as jsdiff's formatPatch writes it): an empty side names the line before it.
  const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
  return `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`;
}

export type PatchResult = { ok: true; text: string } | { ok: false; hunk: number; header: string };

const strict = { fuzzFactor: 0, autoConvertLineEndings: false } as const;

/** Applies one file's patch exactly (no fuzz; a hunk may sit at another line). On failure, names the first hunk that does not fit (0-based). */
export function applyFilePatch(text: string, patch: StructuredPatch): PatchResult {
  const patched = applyPatch(text, patch, strict);
  if (patched !== false) return { ok: true, text: patched };
  // Hunks are placed in order, each after the previous one, so the first prefix that fails ends with the culprit.
  const failing = patch.hunks.findIndex((_, index) => applyPatch(text, { ...patch, hunks: patch.hunks.slice(0, index + 1) }, strict) === false);
  const hunk = failing === -1 ? patch.hunks.length - 1 : failing;
  return { ok: false, hunk, header: hunkHeader(patch.hunks[hunk]) };
}
