/**
 * Planning a rollback, without touching the disk: the caller passes how to read a file.
 *
 * Per file: if it still has the content the entry left (its sha256After), the rollback patch is
 * applied exactly and must give back sha256Before (anything else means the entry contradicts
 * itself). If the file changed since, the patch is applied around the later edits: every hunk
 * must find its context and the lines it restores exactly (no fuzz), possibly moved up or down.
 * Otherwise the rollback is refused, naming each file and hunk that does not fit. An entry that a
 * later rollback already undid is refused outright.
 */
import { newEntryId, type Actor, type EntryDraft, type LedgerEntry } from "./entry";
import { sha256Hex } from "./hashing";
import type { LedgerMessageId } from "./ledgerError";
import { applyFilePatch, decodeText, describeChange, splitPatch, textHash, type FileEdit } from "./patches";
import { checkWorkspacePath } from "./workspacePaths";

/** The file's bytes now, or undefined when it does not exist. */
export type ReadWorkspaceFile = (relativePath: string) => Uint8Array | undefined;

export interface RollbackConflict {
  file: string;
  /** 0-based index of the hunk in the file's rollback patch; absent when the whole file is the problem (deleted since, not text). */
  hunk?: number;
  /** The hunk's header, e.g. `@@ -12,7 +12,6 @@`. */
  header?: string;
  reason: string;
}

export type RollbackPlan =
  /** `edits`: per file, the content now (`before`) and after the rollback (`after`; null = delete). `exact`: every file was as the entry left it. */
  | { ok: true; edits: FileEdit[]; exact: boolean }
  | { ok: false; id: LedgerMessageId; message: string; conflicts: RollbackConflict[] };

/** `history`: the ledger's entries (for "already undone"); required, so a caller cannot skip that check by leaving it out. */
export function planRollback(entry: LedgerEntry, readFile: ReadWorkspaceFile, history: readonly LedgerEntry[]): RollbackPlan {
  const { id, files } = entry.predicate;
  const undoneBy = history.find((other) => other.predicate.kind === "rollback" && other.predicate.undoes === id);
  if (undoneBy) {
    return refuse("ledger-rollback-already-undone", `entry ${id} was already rolled back by entry ${undoneBy.predicate.id} (seq ${undoneBy.predicate.chain.seq}, ${undoneBy.predicate.time}); rolling it back twice is refused`);
  }
  if (entry.predicate.kind === "reconcile" || files.length === 0) {
    return refuse("ledger-rollback-nothing", `entry ${id} (${entry.predicate.kind}) changed no workspace file; there is nothing to roll back`);
  }

  let patches: ReturnType<typeof splitPatch>;
  try {
    patches = splitPatch(entry.predicate.rollbackPatch);
  } catch (error) {
    return refuse("ledger-rollback-inconsistent", `entry ${id}'s rollback patch does not parse: ${(error as Error).message}`);
  }

  const edits: FileEdit[] = [];
  const conflicts: RollbackConflict[] = [];
  const inconsistencies: RollbackConflict[] = [];
  let exact = true;
  for (const file of files) {
    try {
      checkWorkspacePath(file.path);
    } catch (error) {
      return refuse("ledger-path-outside", `entry ${id}: ${(error as Error).message}`);
    }
    const bytes = readFile(file.path);
    const currentHash = bytes === undefined ? null : sha256Hex(bytes);
    let current: string | null;
    try {
      current = bytes === undefined ? null : decodeText(bytes, file.path);
    } catch (error) {
      conflicts.push({ file: file.path, reason: (error as Error).message });
      continue;
    }
    const patch = patches.get(file.path);

    if (currentHash === file.sha256After) {
      // As the entry left it: the patch must undo it exactly, back to the recorded hash.
      const base = current ?? "";
      const restored = patch ? applyFilePatch(base, patch) : ({ ok: true, text: base } as const);
      const restoredHash = restored.ok ? (file.sha256Before === null && restored.text === "" ? null : textHash(restored.text)) : undefined;
      if (!restored.ok || restoredHash !== file.sha256Before) {
        inconsistencies.push({
          file: file.path,
          ...(restored.ok ? {} : { hunk: restored.hunk, header: restored.header }),
          reason: "the file is exactly as the entry left it, yet the entry's rollback patch does not give back the content it recorded from before the change",
        });
        continue;
      }
      edits.push({ path: file.path, before: current, after: file.sha256Before === null ? null : restored.text });
      continue;
    }

    exact = false;
    if (current === null) {
      conflicts.push({ file: file.path, reason: "the file was deleted after the change" });
    } else if (file.sha256After === null) {
      conflicts.push({ file: file.path, reason: "the change deleted this file and a file exists there again" });
    } else if (file.sha256Before === null) {
      conflicts.push({ file: file.path, reason: "the change created this file and it was edited since; deleting it would lose those edits" });
    } else if (!patch) {
      inconsistencies.push({ file: file.path, reason: "the entry has no rollback patch for this file" });
    } else {
      const result = applyFilePatch(current, patch);
      if (result.ok) edits.push({ path: file.path, before: current, after: result.text });
      else {
        const reason =
          currentHash === file.sha256Before
            ? "the file already has its content from before the change"
            : `hunk ${result.hunk + 1} of ${patch.hunks.length} no longer fits: the lines it restores, or its context, were edited after the change`;
        conflicts.push({ file: file.path, hunk: result.hunk, header: result.header, reason });
      }
    }
  }

  if (inconsistencies.length > 0) {
    return refuse("ledger-rollback-inconsistent", `entry ${id} contradicts itself: ${inconsistencies.map(describeConflict).join("; ")}`, inconsistencies);
  }
  if (conflicts.length > 0) {
    return refuse("ledger-rollback-conflict", `entry ${id} cannot be rolled back: ${conflicts.map(describeConflict).join("; ")}`, conflicts);
  }
  return { ok: true, edits, exact };
}

export function describeConflict(conflict: RollbackConflict): string {
  const where = conflict.hunk === undefined ? conflict.file : `${conflict.file} hunk ${conflict.hunk + 1} ${conflict.header}`;
  return `${where}: ${conflict.reason}`;
}

/** The ledger entry recording a planned rollback: its patches are computed from the files as they are now, so they undo exactly what it does. */
export function rollbackDraft(entry: LedgerEntry, edits: readonly FileEdit[], actor: Actor, time = new Date()): EntryDraft {
  const undone = entry.predicate;
  const change = describeChange(edits);
  return {
    id: newEntryId(),
    time: time.toISOString(),
    actor,
    kind: "rollback",
    ...(undone.rule !== undefined ? { rule: undone.rule } : {}),
    ...(undone.contract !== undefined ? { contract: undone.contract } : {}),
    rationale: `Rolls back entry ${undone.id} (seq ${undone.chain.seq}, ${undone.kind}${undone.rule ? ` ${undone.rule}` : ""}): ${undone.rationale}`,
    plan: {
      planId: `rollback:${undone.id}`,
      files: change.files.length,
      linesAdded: change.linesAdded,
      linesRemoved: change.linesRemoved,
      exportedApiTouched: undone.plan?.exportedApiTouched ?? false,
      protectedPathsTouched: undone.plan?.protectedPathsTouched ?? [],
    },
    impact: undone.impact,
    files: change.files,
    forwardPatch: change.forwardPatch,
    rollbackPatch: change.rollbackPatch,
    undoes: undone.id,
  };
}

function refuse(id: LedgerMessageId, message: string, conflicts: RollbackConflict[] = []): RollbackPlan {
  return { ok: false, id, message, conflicts };
}
