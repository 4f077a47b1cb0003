/**
 * Writing a recorded change through the editor. The CLI writes files itself
 * (`applyRecordedChange`); here the editor does, through `workspace/applyEdit`, and the server
 * brackets that with the ledger's intent protocol:
 *
 *   files still as planned? → intent → applyEdit → (answered applied) → saved to disk → entry → clear intent
 *
 * The ledger records bytes on disk, and an editor applies the edit to its buffers, so the change
 * is recorded once the files the change touched hold on disk what the buffers hold: at once with
 * an editor that writes the files, after `selfheal/saveDocuments` with the extension, or when the
 * user saves with any other editor (the entry waits; a crash meanwhile leaves the intent, which
 * the next start settles). What landed decides what is recorded:
 *
 * - every file has the planned content → the planned entry;
 * - every file still has its old content (the user closed the buffers without saving) → nothing;
 * - anything else (the preview applied part of the change, or the user edited before saving) →
 *   what really changed, saying so in the rationale, so no change that landed goes unrecorded.
 */
import { appendEntry } from "../engine/ledger/append";
import type { EntryDraft, LedgerEntry } from "../engine/ledger/entry";
import { clearIntent, writeIntent } from "../engine/ledger/intents";
import { LedgerError } from "../engine/ledger/ledgerError";
import { describeChange, type FileEdit } from "../engine/ledger/patches";
import { resolveInside, type LedgerLocation } from "../engine/ledger/workspacePaths";
import { normalizePath } from "../engine/workspace/paths";
import type { WorkspaceEdit } from "vscode-languageserver/node";
import { bufferMatchesDisk, diskHash, diskText } from "./diskFiles";
import { pathToUri } from "./uris";

/** What the writer needs from the editor connection. */
export interface EditorPort {
  applyEdit(edit: WorkspaceEdit, label: string): Promise<{ applied: boolean; failureReason?: string }>;
  /** Undefined when the client cannot save for us (then the user's save is awaited). */
  saveDocuments?(uris: string[]): Promise<{ failed: Array<{ uri: string; reason: string }> }>;
  /** The open buffer's text, or undefined when the file is not open in the editor. */
  bufferOf(file: string): string | undefined;
  /** Tells the user something that needs no answer. */
  inform(message: string): void;
}

export type WriteResult =
  | { status: "applied"; entry: LedgerEntry; /** The files hold something else than planned; `entry` records what they hold. */ partial: boolean }
  | { status: "stale"; message: string }
  | { status: "declined"; message: string };

export interface WriteRequest {
  location: LedgerLocation;
  draft: EntryDraft;
  /** Per file, the stored texts before and after (workspace-relative paths), matching the draft's hashes. */
  edits: readonly FileEdit[];
  edit: WorkspaceEdit;
  /** The change's name, for messages. */
  label: string;
}

interface Waiting {
  check(): void;
}

export class EditorWriter {
  private readonly waiting = new Set<Waiting>();

  constructor(private readonly port: EditorPort) {}

  async write(request: WriteRequest): Promise<WriteResult> {
    const { location, draft, edits } = request;
    const recorded = new Map(draft.files.map((file) => [file.path, file]));
    if (edits.length !== recorded.size || edits.some((edit) => !recorded.has(edit.path))) {
      throw new LedgerError("ledger-invalid-entry", `ledger entry ${draft.id}: its files do not match the edits to write`);
    }
    const files = edits.map((edit) => ({ edit, file: normalizePath(resolveInside(location.root, edit.path)), sha256Before: recorded.get(edit.path)!.sha256Before }));
    const changed = files.filter(({ file, sha256Before }) => diskHash(file) !== sha256Before).map(({ edit }) => edit.path);
    if (changed.length > 0) return { status: "stale", message: `${changed.join(", ")} changed on disk since the change was planned; nothing was applied` };

    writeIntent(location, draft);
    // Should this throw (no answer: the connection dropped), what the files hold is unknown: the intent stays for the next start to settle.
    const answer = await this.port.applyEdit(request.edit, request.label);
    if (!answer.applied) {
      clearIntent(location, draft.id);
      const why = answer.failureReason ? ` (${answer.failureReason})` : "";
      return { status: "declined", message: `the editor did not apply the edit${why}: the preview was cancelled, or the document changed meanwhile; nothing was recorded` };
    }

    const uris = files.map(({ file }) => pathToUri(file));
    if (this.port.saveDocuments) {
      const { failed } = await this.port.saveDocuments(uris);
      for (const failure of failed) this.port.inform(`editor-save-failed: could not save ${failure.uri} (${failure.reason}): save it to record "${request.label}" in the ledger`);
    }
    const landed = await this.whenSaved(files.map(({ file }) => file), () => this.port.inform(`editor-waiting-for-save: "${request.label}" is applied in the editor; save ${edits.map((edit) => edit.path).join(", ")} to record it in the ledger`));
    return this.record(location, draft, edits, landed);
  }

  /** Buffers or disk changed (didChange, didSave, didClose, a watched file): re-check the changes waiting for a save. */
  documentsChanged(): void {
    for (const waiting of [...this.waiting]) waiting.check();
  }

  /** Resolves with each file's text on disk once no open buffer of them differs from the disk. */
  private whenSaved(files: readonly string[], onWait: () => void): Promise<Array<string | null>> {
    const settled = () => files.every((file) => {
      const buffer = this.port.bufferOf(file);
      return buffer === undefined || bufferMatchesDisk(buffer, file);
    });
    const read = () => files.map((file) => diskText(file) ?? null);
    if (settled()) return Promise.resolve(read());
    onWait();
    return new Promise((resolve) => {
      const waiting: Waiting = {
        check: () => {
          if (!settled()) return;
          this.waiting.delete(waiting);
          resolve(read());
        },
      };
      this.waiting.add(waiting);
    });
  }

  private async record(location: LedgerLocation, draft: EntryDraft, edits: readonly FileEdit[], landed: ReadonlyArray<string | null>): Promise<WriteResult> {
    if (edits.every((edit, index) => landed[index] === edit.after)) {
      const entry = await appendEntry(location.ledgerFile, draft);
      clearIntent(location, draft.id);
      return { status: "applied", entry, partial: false };
    }
    const actual = edits.map((edit, index) => ({ path: edit.path, before: edit.before, after: landed[index] }));
    const change = describeChange(actual);
    if (change.files.length === 0) {
      clearIntent(location, draft.id);
      return { status: "declined", message: "the edit was applied in the editor but never saved (the files still hold their old content); nothing was recorded" };
    }
    const partialDraft: EntryDraft = {
      ...draft,
      rationale: `${draft.rationale} Only part of the planned change reached the files (changes were left out in the preview, or the files were edited before they were saved); this entry records what did, and the verification evidence is for the whole plan.`,
      ...(draft.plan ? { plan: { ...draft.plan, files: change.files.length, linesAdded: change.linesAdded, linesRemoved: change.linesRemoved } } : {}),
      files: change.files,
      forwardPatch: change.forwardPatch,
      rollbackPatch: change.rollbackPatch,
    };
    const entry = await appendEntry(location.ledgerFile, partialDraft);
    clearIntent(location, draft.id);
    return { status: "applied", entry, partial: true };
  }
}
