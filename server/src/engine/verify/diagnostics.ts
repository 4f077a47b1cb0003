import * as ts from "typescript";
import type { Engine } from "../analysis/engine";

/** Per file, how many times each diagnostic (code and message, not position: edits move them) occurs. */
export type DiagnosticCounts = Map<string, Map<string, number>>;

/** Program-wide diagnostics (options, globals) are filed under this key per project. */
const globalKey = (projectName: string) => `<global> ${projectName}`;

/**
 * TypeScript's verdict on the workspace as the engine currently sees it (open buffers
 * included): syntactic and semantic diagnostics of `files` (default: every analyzed file), plus
 * each project's global and options diagnostics when all files are asked for.
 */
export function collectDiagnostics(engine: Engine, files?: Iterable<string>): DiagnosticCounts {
  const counts: DiagnosticCounts = new Map();
  const wanted = files ? new Set(files) : undefined;
  for (const [project, projectFiles] of engine.workspace.filesByProject()) {
    const program = project.program();
    if (!wanted) record(counts, globalKey(project.name), [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]);
    for (const file of projectFiles) {
      if (wanted && !wanted.has(file)) continue;
      const sourceFile = program.getSourceFile(file);
      if (sourceFile) record(counts, file, [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]);
      else counts.set(file, new Map());
    }
  }
  return counts;
}

function record(counts: DiagnosticCounts, file: string, diagnostics: readonly ts.Diagnostic[]): void {
  const byKey = new Map<string, number>();
  for (const diagnostic of diagnostics) {
    const key = `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  counts.set(file, byKey);
}

/** Diagnostics in `after` that `before` does not have as often, as `file: TSnnnn message`. */
export function newDiagnostics(before: DiagnosticCounts, after: DiagnosticCounts): string[] {
  const added: string[] = [];
  for (const [file, keys] of after) {
    const previous = before.get(file);
    for (const [key, count] of keys) {
      const extra = count - (previous?.get(key) ?? 0);
      for (let index = 0; index < extra; index++) added.push(`${file}: ${key}`);
    }
  }
  return added;
}
