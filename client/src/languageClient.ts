import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions, State, TransportKind } from "vscode-languageclient/node";
import { type InitializationOptions, saveDocumentsRequest, statusNotification, workspaceTrustedNotification } from "../../server/src/protocol/customMessages";
import { sanitizeSettings, settingsSection } from "../../server/src/protocol/settings";
import type { StatusItem } from "./statusItem";

/**
 * The server asks after applying a change: the ledger records the disk, `workspace/applyEdit`
 * leaves buffers dirty. Exactly the documents named are saved, nothing else the user has open.
 */
async function saveDocuments(uris: readonly string[]): Promise<{ failed: Array<{ uri: string; reason: string }> }> {
  const failed: Array<{ uri: string; reason: string }> = [];
  for (const uri of uris) {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === vscode.Uri.parse(uri).toString());
    // Not loaded: the edit did not go through a buffer, so there is nothing to save.
    if (!document || !document.isDirty) continue;
    try {
      if (!(await document.save())) failed.push({ uri, reason: "the editor did not save it" });
    } catch (error) {
      failed.push({ uri, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { failed };
}

/** The workspace policy file, wherever it sits (each folder may have its own). */
export const policyDocumentFilter = { scheme: "file", pattern: "**/.selfheal/policy.yaml" };

/** What the rest of the extension may do with the server; commands get this, not the raw client. */
export interface ServerHandle {
  readonly client: LanguageClient | undefined;
  isRunning(): boolean;
  describeState(): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, status: StatusItem): Promise<ServerHandle> {
  let client: LanguageClient | undefined;

  const create = () => {
    const module = context.asAbsolutePath("dist/selfheal.js");
    const serverOptions: ServerOptions = {
      run: { module, args: ["lsp"], transport: TransportKind.ipc },
      debug: { module, args: ["lsp"], transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6010"] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...["typescript", "typescriptreact", "javascript", "javascriptreact"].map((language) => ({ scheme: "file", language })),
        // The policy gets its diagnostics and hovers from us whatever language mode the editor picked for it.
        policyDocumentFilter,
      ],
      outputChannel: log,
      // The provenance hover links to the view ("why is this line like this?"); no other command runs from our markdown.
      markdown: { isTrusted: { enabledCommands: ["selfheal.showProvenance"] } },
      // `selfheal.trace.server` is read by the client library itself (settings id `<id>.trace.server`).
      initializationOptions: {
        settings: sanitizeSettings(vscode.workspace.getConfiguration(settingsSection)),
        workspaceTrusted: vscode.workspace.isTrusted,
        clientFeatures: { saveDocuments: true, previewCommands: true },
      } satisfies InitializationOptions,
    };
    const created = new LanguageClient("selfheal", "Self-Healing Code", serverOptions, clientOptions);
    created.onNotification(statusNotification, (params) => status.update(params));
    created.onRequest(saveDocumentsRequest, ({ uris }) => saveDocuments(uris));
    created.onDidChangeState((event) => {
      if (event.newState === State.Stopped) status.stopped();
    });
    return created;
  };

  const start = async () => {
    if (!vscode.workspace.getConfiguration(settingsSection).get<boolean>("enable", true)) {
      log.info("selfheal.enable is false: the language server is not started");
      status.stopped("disabled by selfheal.enable");
      return;
    }
    const trustedAtStart = vscode.workspace.isTrusted;
    client = create();
    status.starting();
    try {
      await client.start();
      // Trust granted while the server was starting reached neither its initializationOptions nor the listener below.
      if (vscode.workspace.isTrusted && !trustedAtStart) void client.sendNotification(workspaceTrustedNotification);
    } catch (error) {
      log.error(`the language server failed to start: ${String(error)}`);
      status.stopped(String(error));
    }
  };

  const stop = async () => {
    const running = client;
    client = undefined;
    if (running?.isRunning()) await running.stop();
    status.stopped();
  };

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${settingsSection}.enable`)) {
        await stop();
        await start();
      }
    }),
    // A server started later reads the trust from its initializationOptions; a running one is told.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client?.isRunning()) void client.sendNotification(workspaceTrustedNotification);
    }),
  );

  await start();

  return {
    get client() {
      return client;
    },
    isRunning: () => client?.isRunning() === true,
    describeState: () => (client === undefined ? "not started" : client.state === State.Starting ? "starting" : client.isRunning() ? "running" : "stopped"),
    restart: async () => {
      await stop();
      await start();
    },
    stop,
  };
}
