import * as ts from "typescript";
import type { DocumentStore } from "./documents";
import { snapshotOf } from "./documents";
import { isJavaScript, normalizePath } from "./paths";

export interface ProjectConfig {
  /** The tsconfig/jsconfig it came from; undefined for the inferred project of loose files. */
  configFile: string | undefined;
  options: ts.CompilerOptions;
  rootFiles: string[];
  projectReferences: readonly ts.ProjectReference[] | undefined;
  errors: readonly ts.Diagnostic[];
}

/** Options for files no tsconfig claims: permissive enough to type loose scripts, strict enough to be useful. */
export const inferredProjectOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.Preserve,
  allowJs: true,
  checkJs: false,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  allowNonTsExtensions: true,
};

/**
 * One TypeScript program, kept incrementally by a LanguageService: after an edit the service
 * re-parses only the changed file and reuses every other SourceFile. The type checker, though,
 * is rebuilt lazily per program; that rebuild is the floor for type-aware latency.
 */
export class Project {
  readonly languageService: ts.LanguageService;
  private readonly rootFiles: Set<string>;
  private readonly moduleResolutionCache: ts.ModuleResolutionCache;
  private projectVersion = 0;

  constructor(
    readonly config: ProjectConfig,
    private readonly documents: DocumentStore,
    registry: ts.DocumentRegistry,
    private readonly parseReferencedConfig: (configFile: string) => ts.ParsedCommandLine | undefined,
  ) {
    this.rootFiles = new Set(config.rootFiles.map(normalizePath));
    const currentDirectory = config.configFile ? normalizePath(config.configFile).replace(/\/[^/]*$/, "") : process.cwd();
    this.moduleResolutionCache = ts.createModuleResolutionCache(currentDirectory, (name) => name, config.options);
    const host: ts.LanguageServiceHost & { useSourceOfProjectReferenceRedirect(): boolean } = {
      getCompilationSettings: () => config.options,
      getProjectReferences: () => config.projectReferences,
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => [...this.rootFiles],
      getScriptVersion: (file) => documents.version(normalizePath(file)),
      getScriptSnapshot: (file) => {
        const text = documents.read(normalizePath(file));
        return text === undefined ? undefined : snapshotOf(text);
      },
      getCurrentDirectory: () => currentDirectory,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => documents.exists(normalizePath(file)),
      readFile: (file) => documents.read(normalizePath(file)),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      getParsedCommandLine: (file) => this.parseReferencedConfig(normalizePath(file)),
      // Read referenced projects' sources, not their build output: the output may not exist
      // yet, and findings must follow the code being typed, not the last build.
      useSourceOfProjectReferenceRedirect: () => true,
    };
    this.languageService = ts.createLanguageService(host, registry);
  }

  get name(): string {
    return this.config.configFile ?? "(inferred project)";
  }

  hasRoot(file: string): boolean {
    return this.rootFiles.has(file);
  }

  roots(): string[] {
    return [...this.rootFiles];
  }

  addRoot(file: string): void {
    if (!this.rootFiles.has(file)) {
      this.rootFiles.add(file);
      this.changed();
    }
  }

  removeRoot(file: string): void {
    if (this.rootFiles.delete(file)) this.changed();
  }

  /** Any content or file-set change: the next `program()` re-syncs with the host. */
  changed(structural = false): void {
    this.projectVersion++;
    if (structural) this.moduleResolutionCache.clear();
  }

  program(): ts.Program {
    const program = this.languageService.getProgram();
    if (!program) throw new Error(`TypeScript produced no program for ${this.name}`);
    return program;
  }

  /** Type-aware rules run on TypeScript, and on JavaScript only where the user asked for checking. */
  wantsTypeInfo(sourceFile: ts.SourceFile): boolean {
    const header = sourceFile.text.slice(0, 2000);
    if (/\/\/\s*@ts-nocheck/.test(header)) return false;
    if (!isJavaScript(sourceFile.fileName)) return true;
    return this.config.options.checkJs === true || /\/\/\s*@ts-check/.test(header);
  }

  resolveImport(specifier: string, containingFile: string): string | undefined {
    const resolved = ts.resolveModuleName(specifier, containingFile, this.config.options, moduleResolutionHost(this.documents), this.moduleResolutionCache).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    return normalizePath(resolved.resolvedFileName);
  }

  dispose(): void {
    this.languageService.dispose();
  }
}

function moduleResolutionHost(documents: DocumentStore): ts.ModuleResolutionHost {
  return {
    fileExists: (file) => documents.exists(normalizePath(file)),
    readFile: (file) => documents.read(normalizePath(file)),
    directoryExists: ts.sys.directoryExists,
    realpath: ts.sys.realpath,
    getDirectories: ts.sys.getDirectories,
  };
}

/** Parses a tsconfig/jsconfig; never throws: a broken config yields its errors and what could be read. */
export function parseConfigFile(configFile: string): ts.ParsedCommandLine {
  const errors: ts.Diagnostic[] = [];
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => errors.push(diagnostic),
  };
  const isJsConfig = /(^|\/)jsconfig(\..+)?\.json$/.test(configFile);
  const defaults: ts.CompilerOptions = isJsConfig ? { allowJs: true, maxNodeModuleJsDepth: 2, allowSyntheticDefaultImports: true, skipLibCheck: true, noEmit: true } : {};
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, defaults, host);
  if (!parsed) {
    return { options: {}, fileNames: [], errors, projectReferences: undefined } as unknown as ts.ParsedCommandLine;
  }
  // JSON syntax errors (a missing comma) live in the config source file, not in `errors`.
  parsed.errors = [...errors, ...ts.getConfigFileParsingDiagnostics(parsed)];
  return parsed;
}
