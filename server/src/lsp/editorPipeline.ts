/**
 * The agent pipeline in the editor: code actions run these commands (docs/architecture.md). The
 * writer applies a change through the editor and records it; the commands plan, verify and
 * hand the change to the writer.
 */
import { MessageType, ShowMessageNotification, type Connection } from "vscode-languageserver/node";
import { saveDocumentsRequest } from "../protocol/customMessages";
import { EditorWriter } from "./editorWriter";
import { editorActor, PipelineCommands } from "./pipelineCommands";
import type { AnalysisScheduler } from "./scheduler";
import type { ServerSession } from "./serverSession";

export function createEditorPipeline(connection: Connection, session: ServerSession, scheduler: AnalysisScheduler): { writer: EditorWriter; pipelineCommands: PipelineCommands } {
  const { engine, logger } = session;
  const versionOf = (uri: string) => session.versionOf(uri);
  const bufferOf = (file: string) => session.bufferOf(file);
  const saveDocuments = (uris: string[]) => connection.sendRequest(saveDocumentsRequest, { uris });
  const writer = new EditorWriter({
    applyEdit: (edit, label) => connection.workspace.applyEdit({ label, edit }),
    get saveDocuments() {
      return session.clientFeatures.saveDocuments === true ? saveDocuments : undefined;
    },
    bufferOf,
    inform: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }),
  });
  const pipelineCommands = new PipelineCommands({
    engine,
    writer,
    logger,
    versionOf,
    bufferOf,
    capabilities: () => session.capabilities,
    get saveDocuments() {
      return session.clientFeatures.saveDocuments === true ? saveDocuments : undefined;
    },
    confirm: async (question) => (await connection.window.showWarningMessage(question, { title: "Apply" }, { title: "Cancel" }))?.title === "Apply",
    get actor() {
      return editorActor(session.clientName, session.version);
    },
    filesWritten: (files) => {
      // The editor wrote them: disk copies read before are out of date (open buffers already follow).
      const closed = files.filter((file) => !engine.workspace.documents.isOpen(file));
      for (const file of closed) engine.workspace.fileChanged(file);
      if (closed.length > 0) scheduler.changed(closed.filter((file) => engine.workspace.projectOf(file)));
    },
  });
  return { writer, pipelineCommands };
}
