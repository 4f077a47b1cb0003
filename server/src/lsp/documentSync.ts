/**
 * The editor's buffers: opened, edited, closed and saved documents reach the engine, and the
 * scheduler decides what to analyze again. A policy buffer is only validated; it governs once saved.
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Connection } from "vscode-languageserver/node";
import { contractsToRecheck, isContractFile } from "./contractWatch";
import type { EditorWriter } from "./editorWriter";
import type { PolicyChanges } from "./policyChanges";
import type { DiagnosticsPublisher } from "./publisher";
import type { AnalysisScheduler } from "./scheduler";
import type { ServerSession } from "./serverSession";
import { uriToPath } from "./uris";
import type { WorkspaceAnalysis } from "./workspaceAnalysis";

export interface DocumentSyncParts {
  publisher: DiagnosticsPublisher;
  scheduler: AnalysisScheduler;
  writer: EditorWriter;
  policyChanges: PolicyChanges;
  analysis: WorkspaceAnalysis;
}

export function registerDocumentSync(connection: Connection, session: ServerSession, parts: DocumentSyncParts): void {
  const { engine, documents } = session;
  const { publisher, scheduler, writer } = parts;

  connection.onDidOpenTextDocument(({ textDocument }) => {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    documents.set(textDocument.uri, document);
    const file = uriToPath(textDocument.uri);
    if (!file) return;
    if (engine.isPolicyFile(file)) {
      // A policy buffer is validated as typed; it governs the analysis only once saved.
      engine.updateDocument(file, document.getText(), document.version);
      publisher.publish([file]);
      return;
    }
    const before = engine.workspace.documents.read(file);
    engine.updateDocument(file, document.getText(), document.version);
    // Opening a file whose buffer equals the disk copy changes nothing: keep its findings.
    if (before !== document.getText() || !engine.hasCurrentTypeAwareFindings(file)) scheduler.changed([file]);
    else publisher.publish([file]);
    // Its importers were checked against this text: know its declarations before the first edit.
    if (before === document.getText()) scheduler.prime([file]);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const document = documents.get(textDocument.uri);
    const file = uriToPath(textDocument.uri);
    if (!document || !file) return;
    if (engine.isPolicyFile(file)) {
      const updated = TextDocument.update(document, contentChanges, textDocument.version);
      documents.set(textDocument.uri, updated);
      engine.updateDocument(file, updated.getText(), updated.version);
      publisher.publish([file]);
      return;
    }
    const ranged = contentChanges.flatMap((change) => ("range" in change ? [{ range: change.range, text: change.text }] : []));
    writer.documentsChanged();
    if (ranged.length === contentChanges.length) publisher.documentChanged(file, ranged);
    const updated = TextDocument.update(document, contentChanges, textDocument.version);
    documents.set(textDocument.uri, updated);
    engine.updateDocument(file, updated.getText(), updated.version);
    scheduler.changed([file]);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.delete(textDocument.uri);
    const file = uriToPath(textDocument.uri);
    if (!file) return;
    if (engine.isPolicyFile(file)) {
      // Back to the problems of the saved file, which is what governs.
      engine.closeDocument(file);
      publisher.publish([file]);
      return;
    }
    const buffer = engine.workspace.documents.read(file);
    engine.closeDocument(file);
    writer.documentsChanged();
    // Closing without saving reverts to the disk copy: its findings differ.
    if (engine.workspace.documents.read(file) !== buffer) scheduler.changed([file]);
  });

  connection.onDidSaveTextDocument(({ textDocument }) => {
    // Only registered without file watching: with it, the watcher reports the save.
    writer.documentsChanged();
    const file = uriToPath(textDocument.uri);
    if (file && isContractFile(engine, file)) scheduler.contractsChanged(contractsToRecheck(engine, [file]));
    if (!file || !engine.isPolicyFile(file)) return;
    if (parts.policyChanges.filesChanged([file])) parts.analysis.start(`${file} saved`);
    else parts.policyChanges.republishAll();
  });
}
