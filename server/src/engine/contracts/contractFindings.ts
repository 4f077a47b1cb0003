/**
 * Contract drift as findings, for the editor: each change at the declaration that drifted (or in
 * the schema file), with its classification, its proof and the baseline's version, the files
 * that use the changed symbol as related information, and a finding on `package.json`'s
 * `version` when the bump is smaller than the drift requires. `ContractDrift` keeps the last
 * report of every contract so that only the contracts an edit can reach are compared again.
 * See docs/contracts.md ("In the editor") and docs/messages.md (contract messages).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import type { Finding, Range, RelatedLocation, Severity } from "../findings";
import type { CompiledPolicy } from "../policy/compiled";
import type { PolicySet } from "../policy/policySet";
import { inferredProjectOptions } from "../workspace/project";
import { isUnder, normalizePath } from "../workspace/paths";
import { compareContract, type ContractReport, type ProgramFor } from "./contractRunner";
import { contractTargets, type ContractTarget } from "./contractTargets";
import type { ContractChange } from "./model";
import { findPackageFiles, packageEntries } from "./packages";
import type { Bump } from "./versionBump";

/** How many consumers a finding names; the message gives the full count. */
export const maxRelatedConsumers = 20;

export interface FindingSources {
  /** Every file that imports `file`, directly or through others, nearest first (the import graph). */
  importersOf(file: string): readonly string[];
  /** A file's current text (the open buffer, else the disk), undefined when it cannot be read. */
  textOf(file: string): string | undefined;
}

const bumpRank: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };
const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The findings of a set of contract reports, in no particular order. */
export function contractFindings(reports: readonly ContractReport[], sources: FindingSources): Finding[] {
  const findings: Finding[] = [];
  for (const report of reports) {
    findings.push(...report.changes.flatMap((change) => changeFinding(report, change, sources)));
    const problem = problemFinding(report);
    if (problem) findings.push(problem);
  }
  findings.push(...versionFindings(reports));
  return findings;
}

function changeFinding(report: ContractReport, change: ContractChange, sources: FindingSources): Finding[] {
  const target = report.target;
  const severity = severityOf(change, target);
  if (severity === undefined) return [];
  const baseline = report.baselineVersion === undefined ? `contract '${target.name}'` : `contract '${target.name}', baseline ${report.baselineVersion}`;
  // What is gone has no declaration left in the source: the core points at the baseline file, which the user does not edit.
  const gone = change.file === target.baseline;
  const file = gone ? target.file : change.file;
  const range = gone ? firstLine(sources.textOf(target.file)) : change.range;
  const consumers = target.kind === "api" ? consumersOf(target.file, change.symbol, sources) : [];
  const shown = consumers.slice(0, maxRelatedConsumers);
  const used = consumers.length === 0 ? "" : `; used by ${plural(consumers.length, "file")}${consumers.length > shown.length ? ` (the first ${shown.length} listed)` : ""}`;
  const where = gone ? ` (\`${change.symbol}\` has no declaration any more: shown on the entry's first line)` : "";
  return [
    {
      ruleId: `contract-${change.classification}`,
      file,
      range,
      severity,
      message: `${change.classification} (${change.proof}): ${change.message} — ${baseline}${where}${used}`,
      fixes: [],
      related: shown,
    },
  ];
}

/** Breaking changes at the contract's `breaking` severity (none when off); additive ones as information, internal ones as hints. */
function severityOf(change: ContractChange, target: ContractTarget): Severity | undefined {
  if (change.classification === "breaking") return target.breaking === "off" ? undefined : target.breaking;
  return change.classification === "additive" ? "info" : "hint";
}

/**
 * The impact set: importers of the entry (through re-exports too) whose text names the changed
 * export, each at its first mention. A file that only re-exports with `export *` names nothing
 * and is left out; the files that import through it are in.
 */
export function consumersOf(entry: string, symbol: string, sources: FindingSources): RelatedLocation[] {
  const name = exportNameOf(symbol);
  if (name === undefined) return [];
  const pattern = new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
  const consumers: RelatedLocation[] = [];
  for (const file of sources.importersOf(entry)) {
    const text = sources.textOf(file);
    const match = text === undefined ? null : pattern.exec(text);
    if (!match || text === undefined) continue;
    const start = positionAt(text, match.index);
    consumers.push({ file, range: { start, end: { line: start.line, character: start.character + name.length } }, message: `uses ${name}` });
  }
  return consumers;
}

/** `Options.strict` → `Options`; `export=` modules and computed names have no name to look for. */
function exportNameOf(symbol: string): string | undefined {
  const name = symbol.split(/[.\s[(]/)[0];
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
}

/**
 * One finding per package.json: several entry points of one package share its version, so the
 * biggest bump any of them requires is the one to make.
 */
function versionFindings(reports: readonly ContractReport[]): Finding[] {
  const byFile = new Map<string, ContractReport[]>();
  for (const report of reports) {
    if (!report.version || report.version.ok) continue;
    const list = byFile.get(report.version.file) ?? [];
    byFile.set(report.version.file, list);
    list.push(report);
  }
  return [...byFile.entries()].map(([file, failing]) => {
    const worst = [...failing].sort((a, b) => bumpRank[b.required] - bumpRank[a.required] || a.target.name.localeCompare(b.target.name))[0];
    const names = failing.map((report) => report.target.name).sort();
    const breaking = failing.filter((report) => report.changes.some((change) => change.classification === "breaking") && report.target.breaking !== "off");
    const severity: Severity = breaking.length > 0 ? mostSevere(breaking.map((report) => report.target.breaking as Severity)) : "warning";
    const drift = failing.flatMap((report) => report.changes.filter((change) => change.classification !== "internal"));
    const summary = `${drift.filter((change) => change.classification === "breaking").length} breaking, ${drift.filter((change) => change.classification === "additive").length} additive`;
    return {
      ruleId: "contract-version-bump",
      file,
      range: worst.version!.range,
      severity,
      message: `${worst.version!.message} (${names.length === 1 ? `contract '${names[0]}'` : `contracts ${names.map((name) => `'${name}'`).join(", ")}`}: ${summary})`,
      fixes: [],
      related: [],
    };
  });
}

const severityOrder: Severity[] = ["error", "warning", "info", "hint"];

function mostSevere(severities: Severity[]): Severity {
  return severityOrder.find((severity) => severities.includes(severity)) ?? "error";
}

/** A contract that could not be compared: at the policy entry that declares it, else on its file's first line. */
function problemFinding(report: ContractReport): Finding | undefined {
  if (!report.problem) return undefined;
  const origin = report.target.origin;
  const file = origin?.file ?? report.target.file;
  const range = origin ? { start: { line: origin.line, character: origin.character }, end: { line: origin.line, character: origin.character } } : zero;
  return { ruleId: report.problem.id, file, range, severity: "error", message: `contract '${report.target.name}': ${report.problem.message}`, fixes: [], related: [] };
}

function firstLine(text: string | undefined): Range {
  const length = text === undefined ? 0 : text.split(/\r?\n/, 1)[0].length;
  return { start: { line: 0, character: 0 }, end: { line: 0, character: length } };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, character: offset - lineStart };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

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
  }

  /** Compares the contracts `select` picks (all by default) and recomputes the findings. */
  check(select: (target: ContractTarget) => boolean = () => true): ContractCheck {
    const targets = this.targets();
    const live = new Set(targets.map((target) => target.baseline));
    for (const key of [...this.reports.keys()]) if (!live.has(key)) this.reports.delete(key);
    const compared: string[] = [];
    for (const target of targets) {
      if (!select(target)) continue;
      this.reports.set(target.baseline, compareContract(target, this.programFor));
      compared.push(target.name);
    }
    const before = this.findingsByFile;
    this.findingsByFile = new Map();
    for (const finding of contractFindings([...this.reports.values()], this.host)) {
      const list = this.findingsByFile.get(finding.file) ?? [];
      this.findingsByFile.set(finding.file, list);
      list.push(finding);
    }
    const files = new Set([...before.keys(), ...this.findingsByFile.keys()]);
    return { files: [...files].sort(), compared };
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

  /**
   * The project's checker has been through every type-aware rule by the time contracts are
   * compared, and writing the API's types with it then grows without bound (zod: past 4 GB,
   * where a fresh checker needs 0.4 GB). A program over the very same source files costs the
   * module resolution only, and gets a checker that has seen nothing else.
   */
  private ownChecker(program: ts.Program): ts.Program {
    let own = this.ownPrograms.get(program);
    if (!own) {
      const options = program.getCompilerOptions();
      const host = ts.createCompilerHost(options, true);
      const read = host.getSourceFile.bind(host);
      host.getSourceFile = (fileName, languageVersion, onError) => program.getSourceFile(fileName) ?? read(fileName, languageVersion, onError);
      own = ts.createProgram({ rootNames: program.getRootFileNames(), options, host, projectReferences: program.getProjectReferences() });
      this.ownPrograms.set(program, own);
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
