/**
 * The `WorkspaceEdit` the server sends with `workspace/applyEdit` for a planned change or a
 * rollback. Pure: everything about the client comes in as `EditCapabilities`.
 *
 * A change the policy sends to review carries a change annotation with `needsConfirmation`, which
 * makes VS Code open its refactor preview instead of applying at once. Open documents are named
 * with the version the change was planned against, so an editor refuses the edit if the user
 * typed in between rather than applying it at the wrong place.
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import type { AnnotatedTextEdit, ChangeAnnotation, CreateFile, DeleteFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from "vscode-languageserver/node";
import { withoutBom } from "./diskFiles";

export interface EditCapabilities {
  /** `workspace.workspaceEdit.documentChanges`: versioned document edits. */
  documentChanges: boolean;
  /** `workspace.workspaceEdit.changeAnnotationSupport`: the client honours `needsConfirmation`. */
  changeAnnotations: boolean;
  /** `workspace.workspaceEdit.resourceOperations` has both `create` and `delete`. */
  createAndDelete: boolean;
}

/** One file's part of a change: edit its text, or create or delete the file. */
export type FileOperation =
  | { kind: "edit"; uri: string; /** The open document's version; null when not open. */ version: number | null; edits: TextEdit[] }
  | { kind: "create"; uri: string; text: string }
  | { kind: "delete"; uri: string };

export interface Confirmation {
  /** What the preview shows as the change's name. */
  label: string;
  /** Why it needs a look (the policy's reason), shown less prominently. */
  description: string;
}

/** The annotation every edit of a reviewed change carries. */
export const reviewAnnotationId = "selfheal.review";

export class UnsupportedEditError extends Error {}

/**
 * The edit to send. `confirm` asks the editor to show the change for confirmation; a client
 * without change annotations cannot, and the caller must ask in another way before sending.
 */
export function buildWorkspaceEdit(operations: readonly FileOperation[], capabilities: EditCapabilities, confirm?: Confirmation): WorkspaceEdit {
  const annotate = confirm !== undefined && capabilities.changeAnnotations && capabilities.documentChanges;
  if (!capabilities.documentChanges) {
    if (operations.some((operation) => operation.kind !== "edit")) throw new UnsupportedEditError("the editor cannot create or delete files through an edit (no documentChanges support)");
    const changes: Record<string, TextEdit[]> = {};
    for (const operation of operations) if (operation.kind === "edit") changes[operation.uri] = operation.edits;
    return { changes };
  }
  if (operations.some((operation) => operation.kind !== "edit") && !capabilities.createAndDelete) {
    throw new UnsupportedEditError("the editor cannot create or delete files through an edit (no create/delete resource operations)");
  }
  const annotationId = annotate ? reviewAnnotationId : undefined;
  const documentChanges: Array<TextDocumentEdit | CreateFile | DeleteFile> = [];
  for (const operation of operations) {
    if (operation.kind === "delete") {
      documentChanges.push({ kind: "delete", uri: operation.uri, options: { ignoreIfNotExists: false }, ...(annotationId ? { annotationId } : {}) });
      continue;
    }
    if (operation.kind === "create") {
      documentChanges.push({ kind: "create", uri: operation.uri, options: { overwrite: false, ignoreIfExists: false }, ...(annotationId ? { annotationId } : {}) });
      const text = withoutBom(operation.text);
      if (text !== "") documentChanges.push({ textDocument: { uri: operation.uri, version: null }, edits: [annotated({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }, annotationId)] });
      continue;
    }
    documentChanges.push({ textDocument: { uri: operation.uri, version: operation.version }, edits: operation.edits.map((edit) => annotated(edit, annotationId)) });
  }
  const edit: WorkspaceEdit = { documentChanges };
  if (annotate) {
    const annotation: ChangeAnnotation = { label: confirm.label, needsConfirmation: true, description: confirm.description };
    edit.changeAnnotations = { [reviewAnnotationId]: annotation };
  }
  return edit;
}

function annotated(edit: TextEdit, annotationId: string | undefined): TextEdit | AnnotatedTextEdit {
  return annotationId ? { range: edit.range, newText: edit.newText, annotationId } : { range: edit.range, newText: edit.newText };
}

/**
 * One edit that turns `before` into `after` (both as stored; an editor's buffer has no byte order
 * mark, so it is left out): the differing middle, after the common start and end. Never splits a
 * CRLF or a surrogate pair, so the positions are ones an editor can represent.
 */
export function replacementEdits(before: string, after: string): TextEdit[] {
  const from = withoutBom(before);
  const to = withoutBom(after);
  if (from === to) return [];
  let start = 0;
  const shorter = Math.min(from.length, to.length);
  while (start < shorter && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  if (start > 0 && (isHighSurrogate(from.charCodeAt(start - 1)) || from[start - 1] === "\r")) start--;
  let end = 0;
  while (end < shorter - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  if (end > 0 && (isLowSurrogate(from.charCodeAt(from.length - end)) || from[from.length - end] === "\n")) end--;
  const document = TextDocument.create("file:///replacement", "plaintext", 0, from);
  return [{ range: { start: document.positionAt(start), end: document.positionAt(from.length - end) }, newText: to.slice(start, to.length - end) }];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
