import { createHash } from "node:crypto";
import * as ts from "typescript";
import { ContractDrift, type ContractCheck } from "../contracts/contractDrift";
import type { ContractTarget } from "../contracts/contractTargets";
import { compareFindings, type Finding, type Fix } from "../findings";
import { collectImports, ImportGraph } from "../graph/importGraph";
import type { PolicyProblem } from "../policy/model";
import { isPolicyFile, PolicySet } from "../policy/policySet";
import { fileRules, findRule, workspaceRules } from "../rules";
import type { FileRule, FixBuilder, RuleMeta, TextSpan } from "../rules/rule";
import { defaultEngineSettings, effectiveSeverity, ruleOptions, sameRuleOptions, type EngineSettings } from "../settings";
import { rangeOf } from "../text";
import type { Project } from "../workspace/project";
import { Workspace } from "../workspace/workspace";

export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** What one analysis phase produced for one file at one content version. */
interface PhaseResult {
  version: string;
  findings: Finding[];
}

interface FileResults {
  syntactic?: PhaseResult;
  semantic?: PhaseResult;
}

export interface AnalyzeAllOptions {
  token?: CancellationToken;
  /** Called after each file with (done, total). */
  onProgress?(done: number, total: number): void;
  /** Give other work (LSP requests) a turn between files; the CLI passes nothing. */
  yieldBetweenFiles?: () => Promise<void>;
}

/**
 * The analysis engine behind the language server and the CLI. Two phases per file:
 * *syntactic* (parse only; runs on every keystroke) and *type-aware* (needs the project's
 * program and checker; runs after a debounce). Workspace-level rules (import cycles) run over
 * the import graph, which the syntactic phase keeps up to date.
 */
export class Engine {
  readonly workspace: Workspace;
  readonly graph = new ImportGraph();
  private readonly results = new Map<string, FileResults>();
  private readonly skipReported = new Set<string>();
  /** Files with a relative import that resolved to nothing: a file created later may complete them. */
  private readonly unresolvedImporters = new Set<string>();
  private workspaceFindingsCache: Map<string, Finding[]> | undefined;
  /** Bumps whenever workspace-level findings may have changed, so publishers know to refresh them. */
  workspaceFindingsGeneration = 0;
  /** Contract drift: the last report of each contract, compared only when `checkContracts` asks. */
  readonly contracts: ContractDrift;

  constructor(
    private settings: EngineSettings = defaultEngineSettings,
    private readonly logger: Logger = silentLogger,
    /** The workspace's policies: they decide severities, scope and exceptions per file, over the settings. */
    readonly policies: PolicySet = new PolicySet(),
  ) {
    this.workspace = new Workspace((message) => logger.info(message));
    this.contracts = new ContractDrift({
      folders: () => this.workspace.folderList(),
      policies: this.policies,
      projectProgram: (file) => {
        const project = this.workspace.projectOf(file);
        return project && this.programOf(project);
      },
      importersOf: (file) => this.graph.transitiveImporters(file),
      textOf: (file) => this.workspace.documents.read(file),
    });
  }

  /** Compares the contracts `select` picks (all by default) with their baselines; returns the files to republish. */
  checkContracts(select?: (target: ContractTarget) => boolean): ContractCheck {
    return this.contracts.check(select);
  }

  /**
   * Severities apply when findings are read, so they need no re-analysis. Returns true when the
   * new settings change what the rules compute (typeAware, file size, rule options): the caller
   * should then run `analyzeAll` again.
   */
  updateSettings(settings: EngineSettings): boolean {
    const previous = this.settings;
    this.settings = settings;
    this.invalidateWorkspaceFindings();
    // Rules that are off do not run (they cost time), so turning one on needs an analysis too.
    const turnedOn = fileRules.some(({ meta }) => effectiveSeverity(previous, meta.id, meta.defaultSeverity) === "off" && effectiveSeverity(settings, meta.id, meta.defaultSeverity) !== "off");
    return previous.typeAware !== settings.typeAware || previous.maxFileSizeKB !== settings.maxFileSizeKB || !sameRuleOptions(previous, settings) || turnedOn;
  }

  /** An editor buffer opened or changed: it now wins over the disk copy in every project. */
  updateDocument(file: string, text: string, version: number): void {
    if (isPolicyFile(file)) {
      this.policies.setBuffer(file, text);
      return;
    }
    const documents = this.workspace.documents;
    const isNew = !documents.isOpen(file);
    const previous = { text: documents.read(file), version: documents.version(file) };
    documents.setOpen(file, text, version);
    if (previous.text === text) this.sameTextNewVersion(file, previous.version);
    if (isNew && !this.workspace.projectOf(file)) this.workspace.filesCreated([file]);
    for (const project of this.workspace.allProjects()) project.changed();
  }

  /** The buffer closed: the disk copy is the truth again (it may differ if the user did not save). */
  closeDocument(file: string): void {
    if (isPolicyFile(file)) {
      this.policies.setBuffer(file, undefined);
      return;
    }
    const documents = this.workspace.documents;
    const previous = { text: documents.read(file), version: documents.version(file) };
    documents.close(file);
    if (documents.read(file) === previous.text) this.sameTextNewVersion(file, previous.version);
    for (const project of this.workspace.allProjects()) project.changed();
  }

  /**
   * Opening a file as it is on disk (or closing it saved) changes its version, not its text:
   * the findings computed for the old version still hold, so they must not read as stale.
   */
  private sameTextNewVersion(file: string, previousVersion: string): void {
    const entry = this.results.get(file);
    const version = this.workspace.documents.version(file);
    for (const phase of [entry?.syntactic, entry?.semantic]) if (phase?.version === previousVersion) phase.version = version;
  }

  /** Runs both phases over every file; `findingsFor` / `allFindings` read the results. */
  async analyzeAll(options: AnalyzeAllOptions = {}): Promise<void> {
    this.policies.load(this.workspace.folderList(), this.workspace.policyFiles());
    this.invalidateWorkspaceFindings();
    const groups = this.workspace.filesByProject();
    const total = [...groups.values()].reduce((sum, files) => sum + files.length, 0);
    let done = 0;
    for (const [project, files] of groups) {
      const started = Date.now();
      const program = this.programOf(project);
      this.logger.info(`program for ${project.name}: ${files.length} file(s), built in ${Date.now() - started} ms`);
      for (const file of files) {
        if (options.token?.isCancellationRequested) return;
        const sourceFile = program?.getSourceFile(file);
        this.guarded(file, () => {
          this.runSyntactic(file, project, sourceFile);
          if (program && sourceFile) this.runTypeAware(file, project, program, sourceFile);
        });
        options.onProgress?.(++done, total);
        if (options.yieldBetweenFiles) await options.yieldBetweenFiles();
      }
    }
  }

  /** The keystroke pass: a fresh parse of the current text, file rules that need no types, and the file's imports. */
  analyzeSyntax(file: string): boolean {
    const project = this.workspace.projectOf(file);
    if (!project) return false;
    return this.guarded(file, () => this.runSyntactic(file, project, undefined));
  }

  /** The type-aware pass for one file against its project's current program. */
  analyzeTypes(file: string): boolean {
    const project = this.workspace.projectOf(file);
    if (!project) return false;
    return this.guarded(file, () => {
      const program = this.programOf(project);
      const sourceFile = program?.getSourceFile(file);
      if (program && sourceFile) this.runTypeAware(file, project, program, sourceFile);
    });
  }

  /** Files whose type-aware findings an edit of `file` can change: everything that imports it, nearest first. */
  dependentsOf(file: string): string[] {
    return this.graph.transitiveImporters(file).filter((dependent) => this.workspace.projectOf(dependent) !== undefined);
  }

  /**
   * A signature of what `file` shows the files that import it: a hash of its declaration emit
   * (.d.ts) for its current text, plus any declaration-emit errors. An edit that leaves it equal
   * cannot change an importer's types, so the importers need no re-check: the test `tsc --build`
   * uses to skip rebuilding dependents. Undefined when that cannot be told: no project, emit
   * failed (a .d.ts emits nothing), or a script (not a module), whose globals reach every file
   * and not only importers.
   */
  declarationSignature(file: string): string | undefined {
    // Without type-aware rules, re-checking importers is cheap and no checker exists: do not build one for this.
    if (!this.settings.typeAware) return undefined;
    const project = this.workspace.projectOf(file);
    const program = project && this.programOf(project);
    const sourceFile = program?.getSourceFile(file);
    if (!project || !program || !sourceFile || !ts.isExternalModule(sourceFile)) return undefined;
    // Importers' deprecated-usage findings come from this file's JSDoc, which removeComments strips from the emit.
    if (program.getCompilerOptions().removeComments) return undefined;
    try {
      const output = project.languageService.getEmitOutput(file, /* emitOnlyDtsFiles */ true, /* forceDtsEmit */ true);
      // Source maps hold positions, which every edit moves: only the declarations count.
      const declarations = output.outputFiles.filter((emitted) => !emitted.name.endsWith(".map"));
      // (emitSkipped says nothing here: it is set when the JavaScript is not emitted, as with noEmit.)
      if (declarations.length === 0) return undefined;
      // Like tsc's builder, errors count too (a type that cannot be named); positions do not, so that a body edit above one does not.
      const errors = output.diagnostics.map((diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
      return hash([...declarations.map((emitted) => emitted.text), ...errors].join("\n"));
    } catch (error) {
      this.logger.warn(`could not compute the declarations of ${file}: ${describeError(error)}`);
      return undefined;
    }
  }

  /** Files whose imports may resolve differently once new files exist. */
  filesWithUnresolvedImports(): string[] {
    return [...this.unresolvedImporters];
  }

  forget(file: string): void {
    this.results.delete(file);
    this.unresolvedImporters.delete(file);
    if (this.graph.importsOf(file).length > 0 || this.graph.importersOf(file).size > 0) this.invalidateWorkspaceFindings();
    this.graph.removeFile(file);
  }

  /** Current findings for one file: its own phases, workspace rules, and config errors. */
  findingsFor(file: string): Finding[] {
    const results = this.results.get(file);
    const version = this.workspace.documents.version(file);
    const own = [
      ...(results?.syntactic?.version === version ? results.syntactic.findings : []),
      ...(results?.semantic?.version === version ? results.semantic.findings : []),
    ];
    const fromWorkspace = this.workspaceFindings().get(file) ?? [];
    const fromConfig = this.workspace.configErrors().filter((finding) => finding.file === file);
    const fromPolicy = this.policies.problemsOf(file).map(policyFinding);
    return [...this.withSettings([...own, ...fromWorkspace, ...fromConfig]), ...fromPolicy, ...this.contracts.findingsFor(file)].sort(compareFindings);
  }

  /**
   * Type-aware findings from an older version of the file, for the keystroke pass to show
   * (shifted) until the new ones arrive, so that diagnostics do not flicker while typing.
   */
  staleTypeAwareFindings(file: string): { version: string; findings: Finding[] } | undefined {
    const semantic = this.results.get(file)?.semantic;
    return semantic ? { version: semantic.version, findings: this.withSettings(semantic.findings) } : undefined;
  }

  hasCurrentTypeAwareFindings(file: string): boolean {
    return this.results.get(file)?.semantic?.version === this.workspace.documents.version(file);
  }

  /** Every file that has (or may have had) findings: analyzed files plus config files with errors. */
  filesWithResults(): string[] {
    const files = new Set(this.workspace.analyzedFiles());
    for (const finding of this.workspace.configErrors()) files.add(finding.file);
    for (const file of this.policies.filesWithProblems()) files.add(file);
    for (const file of this.contracts.files()) files.add(file);
    return [...files].sort();
  }

  allFindings(): Finding[] {
    return this.filesWithResults().flatMap((file) => this.findingsFor(file));
  }

  /** Lines of code analyzed, for the debt index (findings per thousand lines). */
  linesAnalyzed(): number {
    let lines = 0;
    for (const file of this.workspace.analyzedFiles()) {
      const text = this.workspace.documents.read(file);
      if (text) lines += text.split("\n").length;
    }
    return lines;
  }

  /** Files that currently have workspace-level findings (import cycles). */
  filesWithWorkspaceFindings(): string[] {
    return [...this.workspaceFindings().keys()];
  }

  private invalidateWorkspaceFindings(): void {
    this.workspaceFindingsCache = undefined;
    this.workspaceFindingsGeneration++;
  }

  private workspaceFindings(): Map<string, Finding[]> {
    if (!this.workspaceFindingsCache) {
      const byFile = new Map<string, Finding[]>();
      for (const rule of workspaceRules) {
        // Cheap enough to always run: the policy may turn the rule on in some folders only; reading findings applies severities per file.
        for (const finding of rule.check(this.graph, rule.meta.defaultSeverity)) {
          let list = byFile.get(finding.file);
          if (!list) byFile.set(finding.file, (list = []));
          list.push(finding);
        }
      }
      this.workspaceFindingsCache = byFile;
    }
    return this.workspaceFindingsCache;
  }

  private runSyntactic(file: string, project: Project, programSourceFile: ts.SourceFile | undefined): void {
    const version = this.workspace.documents.version(file);
    const text = this.workspace.documents.read(file);
    if (text === undefined) {
      this.forget(file); // Deleted under us: nothing to report, nothing to keep.
      return;
    }
    if (this.isTooLarge(file, text)) return;
    const sourceFile =
      programSourceFile && programSourceFile.text === text ? programSourceFile : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
    const findings = this.runFileRules(sourceFile, undefined, (rule) => !rule.meta.typeAware);
    this.entry(file).syntactic = { version, findings };
    let unresolvedRelative = false;
    const edges = collectImports(sourceFile, (specifier) => {
      const resolved = project.resolveImport(specifier, file);
      if (resolved === undefined && specifier.startsWith(".")) unresolvedRelative = true;
      return resolved;
    });
    if (unresolvedRelative) this.unresolvedImporters.add(file);
    else this.unresolvedImporters.delete(file);
    if (!sameEdges(this.graph.importsOf(file), edges)) {
      this.graph.setImports(file, edges);
      this.invalidateWorkspaceFindings();
    }
  }

  private runTypeAware(file: string, project: Project, program: ts.Program, sourceFile: ts.SourceFile): void {
    const version = this.workspace.documents.version(file);
    if (this.isTooLarge(file, sourceFile.text)) return;
    if (!this.settings.typeAware || !project.wantsTypeInfo(sourceFile)) {
      this.entry(file).semantic = { version, findings: [] };
      return;
    }
    this.entry(file).semantic = { version, findings: this.runFileRules(sourceFile, program, (rule) => rule.meta.typeAware) };
  }

  private runFileRules(sourceFile: ts.SourceFile, program: ts.Program | undefined, select: (rule: FileRule) => boolean): Finding[] {
    const findings: Finding[] = [];
    const checker = program?.getTypeChecker();
    if (!this.policies.inScope(sourceFile.fileName)) return findings;
    for (const rule of fileRules) {
      if (!select(rule)) continue;
      const config = this.ruleConfig(sourceFile.fileName, rule.meta);
      if (config.severity === "off") continue;
      rule.check({
        sourceFile,
        checker,
        program,
        options: config.options,
        report: (target, message, fixes = []) => {
          const span: TextSpan = "kind" in target ? { start: target.getStart(sourceFile), end: target.getEnd() } : target;
          findings.push({
            ruleId: rule.meta.id,
            file: sourceFile.fileName,
            range: rangeOf(sourceFile, span.start, span.end),
            severity: rule.meta.defaultSeverity,
            message,
            fixes: fixes.map((fix) => toFix(sourceFile, fix)),
            related: [],
          });
        },
      });
    }
    return findings;
  }

  /**
   * Severity, on/off, scope and exceptions apply when findings are read, so a change of settings
   * or of a policy's severities needs no re-analysis.
   */
  private withSettings(findings: Finding[]): Finding[] {
    const result: Finding[] = [];
    for (const finding of findings) {
      const rule = findRule(finding.ruleId);
      if (!rule) {
        result.push(finding);
        continue;
      }
      if (!this.policies.inScope(finding.file) || this.policies.exceptionFor(finding.file, rule.meta.id)) continue;
      const severity = this.ruleConfig(finding.file, rule.meta).severity;
      if (severity !== "off") result.push(severity === finding.severity ? finding : { ...finding, severity });
    }
    return result;
  }

  /** A rule's settings in one file: the governing policy's, over the user's settings, over the rule's defaults. */
  private ruleConfig(file: string, meta: RuleMeta) {
    const fallback = { severity: effectiveSeverity(this.settings, meta.id, meta.defaultSeverity), options: ruleOptions(this.settings, meta.id) };
    return this.policies.ruleConfig(file, meta.id, fallback);
  }

  isPolicyFile(file: string): boolean {
    return isPolicyFile(file);
  }

  /**
   * A policy file changed on disk (saved, created, deleted). Returns true when the change alters
   * what the analysis computes (scope, rule options, a rule turned on somewhere): the caller then
   * runs `analyzeAll`; otherwise republishing is enough, since severities apply at read time.
   */
  policyFileChanged(file: string): boolean {
    const before = this.analysisSignature();
    this.policies.reload(file);
    this.invalidateWorkspaceFindings();
    const after = this.analysisSignature();
    return [...after].some(([key, value]) => before.get(key) !== value && value !== "off");
  }

  /** Per file and rule: what the rule computes there ("off" when it does not run). */
  private analysisSignature(): Map<string, string> {
    const signature = new Map<string, string>();
    for (const file of this.workspace.analyzedFiles()) {
      const inScope = this.policies.inScope(file);
      for (const rule of fileRules) {
        const config = this.ruleConfig(file, rule.meta);
        signature.set(`${file}\0${rule.meta.id}`, !inScope || config.severity === "off" ? "off" : JSON.stringify(config.options));
      }
    }
    return signature;
  }

  private programOf(project: Project): ts.Program | undefined {
    try {
      return project.program();
    } catch (error) {
      this.logger.error(`could not build the program for ${project.name}: ${describeError(error)}`);
      return undefined;
    }
  }

  private isTooLarge(file: string, text: string): boolean {
    const limit = this.settings.maxFileSizeKB * 1024;
    if (text.length <= limit) return false;
    if (!this.skipReported.has(file)) {
      this.skipReported.add(file);
      this.logger.warn(`skipped ${file}: ${Math.round(text.length / 1024)} KiB is over selfheal.maxFileSizeKB (${this.settings.maxFileSizeKB} KiB)`);
    }
    this.results.delete(file);
    return true;
  }

  /** One file's analysis failing must not take the others (or the server) down with it. */
  private guarded(file: string, work: () => void): boolean {
    try {
      work();
      return true;
    } catch (error) {
      this.logger.error(`analysis of ${file} failed: ${describeError(error)}`);
      return false;
    }
  }

  private entry(file: string): FileResults {
    let entry = this.results.get(file);
    if (!entry) this.results.set(file, (entry = {}));
    return entry;
  }
}

function policyFinding(problem: PolicyProblem): Finding {
  return { ruleId: problem.id, file: problem.file, range: problem.range, severity: problem.severity, message: problem.message, fixes: [], related: [] };
}

function toFix(sourceFile: ts.SourceFile, fix: FixBuilder): Fix {
  return {
    title: fix.title,
    isPreferred: fix.isPreferred,
    changes: [{ file: sourceFile.fileName, edits: fix.edits.map((edit) => ({ range: rangeOf(sourceFile, edit.start, edit.end), newText: edit.newText })) }],
  };
}

function sameEdges(a: readonly { to: string; typeOnly: boolean; range: { start: { line: number; character: number } } }[], b: typeof a): boolean {
  return (
    a.length === b.length &&
    a.every((edge, index) => edge.to === b[index].to && edge.typeOnly === b[index].typeOnly && edge.range.start.line === b[index].range.start.line && edge.range.start.character === b[index].range.start.character)
  );
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (file.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
