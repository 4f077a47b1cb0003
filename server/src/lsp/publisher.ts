import type { Connection } from "vscode-languageserver/node";
import type { Engine } from "../engine/analysis/engine";
import type { Finding } from "../engine/findings";
import { toDiagnostic } from "./diagnostics";
import { type ContentChange, shiftRange } from "./rangeShift";
import { pathToUri } from "./uris";

/**
 * Publishes diagnostics for every analyzed file, open or not (push model: every LSP client
 * supports `textDocument/publishDiagnostics`, while workspace pull diagnostics are missing in
 * several editors). A closed file keeps its diagnostics because nobody clears them.
 *
 * While a file is being edited, its previous type-aware findings are moved along with the
 * text (like editor markers) and shown until the new ones arrive, so nothing flickers and
 * nothing points at the wrong place.
 */
export class DiagnosticsPublisher {
  private readonly published = new Set<string>();
  private readonly carriedOver = new Map<string, Finding[]>();
  private workspaceFiles = new Set<string>();
  private workspaceGeneration = -1;

  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
    private readonly relatedInformation: () => boolean,
  ) {}

  /** A buffer edit arrived: shift the type-aware findings we still show for the old text. */
  documentChanged(file: string, changes: ContentChange[]): void {
    let findings = this.carriedOver.get(file) ?? this.engine.staleTypeAwareFindings(file)?.findings ?? [];
    for (const change of changes) {
      findings = findings.flatMap((finding) => {
        const range = shiftRange(finding.range, change);
        return range ? [{ ...finding, range, fixes: [] }] : [];
      });
    }
    this.carriedOver.set(file, findings);
  }

  publish(files: Iterable<string>): void {
    const targets = new Set(files);
    if (this.engine.workspaceFindingsGeneration !== this.workspaceGeneration) {
      this.workspaceGeneration = this.engine.workspaceFindingsGeneration;
      const current = new Set(this.engine.filesWithWorkspaceFindings());
      for (const file of [...this.workspaceFiles, ...current]) targets.add(file);
      this.workspaceFiles = current;
    }
    for (const file of targets) this.publishOne(file);
  }

  clear(file: string): void {
    this.carriedOver.delete(file);
    if (this.published.delete(file)) void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: [] });
  }

  clearAll(): void {
    for (const file of [...this.published]) this.clear(file);
  }

  private publishOne(file: string): void {
    let findings = this.engine.findingsFor(file);
    if (this.engine.hasCurrentTypeAwareFindings(file)) this.carriedOver.delete(file);
    else findings = [...findings, ...(this.carriedOver.get(file) ?? [])];
    if (findings.length === 0 && !this.published.has(file)) return;
    const withRelated = this.relatedInformation();
    void this.connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: findings.map((finding) => toDiagnostic(finding, withRelated)) });
    if (findings.length > 0) this.published.add(file);
    else this.published.delete(file);
  }
}
