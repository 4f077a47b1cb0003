/**
 * The extension: wiring only. It starts the language server (the same `selfheal` bundle the
 * CLI uses), registers the commands from one table, and shows the server's status.
 */
import * as vscode from "vscode";
import { createCommands } from "./commands";
import { startLanguageClient, type ServerHandle } from "./languageClient";
import { PreviewDocuments, previewScheme } from "./previewDocuments";
import { StatusItem } from "./statusItem";

let server: ServerHandle | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ServerHandle> {
  const log = vscode.window.createOutputChannel("Self-Healing Code", { log: true });
  context.subscriptions.push(log);
  const status = new StatusItem();
  context.subscriptions.push(status);
  server = await startLanguageClient(context, log, status);
  const previews = new PreviewDocuments(server);
  context.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(previewScheme, previews),
    vscode.workspace.onDidCloseTextDocument((document) => document.uri.scheme === previewScheme && previews.forget(document.uri)),
  );
  context.subscriptions.push(...createCommands(server, log, previews));
  return server;
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
