/**
 * The checker's view of a baseline beside the current code. Both sides are loaded as
 * declaration bundles into one small in-memory program, each under its own virtual folder in the
 * package (so `import "dep"` resolves to the package's node_modules), with a generated probe
 * module that names every export on both sides:
 *
 *     import * as __old from "./baseline/index.js";
 *     import * as __new from "./current/index.js";
 *     export declare function __probe3<T0>(): [__old.Box<T0>, __new.Box<T0>];
 *
 * A probe's return type gives the two types side by side, generic ones instantiated with the
 * same type arguments, so `isTypeAssignableTo` can relate them member by member.
 *
 * Private and protected class members are dropped from both bundles first: TypeScript compares
 * them by declaration, so `class C { private x }` of the baseline would never be assignable to
 * the current `C` even when nothing changed. The classifier compares them as descriptions.
 */
import * as path from "node:path";
import * as ts from "typescript";
import { normalizePath } from "../workspace/paths";
import type { DeclaredTypesCache, HiddenType } from "./hiddenTypes";
import type { DeclarationBundle } from "./model";

export interface ProbeRequest {
  /** Dotted export path (`parse`, `ns.Options`); `export=` for an `export =` module's export. */
  path: string;
  meaning: "value" | "type";
  /** Type arguments to instantiate a generic type with (the same fresh ones on both sides). */
  typeArguments: number;
}

export interface TypePair {
  old: ts.Type;
  new: ts.Type;
  /** The declarations' symbols (aliases resolved), for type parameters and base types. */
  oldSymbol?: ts.Symbol;
  newSymbol?: ts.Symbol;
}

export interface ComparisonInput {
  baseline: DeclarationBundle;
  current: DeclarationBundle;
  /** The folder the bundles are placed in: the package root of the current entry. */
  folder: string;
  options: ts.CompilerOptions;
  probes: readonly ProbeRequest[];
  /** Declarations the contract does not export but uses, related one by one (hiddenTypes.ts); their pairs are under `hiddenPath()`. */
  hidden?: readonly HiddenType[];
  /** A program whose parsed files (lib and node_modules declarations) are reused as they are. */
  reuse?: ts.Program;
  /** What the comparisons of one contract share between edits (see ComparisonCache). */
  cache?: ComparisonCache;
}

/**
 * What the comparisons of one contract share from one edit to the next: the bundles' files as
 * loaded (rewritten, parsed, and bound: TypeScript keeps the binding on the file), and the last
 * program, whose module resolutions the next one reuses. The baseline's files do not change
 * between edits and the current side's change a file at a time, so a comparison after an edit
 * parses only what the edit changed. One entry per file name: memory stays one bundle's worth.
 */
export class ComparisonCache {
  private readonly texts = new Map<string, { inputs: readonly string[]; text: string }>();
  private readonly files = new Map<string, { text: string; version: string; sourceFile: ts.SourceFile }>();
  /** The last comparison's program (its checker's types are dropped with the next one). */
  previous: ts.Program | undefined;
  /** The type declarations of each bundle file, for the hidden-type check (hiddenTypes.ts). */
  readonly declaredTypes: DeclaredTypesCache = new Map();

  /** `make(...inputs)`, or the text it gave last time for this file with the same inputs. */
  text(file: string, inputs: readonly string[], make: () => string): string {
    const cached = this.texts.get(file);
    if (cached && cached.inputs.length === inputs.length && cached.inputs.every((input, index) => input === inputs[index])) return cached.text;
    const text = make();
    this.texts.set(file, { inputs, text });
    return text;
  }

  sourceFile(fileName: string, text: string, languageVersionOrOptions: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.SourceFile {
    const version = typeof languageVersionOrOptions === "object" ? `${languageVersionOrOptions.languageVersion}/${languageVersionOrOptions.impliedNodeFormat}/${languageVersionOrOptions.jsDocParsingMode}` : String(languageVersionOrOptions);
    const cached = this.files.get(fileName);
    if (cached && cached.text === text && cached.version === version) return cached.sourceFile;
    const sourceFile = ts.createSourceFile(fileName, text, languageVersionOrOptions, true);
    this.files.set(fileName, { text, version, sourceFile });
    return sourceFile;
  }
}

export const virtualFolderName = "__selfheal_contract__";

export class TypeComparison {
  readonly checker: ts.TypeChecker;
  readonly program: ts.Program;
  private readonly pairs = new Map<string, TypePair>();

  constructor(input: ComparisonInput) {
    const root = `${normalizePath(input.folder)}/${virtualFolderName}`;
    const files = new Map<string, string>();
    for (const [side, bundle] of [["baseline", input.baseline], ["current", input.current]] as const) {
      for (const [key, text] of Object.entries(bundle.files)) {
        if (key.endsWith(".json")) {
          files.set(`${root}/${side}/${key}`, text);
          continue;
        }
        const file = `${root}/${side}/${key}`;
        const hiddenText = hiddenExports(input.hidden ?? [], key);
        const load = () => {
          const structural = withoutNominalMembers(text) + hiddenText;
          return side === "baseline" ? sharingUniqueSymbols(structural, key, input.current.files[key]) : structural;
        };
        files.set(file, input.cache ? input.cache.text(file, [text, hiddenText, side === "baseline" ? (input.current.files[key] ?? "") : ""], load) : load());
      }
    }
    const probeFile = `${root}/probe.ts`;
    const { text, sites } = probeText(input.probes, input.hidden ?? [], specifierOf(input.baseline.entry, "./baseline/"), specifierOf(input.current.entry, "./current/"));
    files.set(probeFile, text);
    const options = comparisonOptions(input.options);
    const cache = input.cache;
    this.program = ts.createProgram({ rootNames: [probeFile], options, host: virtualHost(options, root, files, input.reuse, cache), oldProgram: cache?.previous });
    if (cache) cache.previous = this.program;
    this.checker = this.program.getTypeChecker();
    this.readProbes(this.program.getSourceFile(probeFile)!, sites);
  }

  pair(path: string, meaning: ProbeRequest["meaning"]): TypePair | undefined {
    return this.pairs.get(`${meaning}:${path}`);
  }

  private readProbes(probe: ts.SourceFile, sites: ReadonlyMap<string, ProbeRequest>): void {
    const unresolved = new Set<string>();
    for (const diagnostic of this.program.getSemanticDiagnostics(probe)) {
      // An instantiation that breaks a constraint (TS2344) still instantiates; anything else means a side is missing.
      if (diagnostic.code === 2344 || diagnostic.start === undefined) continue;
      const statement = probe.statements.find((candidate) => candidate.pos <= diagnostic.start! && diagnostic.start! < candidate.end);
      if (statement && ts.isFunctionDeclaration(statement) && statement.name) unresolved.add(statement.name.text);
    }
    for (const statement of probe.statements) {
      if (!ts.isFunctionDeclaration(statement) || !statement.name || unresolved.has(statement.name.text)) continue;
      const request = sites.get(statement.name.text);
      const tuple = statement.type && ts.isTupleTypeNode(statement.type) ? statement.type : undefined;
      if (!request || !tuple || tuple.elements.length !== 2) continue;
      const [oldNode, newNode] = tuple.elements;
      this.pairs.set(`${request.meaning}:${request.path}`, {
        old: this.checker.getTypeFromTypeNode(oldNode),
        new: this.checker.getTypeFromTypeNode(newNode),
        oldSymbol: this.symbolOf(oldNode),
        newSymbol: this.symbolOf(newNode),
      });
    }
  }

  private symbolOf(node: ts.TypeNode): ts.Symbol | undefined {
    const name = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : undefined;
    const symbol = name && this.checker.getSymbolAtLocation(name);
    return symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }
}

function specifierOf(entryKey: string, prefix: string): string {
  return prefix + entryKey.replace(/\.d\.([cm]?)ts$/, (_, flavour: string) => `.${flavour}js`).replace(/\.d\.([^/]*)\.ts$/, ".$1");
}

const identifierName = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Where a hidden type's pair is: `comparison.pair(hiddenPath(type), "type")`. */
export function hiddenPath(hidden: { module: string; name: string }): string {
  return `hidden:${hidden.module}#${hidden.name}`;
}

/** Re-exports under a fixed alias of the hidden types a file declares, so the probe can name them. */
function hiddenExports(hidden: readonly HiddenType[], key: string): string {
  const lines = hidden.flatMap((type, index) => (type.module === key && type.typeArguments !== undefined ? [`export type { ${type.name} as __selfheal_hidden${index} };`] : []));
  return lines.length === 0 ? "" : `\n${lines.join("\n")}\n`;
}

function probeText(probes: readonly ProbeRequest[], hidden: readonly HiddenType[], baseline: string, current: string): { text: string; sites: Map<string, ProbeRequest> } {
  const hasExportEquals = probes.some((probe) => probe.path === "export=" || probe.path.startsWith("export=."));
  const lines = hasExportEquals
    ? [`import __old = require(${JSON.stringify(baseline)});`, `import __new = require(${JSON.stringify(current)});`]
    : [`import * as __old from ${JSON.stringify(baseline)};`, `import * as __new from ${JSON.stringify(current)};`];
  const sites = new Map<string, ProbeRequest>();
  probes.forEach((probe, index) => {
    const segments = probe.path.split(".");
    if (segments[0] === "export=") segments.shift();
    else if (hasExportEquals) return;
    if (!segments.every((segment) => identifierName.test(segment))) return;
    const name = `__probe${index}`;
    const reference = (side: string) => [side, ...segments].join(".");
    const parameters = Array.from({ length: probe.typeArguments }, (_, position) => `T${position}`);
    const typeArguments = parameters.length > 0 ? `<${parameters.join(", ")}>` : "";
    const pair =
      probe.meaning === "value"
        ? `[typeof ${reference("__old")}, typeof ${reference("__new")}]`
        : `[${reference("__old")}${typeArguments}, ${reference("__new")}${typeArguments}]`;
    lines.push(`export declare function ${name}${typeArguments}(): ${pair};`);
    sites.set(name, probe);
  });
  const modules = [...new Set(hidden.filter((type) => type.typeArguments !== undefined).map((type) => type.module))];
  modules.forEach((module, index) => {
    lines.unshift(`import * as __oldModule${index} from ${JSON.stringify(specifierOf(module, "./baseline/"))};`, `import * as __newModule${index} from ${JSON.stringify(specifierOf(module, "./current/"))};`);
  });
  hidden.forEach((type, index) => {
    if (type.typeArguments === undefined) return;
    const module = modules.indexOf(type.module);
    const parameters = Array.from({ length: type.typeArguments }, (_, position) => `T${position}`);
    const typeArguments = parameters.length > 0 ? `<${parameters.join(", ")}>` : "";
    const name = `__hidden${index}`;
    lines.push(`export declare function ${name}${typeArguments}(): [__oldModule${module}.__selfheal_hidden${index}${typeArguments}, __newModule${module}.__selfheal_hidden${index}${typeArguments}];`);
    sites.set(name, { path: hiddenPath(type), meaning: "type", typeArguments: type.typeArguments });
  });
  return { text: lines.join("\n") + "\n", sites };
}

function comparisonOptions(options: ts.CompilerOptions): ts.CompilerOptions {
  const {
    outDir: _outDir,
    outFile: _outFile,
    rootDir: _rootDir,
    declarationDir: _declarationDir,
    tsBuildInfoFile: _tsBuildInfoFile,
    composite: _composite,
    incremental: _incremental,
    ...kept
  } = options;
  return { ...kept, noEmit: true, declaration: false, emitDeclarationOnly: false, allowImportingTsExtensions: true, skipLibCheck: true, noUnusedLocals: false, noUnusedParameters: false };
}

function virtualHost(options: ts.CompilerOptions, root: string, files: ReadonlyMap<string, string>, reuse: ts.Program | undefined, cache: ComparisonCache | undefined): ts.CompilerHost {
  const system = ts.createCompilerHost(options, true);
  const isVirtual = (file: string) => file === root || file.startsWith(`${root}/`);
  const folders = new Set<string>();
  for (const file of files.keys()) for (let folder = path.posix.dirname(file); isVirtual(folder) && !folders.has(folder); folder = path.posix.dirname(folder)) folders.add(folder);
  return {
    ...system,
    getSourceFile(fileName, languageVersionOrOptions, onError) {
      const file = normalizePath(fileName);
      const text = files.get(file);
      if (text !== undefined) return cache ? cache.sourceFile(fileName, text, languageVersionOrOptions) : ts.createSourceFile(fileName, text, languageVersionOrOptions, true);
      if (isVirtual(file)) return undefined;
      return reuse?.getSourceFile(fileName) ?? system.getSourceFile(fileName, languageVersionOrOptions, onError);
    },
    fileExists: (fileName) => {
      const file = normalizePath(fileName);
      return isVirtual(file) ? files.has(file) : system.fileExists(fileName);
    },
    readFile: (fileName) => {
      const file = normalizePath(fileName);
      return isVirtual(file) ? files.get(file) : system.readFile(fileName);
    },
    directoryExists: (folderName) => {
      const folder = normalizePath(folderName);
      return isVirtual(folder) ? folders.has(folder) : (system.directoryExists?.(folderName) ?? ts.sys.directoryExists(folderName));
    },
    realpath: (fileName) => (isVirtual(normalizePath(fileName)) ? fileName : (system.realpath?.(fileName) ?? fileName)),
  };
}

/** Drops private and protected class members (and `#private;`), which TypeScript compares by declaration, not by shape. */
export function withoutNominalMembers(text: string): string {
  if (!/\b(private|protected)\b|#private/.test(text)) return text;
  const sourceFile = ts.createSourceFile("bundle.d.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const cuts: Array<{ start: number; end: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      for (const member of node.members) {
        const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
        const privateName = member.name !== undefined && ts.isPrivateIdentifier(member.name);
        if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || privateName) cuts.push({ start: member.getStart(sourceFile), end: member.getEnd() });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  let result = text;
  for (const cut of cuts.sort((a, b) => b.start - a.start)) result = result.slice(0, cut.start) + result.slice(cut.end);
  return result;
}

/**
 * A `unique symbol` is one of a kind: the baseline's `$brand` and the current `$brand` are two
 * symbols, so every type keyed by one (`{ [$brand]: … }`) would differ from its copy. A baseline
 * declaration `export declare const $brand: unique symbol` becomes `typeof` the current one when
 * the current file of the same name still exports it, so both sides share the key.
 */
export function sharingUniqueSymbols(text: string, key: string, currentText: string | undefined): string {
  if (currentText === undefined || !text.includes("unique symbol")) return text;
  const exported = exportedUniqueSymbols(currentText);
  if (exported.size === 0) return text;
  const sourceFile = ts.createSourceFile("baseline.d.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specifier = `../current/${key.replace(/\.d\.([cm]?)ts$/, (_, flavour: string) => `.${flavour}js`)}`;
  const depth = key.split("/").length - 1;
  const relative = `${"../".repeat(depth)}${specifier}`;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const type = declaration.type;
      if (!ts.isIdentifier(declaration.name) || !type || !isUniqueSymbol(type) || !exported.has(declaration.name.text)) continue;
      edits.push({ start: type.getStart(sourceFile), end: type.getEnd(), text: `typeof import(${JSON.stringify(relative)}).${declaration.name.text}` });
    }
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

function exportedUniqueSymbols(text: string): Set<string> {
  const names = new Set<string>();
  if (!text.includes("unique symbol")) return names;
  const sourceFile = ts.createSourceFile("current.d.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.type && isUniqueSymbol(declaration.type)) names.add(declaration.name.text);
  }
  return names;
}

function isUniqueSymbol(type: ts.TypeNode): boolean {
  return ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.UniqueKeyword;
}
