/**
 * The contracts of the open workspace and their last reports, for the language server: which
 * contracts an edit or a watched file reaches, compared on programs with a checker of their own.
 * The findings themselves are made in contractFindings.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import type { Finding, Fix } from "../findings";
import type { CompiledPolicy } from "../policy/compiled";
import type { PolicySet } from "../policy/policySet";
import { inferredProjectOptions } from "../workspace/project";
import { isUnder, normalizePath } from "../workspace/paths";
import { ContractCache, type ComparisonTimings } from "./contractCache";
import { contractFindings, type FindingSources } from "./contractFindings";
import { compareContract, snapshotContract, type ContractReport, type ProgramFor, type Snapshot } from "./contractRunner";
import { contractTargets, type ContractTarget } from "./contractTargets";
import type { ContractChange } from "./model";
import { findPackageFiles, packageEntries } from "./packages";
import { restoreFixesOf } from "./restoreFindingFixes";

/** What the engine lends the contract checks: its folders, policies, programs and texts. */
export interface ContractHost extends FindingSources {
  folders(): readonly string[];
  policies: PolicySet;
  /** The project's current program for a file, undefined when no project has it. */
  projectProgram(file: string): ts.Program | undefined;
}

export interface ContractCheck {
  /** Files whose contract findings may have changed: publish them. */
  files: string[];
  /** Contracts compared, for logs. */
  compared: string[];
  /** How each API contract was compared (incrementally or not) and what each part cost, for logs. */
  timings: string[];
}

/**
 * The contracts of the open workspace and their last reports. Comparing a contract reads its
 * whole API, so nothing is compared unless asked: every contract after a full analysis, then
 * only those an edit reaches (`affectedBy`), those whose baseline, schema or package changed
 * (`watchedFile`).
 */
export class ContractDrift {
  private targetList: ContractTarget[] | undefined;
  private readonly reports = new Map<string, ContractReport>();
  private findingsByFile = new Map<string, Finding[]>();
  /** A declaration-file entry no project owns gets a program of its own, as in the CLI. */
  private readonly standalone = new Map<string, ts.Program>();
  /** Per contract (by baseline file): what its next comparison can reuse of the last one. */
  private readonly caches = new Map<string, ContractCache>();

  constructor(private readonly host: ContractHost) {}

  /** The workspace's contracts: declared by its (readable) policies, then found in its packages. */
  targets(): ContractTarget[] {
    if (!this.targetList) this.targetList = this.discover();
    return this.targetList;
  }

  /** Policies or package.json files changed: the contracts are found again at the next check. */
  invalidateTargets(): void {
    this.targetList = undefined;
    this.standalone.clear();
    this.lastOwnPrograms.clear();
  }

  /** Compares the contracts `select` picks (all by default) and recomputes the findings. */
  check(select: (target: ContractTarget) => boolean = () => true): ContractCheck {
    const targets = this.targets();
    const live = new Set(targets.map((target) => target.baseline));
    for (const key of [...this.reports.keys()]) if (!live.has(key)) this.reports.delete(key);
    for (const key of [...this.caches.keys()]) if (!live.has(key)) this.caches.delete(key);
    const compared: string[] = [];
    const timings: string[] = [];
    for (const target of targets) {
      if (!select(target)) continue;
      let cache = this.caches.get(target.baseline);
      if (!cache) this.caches.set(target.baseline, (cache = new ContractCache()));
      const started = performance.now();
      const report = compareContract(target, this.programFor, cache);
      this.reports.set(target.baseline, report);
      compared.push(target.name);
      const timing = cache.lastTimings;
      if (report.status === "compared" && target.kind === "api" && timing) timings.push(`${target.name} in ${(performance.now() - started).toFixed(1)} ms: ${describeTimings(timing)}`);
    }
    const before = this.findingsByFile;
    this.findingsByFile = new Map();
    const restoreFixes = new Map<ContractChange, Fix>();
    for (const report of this.reports.values()) for (const [change, fix] of this.restoreFixes(report)) restoreFixes.set(change, fix);
    for (const finding of contractFindings([...this.reports.values()], this.host, (change) => (restoreFixes.has(change) ? [restoreFixes.get(change)!] : []))) {
      const list = this.findingsByFile.get(finding.file) ?? [];
      this.findingsByFile.set(finding.file, list);
      list.push(finding);
    }
    const files = new Set([...before.keys(), ...this.findingsByFile.keys()]);
    return { files: [...files].sort(), compared, timings };
  }

  /** A report's "restore compatibility" fixes, worked out once per report (every comparison makes a new one; a check that leaves a contract alone keeps its report). */
  private readonly restoreFixesByReport = new WeakMap<ContractReport, Map<ContractChange, Fix>>();

  private restoreFixes(report: ContractReport): Map<ContractChange, Fix> {
    let fixes = this.restoreFixesByReport.get(report);
    if (!fixes) this.restoreFixesByReport.set(report, (fixes = restoreFixesOf(report, this.programFor(report.target.file))));
    return fixes;
  }

  /** The API contracts whose entry's program includes `file`: an edit of its declarations may change their drift. */
  affectedBy(file: string): ContractTarget[] {
    return this.targets().filter((target) => {
      if (target.kind !== "api") return false;
      if (target.file === file) return true;
      return this.host.projectProgram(target.file)?.getSourceFile(file) !== undefined || target.mirrors.some((mirror) => mirror.file === file);
    });
  }

  /**
   * A file changed on disk: what it means for the contracts. `targets`: a package.json (entry
   * points and versions), so the contracts are found again; else the contracts whose baseline
   * or schema file (or a mirrored schema) it is.
   */
  watchedFile(file: string): { rediscover: boolean; targets: ContractTarget[] } {
    if (path.posix.basename(file) === "package.json") return { rediscover: true, targets: [] };
    const targets = this.targets().filter((target) => target.baseline === file || (target.kind === "schema" && target.file === file) || target.mirrors.some((mirror) => mirror.schema === file));
    return { rediscover: false, targets };
  }

  /** Schema files of the contracts, for the client to watch. */
  schemaFiles(): string[] {
    return [...new Set(this.targets().flatMap((target) => [...(target.kind === "schema" ? [target.file] : []), ...target.mirrors.map((mirror) => mirror.schema)]))].sort();
  }

  reportOf(name: string): ContractReport | undefined {
    return [...this.reports.values()].find((report) => report.target.name === name);
  }

  /** One contract compared and snapshot afresh, on the programs the live check uses: what accepting its drift needs. */
  compareAndSnapshot(target: ContractTarget): { report: ContractReport; snapshot: Snapshot } {
    // The live check's cache makes the comparison cost what changed since it last ran.
    return { report: compareContract(target, this.programFor, this.caches.get(target.baseline)), snapshot: snapshotContract(target, this.programFor) };
  }

  findingsFor(file: string): Finding[] {
    return this.findingsByFile.get(file) ?? [];
  }

  files(): string[] {
    return [...this.findingsByFile.keys()];
  }

  private readonly programFor: ProgramFor = (file) => {
    const projectProgram = this.host.projectProgram(file);
    const program = projectProgram && this.ownChecker(projectProgram);
    if (program || !/\.d\.[cm]?ts$/.test(file) || !fs.existsSync(file)) return program;
    let standalone = this.standalone.get(file);
    if (!standalone) {
      const config = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
      const parsed = config ? ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} }) : undefined;
      standalone = ts.createProgram([file], { ...(parsed?.options ?? inferredProjectOptions), noEmit: true });
      this.standalone.set(file, standalone);
    }
    return standalone;
  };

  /** One program per project program, with the same source files (no parsing) and a checker of its own. */
  private readonly ownPrograms = new WeakMap<ts.Program, ts.Program>();
  /** The last such program per project (by its tsconfig), whose module resolutions the next one reuses. */
  private readonly lastOwnPrograms = new Map<string, ts.Program>();

  /**
   * The project's checker has been through every type-aware rule by the time contracts are
   * compared, and writing the API's types with it then grows without bound (zod: past 4 GB,
   * where a fresh checker needs 0.4 GB). A program over the very same source files, built from
   * the last one (whose module resolutions it reuses: a few ms after an edit), gets a checker
   * that has seen nothing else.
   */
  private ownChecker(program: ts.Program): ts.Program {
    let own = this.ownPrograms.get(program);
    if (!own) {
      const options = program.getCompilerOptions();
      const host = ts.createCompilerHost(options, true);
      const read = host.getSourceFile.bind(host);
      host.getSourceFile = (fileName, languageVersion, onError) => program.getSourceFile(fileName) ?? read(fileName, languageVersion, onError);
      const project = String(options.configFilePath ?? program.getRootFileNames()[0] ?? "");
      own = ts.createProgram({ rootNames: program.getRootFileNames(), options, host, projectReferences: program.getProjectReferences(), oldProgram: this.lastOwnPrograms.get(project) });
      this.ownPrograms.set(program, own);
      this.lastOwnPrograms.set(project, own);
    }
    return own;
  }

  private discover(): ContractTarget[] {
    const policies = this.host.policies;
    // A broken policy's folder is not judged (as in the CLI): what it declares cannot be known.
    const brokenRoots = policies.brokenPolicies().map(({ file }) => path.posix.dirname(path.posix.dirname(file)));
    const underBroken = (file: string) => brokenRoots.some((root) => isUnder(file, root));
    const compiled: CompiledPolicy[] = policies.policyFiles().filter((file) => !underBroken(file)).map((file) => policies.governing(file).policy);
    const targets: ContractTarget[] = [];
    for (const folder of this.host.folders().map(normalizePath)) {
      const packages = findPackageFiles(folder)
        .filter((file) => !underBroken(file))
        .flatMap((file) => packageEntries(file));
      const inFolder = compiled.filter((policy) => isUnder(normalizePath(policy.root), folder));
      targets.push(...contractTargets({ folder, policies: inFolder, packages }).targets);
    }
    return targets;
  }
}

/** `incremental (1 changed file): 14 of 303 exports described, 3 of 95 declaration files emitted; extract 12.0 ms, emit 5.0 ms, diff 40.0 ms`. */
function describeTimings(timings: ComparisonTimings): string {
  const how = timings.mode === "full" ? `full (${timings.reason})` : timings.mode === "incremental" ? `incremental (${timings.changedFiles} changed file${timings.changedFiles === 1 ? "" : "s"})` : "unchanged program";
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const diff = timings.diff === "compared" ? `diff ${ms(timings.diffMs)}${timings.keptExports > 0 ? ` (the changes of ${timings.keptExports} drifted export${timings.keptExports === 1 ? "" : "s"} kept)` : ""}` : timings.diff === "relocated" ? `diff skipped, the API reads the same (changes placed again in ${ms(timings.diffMs)})` : "diff skipped, nothing changed";
  return `${how}: ${timings.exports.described} of ${timings.exports.total} exports described, ${timings.declarations.emitted} of ${timings.declarations.total} declaration files emitted; extract ${ms(timings.extractMs)}, emit ${ms(timings.emitMs)}, ${diff}`;
}
