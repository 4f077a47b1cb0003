/**
 * The `selfheal` settings: pulled from a client that answers `workspace/configuration`, taken
 * from the change notification of one that does not. Settings that change what the analysis
 * computes start a full analysis; the rest only change how findings read.
 */
import type { Connection } from "vscode-languageserver/node";
import { describeError } from "../engine/analysis/engine";
import { sanitizeSettings, settingsSection } from "../protocol/settings";
import type { DiagnosticsPublisher } from "./publisher";
import type { ServerSession } from "./serverSession";
import type { StatusNotifier } from "./statusNotifier";
import type { WorkspaceAnalysis } from "./workspaceAnalysis";

/** Returns true when the new settings change what the analysis computes. */
export async function pullSettings(connection: Connection, session: ServerSession): Promise<boolean> {
  try {
    return session.applySettings(sanitizeSettings(await connection.workspace.getConfiguration(settingsSection)));
  } catch (error) {
    session.logger.warn(`could not read settings, keeping the previous ones: ${describeError(error)}`);
    return false;
  }
}

export function registerSettingsSync(
  connection: Connection,
  session: ServerSession,
  parts: { analysis: WorkspaceAnalysis; publisher: DiagnosticsPublisher; status: StatusNotifier },
): void {
  connection.onDidChangeConfiguration(async (change) => {
    let needsReanalysis = false;
    if (session.capabilities.configuration) needsReanalysis = await pullSettings(connection, session);
    else needsReanalysis = session.applySettings(sanitizeSettings((change.settings as Record<string, unknown> | undefined)?.[settingsSection]));
    // Severities apply when findings are read; type-awareness, the size limit and rule options
    // (thresholds) decide what the analysis computes.
    if (needsReanalysis) {
      parts.analysis.start("settings changed");
      return;
    }
    parts.publisher.publish(session.engine.filesWithResults());
    parts.status.send("idle");
  });
}
