/**
 * The declaration files (.d.ts) of a contract's entry and of every workspace module they refer
 * to: what a baseline keeps so the classifier can later load the old API as a module beside the
 * current one and ask the checker whether the old types fit the new ones.
 *
 * Only what the declarations reach is kept (a module used only by function bodies is not), and
 * every import between kept files is rewritten to a relative `.js` specifier, which resolves to
 * the kept `.d.ts` under every module resolution mode: the bundle works wherever it is placed.
 * Imports of packages (node_modules) stay as written and resolve to the installed package.
 */
import * as path from "node:path";
import * as ts from "typescript";
import { normalizePath } from "../workspace/paths";
import { ContractError } from "./contractError";
import type { DeclarationBundle } from "./model";

export interface EmittedDeclarations {
  bundle: DeclarationBundle;
  /** What TypeScript said while writing declarations (e.g. an inferred type it cannot name); the bundle has `any` there. */
  problems: string[];
  /** Each file visited, by absolute path, as emitted: what an incremental emit keeps between edits. */
  emitted: Map<string, EmittedFile>;
}

/** One file's part of a bundle: its declaration text (undefined: not in the program), what TypeScript said, and the kept files its specifiers resolve to. */
export interface EmittedFile {
  text: string | undefined;
  problems: readonly string[];
  /** Specifier → the kept file (absolute) it resolves to; packages are not kept. */
  links: ReadonlyMap<string, string>;
  /** The text as last put in a bundle (specifiers rewritten), and the folder the bundle's keys were relative to: the same folder, the same text. */
  bundled?: { root: string; text: string };
}

/**
 * `reuse`: a file's earlier emit that the caller knows this program would give again (neither
 * the file nor anything it imports changed); undefined: emit it.
 */
export function emitContractDeclarations(program: ts.Program, entryFile: string, reuse?: (file: string) => EmittedFile | undefined): EmittedDeclarations {
  const entry = program.getSourceFile(entryFile);
  if (!entry) throw new ContractError("contract-entry-missing", `${entryFile} is not part of the TypeScript program`);
  const options = program.getCompilerOptions();
  const host = resolutionHost(program);
  const texts = new Map<string, string>();
  const problems: string[] = [];
  const emitted = new Map<string, EmittedFile>();
  const pending = [normalizePath(entry.fileName)];
  const queued = new Set(pending);
  /** Per kept file: specifier → the kept file it resolves to. */
  const links = new Map<string, ReadonlyMap<string, string>>();
  while (pending.length > 0) {
    const file = pending.shift()!;
    const result = reuse?.(file) ?? emitFile(program, file, options, host);
    emitted.set(file, result);
    problems.push(...result.problems);
    if (result.text === undefined) continue;
    texts.set(file, result.text);
    links.set(file, result.links);
    for (const target of result.links.values()) {
      if (!queued.has(target)) {
        queued.add(target);
        pending.push(target);
      }
    }
  }
  const root = commonFolder([...texts.keys()]);
  const keyOf = (file: string) => path.posix.relative(root, declarationName(file));
  const files: Record<string, string> = {};
  for (const [file, text] of texts) {
    const key = keyOf(file);
    const fileLinks = links.get(file)!;
    const result = emitted.get(file)!;
    if (result.bundled?.root !== root) {
      const bundled = file.endsWith(".json") ? text : rewriteSpecifiers(text, (specifier) => {
        const target = fileLinks.get(specifier);
        return target === undefined ? undefined : relativeSpecifier(key, keyOf(target));
      });
      result.bundled = { root, text: bundled };
    }
    files[key] = result.bundled.text;
  }
  return { bundle: { entry: keyOf(normalizePath(entry.fileName)), files }, problems, emitted };
}

function emitFile(program: ts.Program, file: string, options: ts.CompilerOptions, host: ts.ModuleResolutionHost): EmittedFile {
  const problems: string[] = [];
  const text = declarationText(program, file, problems);
  const links = new Map<string, string>();
  if (text === undefined || file.endsWith(".json")) return { text, problems, links };
  for (const specifier of moduleSpecifiers(text)) {
    const resolved = ts.resolveModuleName(specifier, file, options, host).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.includes("/node_modules/")) continue;
    links.set(specifier, normalizePath(resolved.resolvedFileName));
  }
  return { text, problems, links };
}

function declarationText(program: ts.Program, file: string, problems: string[]): string | undefined {
  const sourceFile = program.getSourceFile(file);
  if (file.endsWith(".json")) return sourceFile?.text ?? ts.sys.readFile(file);
  if (!sourceFile) return undefined;
  if (sourceFile.isDeclarationFile) return sourceFile.text;
  let text: string | undefined;
  // `forceDtsEmit`, emit's sixth (internal) parameter, writes declarations even under `noEmit`; the language service's getEmitOutput passes it too.
  const emit = program.emit as (...args: unknown[]) => ts.EmitResult;
  const result = emit.call(program, sourceFile, (name: string, output: string) => {
    if (/\.d\.[cm]?ts$/.test(name)) text = output;
  }, undefined, true, undefined, true);
  for (const diagnostic of result.diagnostics) problems.push(`${path.posix.basename(file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`);
  return text;
}

function resolutionHost(program: ts.Program): ts.ModuleResolutionHost {
  return {
    fileExists: (file) => program.getSourceFile(file) !== undefined || ts.sys.fileExists(file),
    readFile: (file) => program.getSourceFile(file)?.text ?? ts.sys.readFile(file),
    directoryExists: ts.sys.directoryExists,
    realpath: ts.sys.realpath,
    getDirectories: ts.sys.getDirectories,
  };
}

/** `a.ts` → `a.d.ts`, `a.mts` → `a.d.mts`, `a.cts` → `a.d.cts`, `a.tsx`/`a.js` → `a.d.ts`; declaration and JSON files keep their names. */
export function declarationName(file: string): string {
  if (/\.d\.[cm]?ts$/.test(file) || /\.d\.[^/]*\.ts$/.test(file) || file.endsWith(".json")) return file;
  const match = /\.([cm]?)[tj]sx?$/.exec(file);
  return match ? `${file.slice(0, match.index)}.d.${match[1]}ts` : `${file}.d.ts`;
}

function relativeSpecifier(fromKey: string, toKey: string): string {
  let relative = path.posix.relative(path.posix.dirname(fromKey), toKey);
  if (!relative.startsWith(".")) relative = `./${relative}`;
  if (relative.endsWith(".json")) return relative;
  return relative.replace(/\.d\.([cm]?)ts$/, (_, flavour: string) => `.${flavour}js`).replace(/\.d\.([^/]*)\.ts$/, ".$1");
}

function commonFolder(files: readonly string[]): string {
  let folder = path.posix.dirname(files[0]);
  for (const file of files) while (!file.startsWith(folder.endsWith("/") ? folder : `${folder}/`)) folder = path.posix.dirname(folder);
  return folder;
}

interface SpecifierSite {
  start: number;
  end: number;
  text: string;
}

/** Every module specifier a declaration file names: imports, re-exports, `import("…")` types, `import x = require("…")`, `/// <reference path>`. */
function specifierSites(text: string): SpecifierSite[] {
  const sourceFile = ts.createSourceFile("bundle.d.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: SpecifierSite[] = [];
  const add = (literal: ts.Node | undefined) => {
    if (literal && ts.isStringLiteralLike(literal)) sites.push({ start: literal.getStart(sourceFile) + 1, end: literal.getEnd() - 1, text: literal.text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isExternalModuleReference(node)) add(node.expression);
    else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) add(node.name);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const reference of sourceFile.referencedFiles) sites.push({ start: reference.pos, end: reference.end, text: reference.fileName });
  return sites;
}

function moduleSpecifiers(text: string): string[] {
  return [...new Set(specifierSites(text).map((site) => site.text))];
}

function rewriteSpecifiers(text: string, replacement: (specifier: string) => string | undefined): string {
  const sites = specifierSites(text).sort((a, b) => b.start - a.start);
  let result = text;
  for (const site of sites) {
    const next = replacement(site.text);
    if (next !== undefined) result = result.slice(0, site.start) + next + result.slice(site.end);
  }
  return result;
}
