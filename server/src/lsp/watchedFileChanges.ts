/**
 * Files changed on disk, as the client's file watchers report them: policies, contract
 * baselines and schemas, tsconfig/jsconfig files, created and deleted sources. Open files are
 * skipped: their buffer is the truth.
 */
import { CodeLensRefreshRequest, FileChangeType, type Connection } from "vscode-languageserver/node";
import { isPolicyFile } from "../engine/policy/policySet";
import { contractsToRecheck, isContractFile } from "./contractWatch";
import type { EditorWriter } from "./editorWriter";
import type { PolicyChanges } from "./policyChanges";
import type { ProvenanceLines } from "./provenanceHover";
import type { DiagnosticsPublisher } from "./publisher";
import type { AnalysisScheduler } from "./scheduler";
import type { ServerSession } from "./serverSession";
import { uriToPath } from "./uris";
import type { WorkspaceAnalysis } from "./workspaceAnalysis";

export interface WatchedFileParts {
  publisher: DiagnosticsPublisher;
  scheduler: AnalysisScheduler;
  writer: EditorWriter;
  policyChanges: PolicyChanges;
  analysis: WorkspaceAnalysis;
  provenanceLines: ProvenanceLines;
}

export function registerWatchedFileChanges(connection: Connection, session: ServerSession, parts: WatchedFileParts): void {
  const { engine } = session;
  const { publisher, scheduler, policyChanges, analysis } = parts;

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (changes.some((change) => /\/\.selfheal(\/|$)/.test(uriToPath(change.uri) ?? ""))) {
      parts.provenanceLines.invalidate();
      if (session.capabilities.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }
    // A change waiting to be saved may have reached the disk (open files are skipped below, not here).
    parts.writer.documentsChanged();
    // Policies first, open or not: what governs is the saved file, the buffer only gets diagnostics.
    const policyFiles = [...new Set(changes.flatMap((change) => policyFileOf(uriToPath(change.uri))))];
    const policyNeedsReanalysis = policyFiles.length > 0 && policyChanges.filesChanged(policyFiles);
    const changedFiles: string[] = [];
    const created: string[] = [];
    // Baselines, schemas and package.json are read from disk by the comparison: open or not, the saved copy counts.
    const contractFiles = changes.flatMap((change) => uriToPath(change.uri) ?? []).filter((file) => isContractFile(engine, file));
    if (contractFiles.length > 0 && !policyNeedsReanalysis) scheduler.contractsChanged(contractsToRecheck(engine, contractFiles));
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (!file || policyFileOf(file).length > 0 || contractFiles.includes(file)) continue;
      if (engine.workspace.documents.isOpen(file)) continue; // The buffer is the truth for open files.
      if (/\/(tsconfig|jsconfig)[^/]*\.json$/.test(file)) {
        // Rediscovery re-reads configs, not cached file texts: the rest of this batch (a branch switch) changed too.
        for (const other of changes) {
          const otherFile = uriToPath(other.uri);
          if (otherFile) engine.workspace.documents.invalidate(otherFile);
        }
        publisher.clearAll();
        analysis.start(`${file} changed`);
        return;
      }
      if (change.type === FileChangeType.Deleted) {
        const dependents = engine.dependentsOf(file);
        engine.workspace.fileDeleted(file);
        engine.forget(file);
        scheduler.forget(file);
        publisher.clear(file);
        changedFiles.push(...dependents);
      } else if (change.type === FileChangeType.Created) {
        created.push(file);
      } else {
        engine.workspace.fileChanged(file);
        if (engine.workspace.projectOf(file)) changedFiles.push(file);
      }
    }
    if (created.length > 0) {
      engine.workspace.filesCreated(created);
      for (const file of created) if (engine.workspace.projectOf(file)) changedFiles.push(file);
      // A new file can complete an import that resolved to nothing before.
      changedFiles.push(...engine.filesWithUnresolvedImports());
    }
    if (policyNeedsReanalysis) {
      analysis.start(`${policyFiles.join(", ")} changed`);
      return;
    }
    if (changedFiles.length > 0) scheduler.changed([...new Set(changedFiles)]);
    if (policyFiles.length > 0) policyChanges.republishAll();
  });
}

/**
 * The policy file a watcher event is about. A `.selfheal` folder counts too: watchers report a
 * deleted folder, not the files it held, and can miss a file written right after its folder was
 * created (a `git pull` that adds the policy), so the folder's event stands for its policy.yaml.
 */
function policyFileOf(file: string | undefined): string[] {
  if (!file) return [];
  if (file.endsWith("/.selfheal")) return [`${file}/policy.yaml`];
  return isPolicyFile(file) ? [file] : [];
}
