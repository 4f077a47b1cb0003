import * as ts from "typescript";
import type { Finding } from "../findings";
import { rangeOf } from "../text";
import { discoverWorkspace, isInSkippedFolder } from "./discovery";
import { DocumentStore } from "./documents";
import { isSourceFile, isUnder, normalizePath } from "./paths";
import { Project, inferredProjectOptions, parseConfigFile } from "./project";

/**
 * The set of TypeScript projects behind the workspace folders, and which project owns each
 * file: the nearest tsconfig/jsconfig that includes it, or the inferred project for loose
 * files. Solution-style configs (`files: []` + `references`) own nothing themselves; their
 * references are discovered as configs of their own.
 */
export class Workspace {
  readonly documents = new DocumentStore();
  private readonly registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames);
  private readonly folders = new Set<string>();
  private projects: Project[] = [];
  private inferred: Project | undefined;
  private readonly owner = new Map<string, Project>();
  private readonly parsedConfigs = new Map<string, ts.ParsedCommandLine>();
  private configFindings: Finding[] = [];
  private discoveredPolicyFiles: string[] = [];

  constructor(private readonly log: (message: string) => void = () => {}) {}

  addFolder(folder: string): void {
    this.folders.add(normalizePath(folder));
    this.reload();
  }

  /** Records a folder; the caller reloads (the language server does it inside its progress report). */
  addFolderWithoutReload(folder: string): void {
    this.folders.add(normalizePath(folder));
  }

  removeFolderWithoutReload(folder: string): void {
    this.folders.delete(normalizePath(folder));
  }

  removeFolder(folder: string): void {
    this.folders.delete(normalizePath(folder));
    this.reload();
  }

  folderList(): string[] {
    return [...this.folders];
  }

  /** Rediscovers configs and files from disk. Called on start, on folder changes, and when a tsconfig changes. */
  reload(): void {
    for (const project of this.allProjects()) project.dispose();
    this.projects = [];
    this.inferred = undefined;
    this.owner.clear();
    this.parsedConfigs.clear();
    this.configFindings = [];
    this.discoveredPolicyFiles = [];
    const looseCandidates: string[] = [];
    for (const folder of this.folders) {
      const started = Date.now();
      const { configFiles, sourceFiles, policyFiles } = discoverWorkspace(folder);
      this.discoveredPolicyFiles.push(...policyFiles);
      for (const configFile of configFiles) this.addConfigProject(configFile);
      looseCandidates.push(...sourceFiles);
      this.log(`discovered ${configFiles.length} config(s) and ${sourceFiles.length} source file(s) in ${folder} (${Date.now() - started} ms)`);
    }
    const loose = looseCandidates.filter((file) => !this.owner.has(file));
    if (loose.length > 0) {
      this.inferred = this.createProject({ configFile: undefined, options: inferredProjectOptions, rootFiles: loose, projectReferences: undefined, errors: [] });
      for (const file of loose) this.owner.set(file, this.inferred);
    }
  }

  private addConfigProject(configFile: string): void {
    const parsed = this.parsedConfig(configFile);
    this.configFindings.push(...parsed.errors.map((error) => configFinding(configFile, error)));
    const owned = parsed.fileNames.map(normalizePath).filter((file) => isSourceFile(file) && this.isInWorkspace(file) && !this.owner.has(file));
    if (owned.length === 0) return;
    const project = this.createProject({ configFile, options: parsed.options, rootFiles: parsed.fileNames, projectReferences: parsed.projectReferences, errors: parsed.errors });
    this.projects.push(project);
    for (const file of owned) this.owner.set(file, project);
  }

  private parsedConfig(configFile: string): ts.ParsedCommandLine {
    let parsed = this.parsedConfigs.get(configFile);
    if (!parsed) {
      parsed = parseConfigFile(configFile);
      this.parsedConfigs.set(configFile, parsed);
    }
    return parsed;
  }

  private createProject(config: ConstructorParameters<typeof Project>[0]): Project {
    return new Project(config, this.documents, this.registry, (file) => this.parsedConfig(file));
  }

  private isInWorkspace(file: string): boolean {
    if (file.includes("/node_modules/")) return false;
    for (const folder of this.folders) if (isUnder(file, folder) && !isInSkippedFolder(file, folder)) return true;
    return false;
  }

  allProjects(): Project[] {
    return this.inferred ? [...this.projects, this.inferred] : [...this.projects];
  }

  projectOf(file: string): Project | undefined {
    return this.owner.get(file);
  }

  /** Every file the engine analyzes, grouped so that one project's program is built once. */
  filesByProject(): Map<Project, string[]> {
    const groups = new Map<Project, string[]>();
    for (const [file, project] of this.owner) {
      let files = groups.get(project);
      if (!files) groups.set(project, (files = []));
      files.push(file);
    }
    for (const files of groups.values()) files.sort();
    return groups;
  }

  /** The `.selfheal/policy.yaml` files found by the last discovery. */
  policyFiles(): string[] {
    return [...this.discoveredPolicyFiles];
  }

  analyzedFiles(): string[] {
    return [...this.owner.keys()].sort();
  }

  /** Errors in tsconfig/jsconfig files, as findings on those files. */
  configErrors(): Finding[] {
    return this.configFindings;
  }

  /**
   * Files appeared (created on disk, or opened outside any project). Each joins the project
   * whose config includes it after one re-glob per project (a git checkout may create hundreds
   * of files at once), or else the inferred project.
   */
  filesCreated(files: string[]): void {
    const fresh: string[] = [];
    for (const file of files) {
      this.documents.invalidate(file);
      // An open buffer is analyzed wherever it lives (a single file opened without a folder);
      // a file that appears on disk only if it is part of the workspace.
      const wanted = this.documents.isOpen(file) ? !file.includes("/node_modules/") : this.isInWorkspace(file);
      if (!this.owner.has(file) && isSourceFile(file) && wanted) fresh.push(file);
    }
    if (fresh.length > 0) {
      for (const project of this.projects) {
        const configFile = project.config.configFile!;
        this.parsedConfigs.delete(configFile);
        const included = new Set(this.parsedConfig(configFile).fileNames.map(normalizePath));
        for (const file of fresh) {
          if (this.owner.has(file) || !included.has(file)) continue;
          project.addRoot(file);
          this.owner.set(file, project);
        }
      }
      for (const file of fresh) {
        if (this.owner.has(file)) continue;
        this.inferred ??= this.createProject({ configFile: undefined, options: inferredProjectOptions, rootFiles: [], projectReferences: undefined, errors: [] });
        this.inferred.addRoot(file);
        this.owner.set(file, this.inferred);
      }
    }
    this.structureChanged();
  }

  fileDeleted(file: string): Project | undefined {
    this.documents.invalidate(file);
    const project = this.owner.get(file);
    project?.removeRoot(file);
    this.owner.delete(file);
    this.structureChanged();
    return project;
  }

  fileChanged(file: string): Project | undefined {
    this.documents.invalidate(file);
    const project = this.owner.get(file);
    // A file imported by several projects (a shared module) is in all their programs.
    for (const other of this.allProjects()) other.changed();
    return project;
  }

  /** Module resolution may now find (or lose) files: every project must resolve afresh. */
  private structureChanged(): void {
    for (const project of this.allProjects()) project.changed(true);
  }
}

function configFinding(configFile: string, diagnostic: ts.Diagnostic): Finding {
  const file = diagnostic.file ? normalizePath(diagnostic.file.fileName) : normalizePath(configFile);
  const range =
    diagnostic.file && diagnostic.start !== undefined
      ? rangeOf(diagnostic.file, diagnostic.start, diagnostic.start + (diagnostic.length ?? 0))
      : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    ruleId: "tsconfig-error",
    file,
    range,
    severity: diagnostic.category === ts.DiagnosticCategory.Error ? "error" : "warning",
    message: `${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")} (TS${diagnostic.code}). Files of this project are still analyzed with the options that could be read.`,
    fixes: [],
    related: [],
  };
}
