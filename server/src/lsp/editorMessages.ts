/**
 * Stable ids of the messages the editor side of the pipeline adds to the engine's own (pipeline
 * and ledger ids pass through unchanged). Documented in docs/messages.md, "Editor messages".
 */
export type EditorMessageId =
  | "editor-bad-arguments" // a command or preview request with a missing or malformed argument
  | "editor-document-changed" // the document changed since the action was offered: nothing applied
  | "editor-finding-gone" // the finding (or the fix) the action names is not in the current analysis
  | "editor-unsaved-files" // a file has unsaved changes and the editor cannot save it for us
  | "editor-cannot-apply-edits" // the editor cannot apply this edit (no applyEdit, no file creation…)
  | "editor-waiting-for-save" // applied in the editor's buffers; recorded once the files are saved
  | "editor-save-failed" // the extension could not save a file the change touched
  | "editor-applied-in-part" // only part of the change reached the files; what did is recorded
  | "editor-rollback-applied" // the rollback was applied and recorded
  | "editor-rollback-not-applied" // the user cancelled the rollback's preview
  | "editor-preview-unavailable" // nothing to preview (the entry's file changed beyond the patch, …)
  | "editor-ledger-torn" // at start-up: a ledger ends in a torn line; `selfheal ledger repair`
  | "editor-intents-unsettled" // at start-up: changes written but not recorded need a person
  | "editor-internal-error"; // a bug: logged with its stack

/** A refusal with its id: the caller tells the user; nothing was changed. */
export class EditorError extends Error {
  constructor(
    readonly id: EditorMessageId,
    message: string,
  ) {
    super(message);
    this.name = "EditorError";
  }
}
