import * as ts from "typescript";
import type { Engine } from "../analysis/engine";
import { programWith } from "../rules/util/speculative";

/** Per file, how many times each diagnostic (code and message, not position: edits move them) occurs. */
export type DiagnosticCounts = Map<string, Map<string, number>>;

/** Program-wide diagnostics (options, globals) are filed under this key per project. */
const globalKey = (projectName: string) => `<global> ${projectName}`;

/**
 * TypeScript's verdict on the workspace as the engine currently sees it (open buffers
 * included), as `tsc` reaches it: syntactic and semantic diagnostics of `files` (default: every
 * analyzed file), plus each project's global and options diagnostics when all files are asked
 * for. Checked by a fresh checker, file by file in the program's order (`tsc`'s: a file after
 * the files it imports), never by the engine's own checker, which the rules have already led
 * through the files in their order. Some diagnostics depend on that order (circularities,
 * instantiation depth: see the ts-ignore rule), and only `tsc`'s order is the build's. A subset
 * is checked in the same relative order, without the files before it.
 */
export function collectDiagnostics(engine: Engine, files?: Iterable<string>): DiagnosticCounts {
  const counts: DiagnosticCounts = new Map();
  const wanted = files ? new Set(files) : undefined;
  for (const [project, projectFiles] of engine.workspace.filesByProject()) {
    const program = programWith(project.program());
    if (!wanted) record(counts, globalKey(project.name), [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]);
    const position = new Map(program.getSourceFiles().map((sourceFile, index) => [sourceFile, index]));
    const checked: Array<[string, ts.SourceFile]> = [];
    for (const file of projectFiles) {
      if (wanted && !wanted.has(file)) continue;
      const sourceFile = program.getSourceFile(file);
      if (sourceFile) checked.push([file, sourceFile]);
      else counts.set(file, new Map());
    }
    checked.sort(([, a], [, b]) => position.get(a)! - position.get(b)!);
    for (const [file, sourceFile] of checked) record(counts, file, [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]);
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
