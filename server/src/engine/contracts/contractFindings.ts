/**
 * Contract drift as findings, for the editor: each change at the declaration that drifted (or in
 * the schema file), with its classification, its proof and the baseline's version, the files
 * that use the changed symbol as related information, and a finding on `package.json`'s
 * `version` when the bump is smaller than the drift requires. Pure: the reports come from
 * `ContractDrift` (contractDrift.ts) or the CLI. See docs/contracts.md ("In the editor") and docs/messages.md (contract messages).
 */
import type { Finding, Fix, Range, RelatedLocation, Severity } from "../findings";
import { acceptableChanges, acceptedFiles, acceptedVersion } from "./acceptContract";
import type { ContractReport } from "./contractRunner";
import type { ContractTarget } from "./contractTargets";
import type { ContractChange } from "./model";
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

/** Fixes a change has besides "accept" ("restore compatibility", restoreFindingFixes.ts), made by the caller, who has the programs. */
export type ChangeFixes = (change: ContractChange) => Fix[];

/** The findings of a set of contract reports, in no particular order. */
export function contractFindings(reports: readonly ContractReport[], sources: FindingSources, fixesOf: ChangeFixes = () => []): Finding[] {
  const findings: Finding[] = [];
  for (const report of reports) {
    findings.push(...report.changes.flatMap((change) => changeFinding(report, change, sources, fixesOf)));
    const problem = problemFinding(report);
    if (problem) findings.push(problem);
  }
  findings.push(...versionFindings(reports));
  return findings;
}

function changeFinding(report: ContractReport, change: ContractChange, sources: FindingSources, fixesOf: ChangeFixes): Finding[] {
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
      // Restoring comes first: it keeps consumers building; accepting is a decision about the version.
      fixes: [...fixesOf(change), ...(acceptable(report, change) ? [acceptFix(report)] : [])],
      related: shown,
    },
  ];
}

function acceptable(report: ContractReport, change: ContractChange): boolean {
  return acceptableChanges(report).includes(change);
}

/** "Accept as contract vX.Y.Z", deferred: its edits need a fresh snapshot of the contract, taken when it is planned (agents/contractAccept.ts). */
function acceptFix(report: ContractReport): Fix {
  return {
    title: `Accept as contract v${acceptedVersion(report)} (${report.target.name})`,
    isPreferred: false,
    changes: acceptedFiles(report).map((file) => ({ file, edits: [] })),
    deferred: { kind: "contract-accept", contract: report.target.name },
  };
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
      fixes: failing.filter((report) => acceptableChanges(report).length > 0).map(acceptFix),
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
