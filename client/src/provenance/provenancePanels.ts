/**
 * The provenance view in VS Code: one webview panel per workspace folder (a folder picker when
 * there are several), reading the folder's ledger file directly through the view model, so it
 * works with the language server down. A file watcher re-reads the ledger when it changes
 * (another window, the CLI); the page keeps its filters and selection.
 *
 * Security: the page is a constant template with a nonce-only script policy (panelHtml.ts), it
 * may load only from media/provenance, and every message it sends is validated before anything
 * acts on it (messages.ts, session.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { FileLedgerView } from "../../../server/src/engine/ledger/view/fileLedgerView";
import type { EntrySummary } from "../../../server/src/engine/ledger/view/entrySummary";
import type { LedgerViewState } from "../../../server/src/engine/ledger/view/ledgerView";
import { healthLogFile, healthLogPath, readHealthLog } from "../../../server/src/engine/health/healthLog";
import { defaultLedgerPath, ledgerLocation } from "../../../server/src/engine/ledger/workspacePaths";
import { folderLedger } from "../../../server/src/engine/policy/folderLedger";
import { healthViewOf, type HealthView } from "./healthView";
import { newNonce, panelHtml } from "./panelHtml";
import { ProvenanceSession } from "./session";
import type { HostMessage } from "./messages";
import { vscodeActions, type Notify, type ServerState } from "./vscodeActions";

export const provenanceViewType = "selfheal.provenance";

/** What `selfheal.showProvenance` accepts: a folder (URI or path) and an entry id to show, both optional. */
export interface ShowProvenanceArgs {
  folder?: vscode.Uri | string;
  entryId?: string;
}

interface OpenPanel {
  panel: vscode.WebviewPanel;
  view: FileLedgerView;
  session: ProvenanceSession;
}

/**
 * What `selfheal.showProvenance` returns: the panel, and the host's side of it. The page lives in
 * an iframe no extension code can reach, so a test in VS Code drives the host exactly as the page
 * does, through `fromPage` (the same path as the webview's messages, validation included).
 */
export interface ProvenancePanelHandle {
  panel: vscode.WebviewPanel;
  /** Resolves when the ledger has been read (again) and verified. */
  loaded(): Promise<void>;
  state(): LedgerViewState;
  /** The listed entry with this id: its `key` is what the page's messages name. */
  find(id: string): EntrySummary | undefined;
  fromPage(message: unknown): Promise<void>;
}

export class ProvenancePanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly server: ServerState,
  ) {}

  async show(args?: unknown): Promise<ProvenancePanelHandle | undefined> {
    const request = showArgs(args);
    const folder = await this.pickFolder(request.folder);
    if (!folder) return undefined;
    const key = folder.uri.toString();
    const open = this.panels.get(key) ?? this.create(folder);
    this.panels.set(key, open);
    open.panel.reveal();
    if (request.entryId !== undefined) {
      const entryId = request.entryId;
      await open.view.load();
      const summary = open.view.findById(entryId);
      if (summary) open.session.reveal(summary);
      else void vscode.window.showWarningMessage(`Self-Healing Code: no entry ${entryId} in the ledger of ${folder.name}.`);
    }
    return { panel: open.panel, loaded: () => open.view.load(), state: () => open.view.state(), find: (id) => open.view.findById(id), fromPage: (message) => open.session.receive(message) };
  }

  dispose(): void {
    for (const open of this.panels.values()) open.panel.dispose();
    this.panels.clear();
  }

  private create(folder: vscode.WorkspaceFolder): OpenPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, "media", "provenance");
    const panel = vscode.window.createWebviewPanel(provenanceViewType, `Provenance: ${folder.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      enableFindWidget: true,
    });
    const webview = panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "provenance.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "provenance.css")).toString(),
    });
    const ledger = folderLedger(folder.uri.fsPath);
    // Reading is harmless: with the policy broken, show the default ledger and say why (writes fail closed elsewhere).
    if (!ledger.ok) this.log.warn(`ledger-location-unknown: ${ledger.message}; showing ${defaultLedgerPath}`);
    const location = ledger.ok ? ledger.location : ledgerLocation(folder.uri.fsPath);
    const view = new FileLedgerView(location.ledgerFile);
    const healthFile = healthLogFile(folder.uri.fsPath);
    let health: HealthView | undefined;
    const readHealth = () => {
      try {
        health = fs.existsSync(healthFile) ? healthViewOf(readHealthLog(healthFile)) : undefined;
      } catch (error) {
        // The health log is a convenience: the view still shows the ledger without it.
        this.log.warn(`health-log-unreadable: ${healthFile}: ${(error as Error).message}`);
        health = undefined;
      }
    };
    readHealth();
    const notify: Notify = (level, messageId, message) => void webview.postMessage({ type: "notice", level, messageId, message } satisfies HostMessage);
    const session = new ProvenanceSession(view, { folder: folder.name, readOnly: false }, (message) => void webview.postMessage(message), vscodeActions(folder, location, this.extensionUri, this.server, notify), (line) =>
      this.log.warn(line),
    () => health,
    );
    const subscriptions: vscode.Disposable[] = [view.onDidChange(() => session.pushState()), webview.onDidReceiveMessage((message: unknown) => session.receive(message))];

    // The ledger's folder may not exist yet: watch the path itself, relative to the workspace folder.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, path.relative(folder.uri.fsPath, location.ledgerFile).split(path.sep).join("/")));
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Appends come in bursts (a fix-all); one re-read after they settle is enough.
    const reload = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void view.load(), 150);
    };
    subscriptions.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
    const healthWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, healthLogPath));
    const reloadHealth = () => {
      readHealth();
      session.pushState();
    };
    subscriptions.push(healthWatcher, healthWatcher.onDidChange(reloadHealth), healthWatcher.onDidCreate(reloadHealth), healthWatcher.onDidDelete(reloadHealth));

    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscriptions.forEach((subscription) => subscription.dispose());
      view.dispose();
      this.panels.delete(folder.uri.toString());
    });
    void view.load().catch((error: unknown) => this.log.error(`provenance view: reading ${location.ledgerFile} failed: ${(error as Error).stack ?? String(error)}`));
    return { panel, view, session };
  }

  private async pickFolder(wanted: vscode.Uri | string | undefined): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (wanted !== undefined) {
      const uri = typeof wanted === "string" ? vscode.Uri.file(wanted) : wanted;
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) void vscode.window.showErrorMessage(`Self-Healing Code: ${uri.fsPath} is not in a workspace folder, so it has no ledger to show.`);
      return folder;
    }
    if (folders.length === 0) {
      void vscode.window.showInformationMessage("Self-Healing Code: open a folder to see its provenance ledger.");
      return undefined;
    }
    if (folders.length === 1) return folders[0];
    return vscode.window.showWorkspaceFolderPick({ placeHolder: "Show the provenance ledger of which folder?" });
  }
}

/** The command's argument, checked: a command can be run with anything (a keybinding's args, another extension). */
function showArgs(args: unknown): ShowProvenanceArgs {
  if (args instanceof vscode.Uri) return { folder: args };
  if (typeof args !== "object" || args === null) return {};
  const record = args as Record<string, unknown>;
  return {
    ...(record.folder instanceof vscode.Uri || typeof record.folder === "string" ? { folder: record.folder } : {}),
    ...(typeof record.entryId === "string" ? { entryId: record.entryId } : {}),
  };
}

let shared: ProvenancePanels | undefined;

/**
 * The panels of this extension host. The bundle is dist/extension.js, so the extension's root
 * (where media/ is) is its parent folder.
 */
export function provenancePanels(log: vscode.LogOutputChannel, server: ServerState): ProvenancePanels {
  shared ??= new ProvenancePanels(vscode.Uri.file(path.resolve(__dirname, "..")), log, server);
  return shared;
}
