/**
 * What every "restore compatibility" fix reads: the compared report, its baseline, the current
 * program, and the current API (described only when a fix needs it: it costs an extraction).
 */
import * as ts from "typescript";
import type { FileEdit } from "../findings";
import type { ApiBaseline } from "./baseline";
import type { ContractReport } from "./contractRunner";
import { extractContract } from "./extract";
import type { ApiExport, ApiSurface, ContractChange } from "./model";

export interface RestoreInput {
  /** A compared API report (status "compared"). */
  report: ContractReport;
  /** The parsed baseline of that contract (`parseBaseline(…).baseline`). */
  baseline: ApiBaseline;
  /** The current program: it contains the contract's entry and sources. */
  program: ts.Program;
  /** The current API when the caller has it (the comparison extracted it); else it is extracted when a rename needs it. */
  currentApi?: ApiSurface;
}

export interface RestoreFix {
  /** The breaking change this fix answers (for a rename, the `export-removed` one). */
  change: ContractChange;
  title: string;
  /** Why it keeps old consumers compiling, and what it does not guarantee. */
  rationale: string;
  /** Edits against the current text of each file (0-based line/character, UTF-16). */
  changes: FileEdit[];
}

export class RestoreContext {
  readonly checker: ts.TypeChecker;
  readonly contract: string;
  readonly baselineVersion: string;
  private currentSurface: ApiSurface | undefined;

  constructor(readonly input: RestoreInput) {
    this.checker = input.program.getTypeChecker();
    this.contract = input.report.target.name;
    this.baselineVersion = input.baseline.version;
    this.currentSurface = input.currentApi;
  }

  get program(): ts.Program {
    return this.input.program;
  }

  get entryFile(): string {
    return this.input.report.target.file;
  }

  get currentApi(): ApiSurface {
    this.currentSurface ??= extractContract(this.input.program, this.entryFile).api;
    return this.currentSurface;
  }

  /** A file the fix may edit: part of the program, source (not a declaration file), not a dependency's. */
  editableSource(file: string): ts.SourceFile | undefined {
    const sourceFile = this.input.program.getSourceFile(file);
    if (!sourceFile || !isEditable(this.input.program, sourceFile)) return undefined;
    return sourceFile;
  }
}

export function isEditable(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  return !sourceFile.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sourceFile) && !sourceFile.fileName.includes("/node_modules/");
}

/** The description at a dotted path, following `aliasOf` to the one it is described under. */
export function describedAt(api: ApiSurface, path: string): ApiExport | undefined {
  let found = lookup(api, path);
  for (let hops = 0; found?.aliasOf !== undefined && hops < 8; hops++) found = lookup(api, found.aliasOf);
  return found?.aliasOf === undefined ? found : undefined;
}

function lookup(api: ApiSurface, path: string): ApiExport | undefined {
  let exports: Record<string, ApiExport> | undefined = api.exports;
  let found: ApiExport | undefined;
  for (const name of path.split(".")) {
    found = exports && Object.hasOwn(exports, name) ? exports[name] : undefined;
    if (!found) return undefined;
    exports = found.namespace?.exports;
  }
  return found;
}

/** The node of a kind that a change's location starts at (a parameter's or a variable's name). */
export function nodeAtChange<T extends ts.Node>(sourceFile: ts.SourceFile, change: ContractChange, wanted: (node: ts.Node, offset: number) => node is T): T | undefined {
  let offset: number;
  try {
    offset = sourceFile.getPositionOfLineAndCharacter(change.range.start.line, change.range.start.character);
  } catch {
    return undefined;
  }
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.getFullStart() || offset >= node.getEnd()) return;
    if (wanted(node, offset)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
