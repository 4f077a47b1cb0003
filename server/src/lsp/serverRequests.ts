/**
 * Requests about the server itself: its status, a full re-analysis, and the workspace trust the
 * user granted after start-up.
 */
import type { Connection } from "vscode-languageserver/node";
import { reanalyzeRequest, serverStatusRequest, workspaceTrustedNotification } from "../protocol/customMessages";
import { policyListOf } from "./policyStatus";
import type { DiagnosticsPublisher } from "./publisher";
import type { ServerSession } from "./serverSession";
import type { WorkspaceAnalysis } from "./workspaceAnalysis";

export function registerServerRequests(connection: Connection, session: ServerSession, parts: { analysis: WorkspaceAnalysis; publisher: DiagnosticsPublisher }): void {
  const { engine, logger } = session;

  connection.onNotification(workspaceTrustedNotification, () => {
    engine.policies.trusted = true;
    logger.info("the workspace is trusted now: a policy's verify.command may run");
  });

  connection.onRequest(serverStatusRequest, () => ({
    version: session.version,
    folders: engine.workspace.folderList(),
    projects: [...engine.workspace.filesByProject()].map(([project, files]) => ({ name: project.name, files: files.length })),
    filesAnalyzed: engine.workspace.analyzedFiles().length,
    lastFullAnalysisMs: parts.analysis.lastDurationMs,
    policies: policyListOf(engine.policies),
    workspaceTrusted: engine.policies.trusted,
  }));

  connection.onRequest(reanalyzeRequest, async () => {
    parts.publisher.clearAll();
    parts.analysis.start("requested");
    await parts.analysis.latest;
  });
}
