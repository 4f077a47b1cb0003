/**
 * The language server: wiring only. It connects LSP messages to the engine (analysis), the
 * scheduler (when to analyze) and the publisher (what the editor sees). Start it with
 * `selfheal lsp --stdio` (any editor) or `--node-ipc` (the VS Code extension).
 *
 * Each feature registers its own handlers (the modules named below); they share the state
 * through one ServerSession and the pieces built here.
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { describeError, type Logger } from "../engine/analysis/engine";
import { registerDocumentSync } from "./documentSync";
import { registerEditorCommands } from "./editorCommands";
import { createEditorPipeline } from "./editorPipeline";
import { registerHoverAndCodeLens } from "./hoverAndCodeLens";
import { registerInitialization } from "./initialization";
import { ledgerLocationsOf } from "./ledgers";
import { PolicyChanges } from "./policyChanges";
import { Previews } from "./previews";
import { ProvenanceLines } from "./provenanceHover";
import { DiagnosticsPublisher } from "./publisher";
import { AnalysisScheduler } from "./scheduler";
import { registerServerRequests } from "./serverRequests";
import { ServerSession } from "./serverSession";
import { registerSettingsSync } from "./settingsSync";
import { StatusNotifier } from "./statusNotifier";
import { registerWatchedFileChanges } from "./watchedFileChanges";
import { WorkspaceAnalysis } from "./workspaceAnalysis";

export function startServer(version: string): void {
  const connection = createConnection(ProposedFeatures.all);
  const logger: Logger = {
    info: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
    error: (message) => connection.console.error(message),
  };
  // Bad input must never kill the server: log, keep serving.
  process.on("uncaughtException", (error) => logger.error(`uncaught: ${describeError(error)}`));
  process.on("unhandledRejection", (error) => logger.error(`unhandled rejection: ${describeError(error)}`));

  const session = new ServerSession(version, logger);
  const { engine } = session;
  const status = new StatusNotifier(connection, engine);
  const publisher = new DiagnosticsPublisher(connection, engine, () => session.capabilities.relatedInformation);
  const scheduler = new AnalysisScheduler(
    engine,
    (files) => publisher.publish(files),
    (file) => session.isOpen(file),
    () => session.settings.debounceMs,
    logger,
    () => status.send("idle"),
  );
  const policyChanges = new PolicyChanges(connection, session, { publisher, scheduler, status });
  const analysis = new WorkspaceAnalysis(connection, session, { publisher, scheduler, status, policyChanges });
  const { writer, pipelineCommands } = createEditorPipeline(connection, session, scheduler);
  const previews = new Previews(engine, (uri) => session.versionOf(uri), () => ledgerLocationsOf(engine));
  /** Which recorded change wrote which line: for the hover and CodeLens ("why is this line like this?"). */
  const provenanceLines = new ProvenanceLines(() => ledgerLocationsOf(engine));

  registerInitialization(connection, session, { analysis, publisher });
  registerSettingsSync(connection, session, { analysis, publisher, status });
  registerDocumentSync(connection, session, { publisher, scheduler, writer, policyChanges, analysis });
  registerWatchedFileChanges(connection, session, { publisher, scheduler, writer, policyChanges, analysis, provenanceLines });
  registerEditorCommands(connection, session, { pipelineCommands, previews });
  registerHoverAndCodeLens(connection, session, provenanceLines);
  registerServerRequests(connection, session, { analysis, publisher });

  connection.listen();
}
