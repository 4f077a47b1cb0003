/**
 * The current side of an API contract, kept up to date edit by edit in the language server.
 * Extracting zod's whole API and writing its declarations takes seconds; an edit usually reaches
 * a few exports. So the last extraction is kept per top-level export (its description, where its
 * parts are declared, and the files it was read from) and per declaration file (its emit), and
 * after an edit only what the edit can reach is done again:
 *
 * - the files whose parsed source changed (TypeScript's language service keeps the source file
 *   object of every file it did not re-parse), and every file that imports one of them, directly
 *   or not (only through its imports can a file's types see another's), are the affected files;
 * - a top-level export read from no affected file keeps its description and locations;
 * - a declaration file of the bundle that is not affected keeps its emit;
 * - when no affected file is one the extraction read (a test was edited), nothing is done.
 *
 * Which names the entry exports, and the one path each symbol is described at, are worked out
 * anew each time (cheap, no types). Everything is extracted afresh when an edit can reach further
 * than its importers: the entry itself changed (its scope decides how types are written), a
 * changed file is a script or augments a module or the global scope, a changed file exports other
 * names (the paths and aliases of the rest may move), files were added or removed, or the
 * compiler options changed. The result is the same as a full extraction: test/unit/contracts
 * (incrementalApi.test.ts) checks it edit by edit.
 */
import * as path from "node:path";
import * as ts from "typescript";
import { normalizePath } from "../workspace/paths";
import type { CurrentApi } from "./apiContract";
import { emitContractDeclarations, type EmittedFile } from "./declarations";
import { extractContract, moduleExportList, type ExtractedExport } from "./extract";

/** What the last `currentApi` did, for the server's timing log. */
export interface IncrementalStats {
  /** `full`: everything extracted (`reason` says why); `incremental`: only what the edit reached; `unchanged`: the same program as last time. */
  mode: "full" | "incremental" | "unchanged";
  reason?: string;
  changedFiles: number;
  exports: { described: number; total: number };
  declarations: { emitted: number; total: number };
  extractMs: number;
  emitMs: number;
}

interface State {
  program: ts.Program;
  entryFile: string;
  name: string;
  options: string;
  /** Path → the source file object the last extraction read. */
  sources: Map<string, ts.SourceFile>;
  parts: Map<string, ExtractedExport>;
  emitted: Map<string, EmittedFile>;
  /** Per declaration file of the bundle: its export list as the extractor sees it (names, and what they are). */
  exportLists: Map<string, string>;
  /** Every file the extraction or the bundle read: an edit that affects none of them changes nothing. */
  read: Set<string>;
  current: CurrentApi;
}

type Plan = { full: true; reason: string; changed: number } | { full: false; changed: string[]; affected: Set<string> };

export class IncrementalApi {
  private state: State | undefined;
  private stats: IncrementalStats | undefined;

  /** What the last call did. */
  get lastStats(): IncrementalStats | undefined {
    return this.stats;
  }

  currentApi(program: ts.Program, entryFile: string, name: string): CurrentApi {
    const entry = normalizePath(entryFile);
    const previous = this.state;
    if (previous && previous.program === program && previous.entryFile === entry && previous.name === name) {
      this.stats = { ...this.stats!, mode: "unchanged", reason: undefined, changedFiles: 0, exports: { described: 0, total: previous.parts.size }, declarations: { emitted: 0, total: previous.emitted.size }, extractMs: 0, emitMs: 0 };
      return previous.current;
    }
    const sources = sourcesOf(program);
    const options = compilerOptionsKey(program.getCompilerOptions());
    const plan = previous && previous.entryFile === entry && previous.name === name ? planUpdate(previous, program, sources, options) : ({ full: true, reason: previous ? "another entry" : "first extraction", changed: 0 } as const);
    if (!plan.full && ![...plan.affected].some((file) => previous!.read.has(file))) {
      // A test, a script the contract never reaches: the same API, declared at the same places.
      this.state = { ...previous!, program, sources };
      this.stats = { mode: "incremental", changedFiles: plan.changed.length, exports: { described: 0, total: previous!.parts.size }, declarations: { emitted: 0, total: previous!.emitted.size }, extractMs: 0, emitMs: 0 };
      return previous!.current;
    }
    let reusedExports = 0;
    let keptDeclarations = 0;
    let started = performance.now();
    const extracted = extractContract(
      program,
      entryFile,
      plan.full
        ? undefined
        : (exportName, symbol) => {
            const part = reusableExport(previous!, plan.affected, exportName, symbol);
            if (part) reusedExports++;
            return part;
          },
    );
    const extractMs = performance.now() - started;
    started = performance.now();
    const emitted = emitContractDeclarations(
      program,
      entryFile,
      plan.full
        ? undefined
        : (file) => {
            const kept = plan.affected.has(file) ? undefined : previous!.emitted.get(file);
            if (kept) keptDeclarations++;
            return kept;
          },
    );
    const emitMs = performance.now() - started;
    const checker = program.getTypeChecker();
    const exportLists = new Map<string, string>();
    for (const file of emitted.emitted.keys()) {
      const kept = plan.full || plan.affected.has(file) ? undefined : previous!.exportLists.get(file);
      const list = kept ?? exportListOf(checker, sources.get(file));
      if (list !== undefined) exportLists.set(file, list);
    }
    const current: CurrentApi = { name, api: extracted.api, locations: extracted.locations, declarations: emitted.bundle, entryFile: entry, declarationProblems: emitted.problems };
    const read = new Set(emitted.emitted.keys());
    for (const part of extracted.parts.values()) for (const file of part.files) read.add(file);
    for (const location of extracted.locations.values()) read.add(location.file);
    this.state = { program, entryFile: entry, name, options, sources, parts: extracted.parts, emitted: emitted.emitted, exportLists, read, current };
    this.stats = {
      mode: plan.full ? "full" : "incremental",
      ...(plan.full ? { reason: plan.reason } : {}),
      changedFiles: plan.full ? plan.changed : plan.changed.length,
      exports: { described: extracted.parts.size - reusedExports, total: extracted.parts.size },
      declarations: { emitted: emitted.emitted.size - keptDeclarations, total: emitted.emitted.size },
      extractMs,
      emitMs,
    };
    return current;
  }
}

/** Whether (and what) an incremental extraction can keep from the last one; see the module comment. */
function planUpdate(previous: State, program: ts.Program, sources: Map<string, ts.SourceFile>, options: string): Plan {
  if (options !== previous.options) return { full: true, reason: "compiler options changed", changed: 0 };
  if (sources.size !== previous.sources.size || [...previous.sources.keys()].some((file) => !sources.has(file))) return { full: true, reason: "files added or removed", changed: 0 };
  const changed = [...sources].filter(([file, source]) => previous.sources.get(file) !== source).map(([file]) => file);
  if (changed.includes(previous.entryFile)) return { full: true, reason: "the entry changed", changed: changed.length };
  for (const file of changed) {
    if (reachesBeyondImporters(previous.sources.get(file)!) || reachesBeyondImporters(sources.get(file)!)) return { full: true, reason: `${path.posix.basename(file)} is a script or augments a module`, changed: changed.length };
  }
  const checker = program.getTypeChecker();
  for (const file of changed) {
    const before = previous.exportLists.get(file);
    if (before !== undefined && before !== exportListOf(checker, sources.get(file))) return { full: true, reason: `the exports of ${path.posix.basename(file)} changed`, changed: changed.length };
  }
  const importers = importersIn(program);
  if (!importers) return { full: true, reason: "the program's imports cannot be read", changed: changed.length };
  const affected = new Set(changed);
  const pending = [...changed];
  while (pending.length > 0) {
    for (const importer of importers.get(pending.pop()!) ?? []) {
      if (!affected.has(importer)) {
        affected.add(importer);
        pending.push(importer);
      }
    }
  }
  return { full: false, changed, affected };
}

/** A top-level export's last extraction, when nothing it was read from is affected and the name still stands for a symbol declared where it was. */
function reusableExport(previous: State, affected: ReadonlySet<string>, name: string, symbol: ts.Symbol): ExtractedExport | undefined {
  const part = previous.parts.get(name);
  if (!part || part.files.size === 0 || [...part.files].some((file) => affected.has(file))) return undefined;
  const declarations = symbol.declarations ?? [];
  return declarations.length > 0 && declarations.every((declaration) => part.files.has(normalizePath(declaration.getSourceFile().fileName))) ? part : undefined;
}

function sourcesOf(program: ts.Program): Map<string, ts.SourceFile> {
  const sources = new Map<string, ts.SourceFile>();
  for (const source of program.getSourceFiles()) sources.set(normalizePath(source.fileName), source);
  return sources;
}

/** Compiler options as text (they decide every type): the same text, the same options. */
export function compilerOptionsKey(options: ts.CompilerOptions): string {
  return JSON.stringify(options, (_, value: unknown) => (typeof value === "function" ? undefined : value));
}

/** A script's declarations are global; `declare global` and `declare module "x"` reach files that never import this one. */
function reachesBeyondImporters(source: ts.SourceFile): boolean {
  if (source.fileName.endsWith(".json")) return false;
  if (!ts.isExternalModule(source)) return true;
  return source.statements.some((statement) => ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0));
}

/**
 * A module's export list as the extractor reads it: each name with what it stands for (its
 * kind, and the file and name of its declaration), namespaces declared in the file listed with
 * their own members. Undefined for a file that is not a module.
 */
function exportListOf(checker: ts.TypeChecker, source: ts.SourceFile | undefined): string | undefined {
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!source || !moduleSymbol) return undefined;
  const lines: string[] = [];
  const visit = (symbol: ts.Symbol, prefix: string, depth: number) => {
    for (const [name, target] of moduleExportList(checker, symbol)) {
      const declarations = target.declarations ?? [];
      lines.push(`${prefix}${name} ${target.flags} ${target.name} ${[...new Set(declarations.map((declaration) => normalizePath(declaration.getSourceFile().fileName)))].join(" ")}`);
      const ownNamespace = declarations.length > 0 && declarations.every((declaration) => !ts.isSourceFile(declaration) && declaration.getSourceFile() === source);
      if (ownNamespace && depth < 10 && target.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule) && target !== symbol) visit(target, `${prefix}${name}.`, depth + 1);
    }
  };
  visit(moduleSymbol, "", 0);
  return lines.join("\n");
}

/**
 * File → the files that import it, from the resolutions the program already made (its internal
 * `forEachResolvedModule`, which TypeScript's own builder reads), or undefined when this
 * TypeScript does not have it: everything is then extracted afresh.
 */
function importersIn(program: ts.Program): Map<string, string[]> | undefined {
  const forEachResolvedModule = (program as unknown as { forEachResolvedModule?: (callback: (resolution: ts.ResolvedModuleWithFailedLookupLocations, name: string, mode: unknown, filePath: string) => void) => void }).forEachResolvedModule;
  if (typeof forEachResolvedModule !== "function") return undefined;
  const nameOfPath = new Map<string, string>();
  for (const source of program.getSourceFiles()) nameOfPath.set((source as unknown as { path: string }).path, normalizePath(source.fileName));
  const importers = new Map<string, string[]>();
  const add = (imported: string, importer: string) => {
    const list = importers.get(imported) ?? [];
    importers.set(imported, list);
    list.push(importer);
  };
  forEachResolvedModule.call(program, (resolution, _name, _mode, filePath) => {
    const importer = nameOfPath.get(filePath);
    const resolved = resolution.resolvedModule?.resolvedFileName;
    if (importer && resolved) add(normalizePath(resolved), importer);
  });
  for (const source of program.getSourceFiles()) {
    for (const reference of source.referencedFiles) add(normalizePath(path.resolve(path.dirname(source.fileName), reference.fileName)), normalizePath(source.fileName));
  }
  return importers;
}
