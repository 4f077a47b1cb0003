/**
 * The LSP handshake: `initialize` (what the client can do, its settings, trust and folders; what
 * the server offers) and `initialized` (registrations, settings, watchers, the first full analysis).
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Connection,
  type InitializeResult,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import { applyFixAllCommand, applyFixCommand, type InitializationOptions, rollbackEntryCommand } from "../protocol/customMessages";
import { sanitizeSettings, settingsSection } from "../protocol/settings";
import { codeActionKinds } from "./codeActions";
import type { DiagnosticsPublisher } from "./publisher";
import type { ServerSession } from "./serverSession";
import { pullSettings } from "./settingsSync";
import { uriToPath } from "./uris";
import type { WorkspaceAnalysis } from "./workspaceAnalysis";

export function registerInitialization(connection: Connection, session: ServerSession, parts: { analysis: WorkspaceAnalysis; publisher: DiagnosticsPublisher }): void {
  const { engine, logger } = session;

  connection.onInitialize((params): InitializeResult => {
    session.clientInitialized(params);
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (options.settings) session.applySettings(sanitizeSettings(options.settings));
    // Fails closed: an editor that says nothing about trust gets no workspace commands run.
    engine.policies.trusted = options.workspaceTrusted === true;
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    for (const uri of folders) {
      const folder = uriToPath(uri);
      // Folders are recorded now and discovered by the first full analysis.
      if (folder && !engine.workspace.folderList().includes(folder)) engine.workspace.addFolderWithoutReload(folder);
    }
    return {
      capabilities: {
        // Without file watching, saving a policy is the only way we learn that it changed on disk.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, ...(session.capabilities.watchedFiles ? {} : { save: { includeText: false } }) },
        codeActionProvider: { codeActionKinds },
        executeCommandProvider: { commands: [applyFixCommand, applyFixAllCommand, rollbackEntryCommand] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "selfheal", version: session.version },
    };
  });

  connection.onInitialized(async () => {
    const capabilities = session.capabilities;
    if (capabilities.configurationChangeRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: settingsSection });
    }
    if (capabilities.configuration) await pullSettings(connection, session);
    if (capabilities.watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}" }, { globPattern: "**/{tsconfig,jsconfig}*.json" }, { globPattern: "**/.selfheal/policy.yaml" }, { globPattern: "**/.selfheal" }, { globPattern: "**/.selfheal/contracts/*.json" }, { globPattern: "**/package.json" }],
      });
    } else {
      logger.warn("the client cannot watch files for us: changes made outside the editor are seen after 'Re-analyze Workspace' (a policy saved in the editor is reloaded on save)");
    }
    if (capabilities.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) {
          const folder = uriToPath(removed.uri);
          if (folder) engine.workspace.removeFolderWithoutReload(folder);
        }
        for (const added of event.added) {
          const folder = uriToPath(added.uri);
          if (folder) engine.workspace.addFolderWithoutReload(folder);
        }
        parts.publisher.clearAll();
        parts.analysis.start("workspace folders changed");
      });
    }
    parts.analysis.start("start-up");
  });
}
