/**
 * Diffs of a change before it is applied (a quick fix) or after (a ledger entry), shown in VS
 * Code's own diff editor over read-only `selfheal-preview:` documents whose text comes from the
 * server (`selfheal/previewContent`). No webview: the diff editor is what people know, with
 * syntax colouring, inline/side-by-side and navigation between changes.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import {
  type PreviewContentParams,
  previewContentRequest,
  previewPlanRequest,
  type PreviewSide,
  type PreviewSummary,
  type PreviewTarget,
} from "../../server/src/protocol/customMessages";
import type { ServerHandle } from "./languageClient";

export const previewScheme = "selfheal-preview";

/** More diff editors than this at once help nobody: the rest is offered as the patch itself. */
const maxDiffEditors = 4;

export class PreviewDocuments implements vscode.TextDocumentContentProvider {
  /** Texts fetched by the command that opens the diff, so the editor shows exactly what was checked. */
  private readonly texts = new Map<string, string>();
  private generation = 0;

  constructor(private readonly server: ServerHandle) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const known = this.texts.get(uri.toString());
    if (known !== undefined) return known;
    // Reopened later (a restored tab): ask again; the server says if there is nothing to show any more.
    return (await this.request(JSON.parse(uri.query) as PreviewContentParams)).text;
  }

  /** Opens the forward diff (before ↔ after) of each file the change touches. */
  async showForward(target: PreviewTarget): Promise<void> {
    await this.show(target, "before", "after", (summary, file) => `${file} ↔ ${summary.title}`);
  }

  /** Opens the rollback diff: the file as the change leaves it (or as it is now) ↔ what the rollback writes. */
  async showRollback(target: PreviewTarget): Promise<void> {
    await this.show(target, target.kind === "entry" ? "current" : "after", "restored", (summary, file) => `${file} ↔ rollback of ${summary.title}`);
  }

  private async show(target: PreviewTarget, left: PreviewSide, right: PreviewSide, title: (summary: PreviewSummary, file: string) => string): Promise<void> {
    const client = this.server.client;
    if (!client) return;
    let summary: PreviewSummary;
    try {
      summary = await client.sendRequest(previewPlanRequest, target);
    } catch (error) {
      void vscode.window.showWarningMessage(`Self-Healing Code: nothing to preview: ${messageOf(error)}`);
      return;
    }
    const generation = ++this.generation;
    const shown = summary.files.slice(0, maxDiffEditors);
    for (const file of shown) {
      const sides: vscode.Uri[] = [];
      try {
        for (const side of [left, right]) {
          const params: PreviewContentParams = { target, file: file.path, side };
          const { text } = await this.request(params);
          const uri = vscode.Uri.from({ scheme: previewScheme, path: `/${side}/${generation}/${file.path}`, query: JSON.stringify(params) });
          this.texts.set(uri.toString(), text);
          sides.push(uri);
        }
      } catch (error) {
        // The texts cannot be rebuilt (the file changed beyond the patch): the recorded patch still says what changed.
        await this.showPatch(summary, right === "restored" ? summary.rollbackPatch : summary.forwardPatch, messageOf(error));
        return;
      }
      await vscode.commands.executeCommand("vscode.diff", sides[0], sides[1], title(summary, path.posix.basename(file.path)), { preview: false });
    }
    if (summary.files.length > shown.length) {
      await this.showPatch(summary, right === "restored" ? summary.rollbackPatch : summary.forwardPatch, `${summary.files.length} files: the first ${shown.length} are open as diffs`);
    }
  }

  private async showPatch(summary: PreviewSummary, patch: string, why: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument({ language: "diff", content: patch });
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.showInformationMessage(`Self-Healing Code: ${summary.title}: showing the patch (${why}).`);
  }

  private request(params: PreviewContentParams): Promise<{ text: string }> {
    const client = this.server.client;
    if (!client) throw new Error("the language server is not running");
    return client.sendRequest(previewContentRequest, params);
  }

  /** A preview document was closed: its text is no longer needed. */
  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  dispose(): void {
    this.texts.clear();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
