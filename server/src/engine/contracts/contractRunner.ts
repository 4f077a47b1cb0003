/**
 * One contract, end to end: take its snapshot (the baseline file's text), or compare it with
 * its baseline (changes, the version bump they require, and whether the package's version has
 * it). Reads the files a contract names; the programs come from the caller (the CLI's workspace,
 * the language server's projects), so the same code serves both.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import type { Range } from "../findings";
import { currentApi, snapshotApi, type CurrentApi } from "./apiContract";
import { parseBaseline, schemaBaseline, serializeBaseline, type ApiBaseline, type Baseline, type LoadedBaseline, type SchemaBaseline } from "./baseline";
import { diffContracts } from "./classify";
import type { ContractCache } from "./contractCache";
import { ContractError, type ContractMessageId } from "./contractError";
import { packageVersion, type ContractTarget } from "./contractTargets";
import { JsonDocument } from "./jsonPositions";
import { mirrorDrift } from "./mirrorDrift";
import type { ApiSurface, ContractChange } from "./model";
import { diffSchemas } from "./schemaDiff";
import { checkVersionBump, requiredBump, type Bump, type BumpCheck } from "./versionBump";

/** The program that contains a file (its project's), or undefined when no project has it. */
export type ProgramFor = (file: string) => ts.Program | undefined;

export interface ContractProblem {
  id: ContractMessageId;
  message: string;
}

export interface VersionFinding extends BumpCheck {
  /** The package.json whose `version` is checked, and where that value is. */
  file: string;
  range: Range;
}

export interface ContractReport {
  target: ContractTarget;
  /** `compared`; `no-baseline` (not registered yet; a problem when the contract is declared); `error` (see `problem`). */
  status: "compared" | "no-baseline" | "error";
  baselineVersion?: string;
  currentVersion: string;
  changes: ContractChange[];
  /** What the drift requires, by docs/contracts.md's rules (0.x included). */
  required: Bump;
  version?: VersionFinding;
  problem?: ContractProblem;
  /** Spots where TypeScript could not write a declaration (an inferred type it cannot name). */
  declarationProblems: string[];
  /** A compared API contract's two sides, for the fixes that read them ("restore compatibility") without reading the files again. */
  sides?: { baseline: ApiBaseline; current: ApiSurface };
}

/** `cache`: what the language server keeps of this contract between comparisons (contractCache.ts); without it, everything is read afresh. */
export function compareContract(target: ContractTarget, programFor: ProgramFor, cache?: ContractCache): ContractReport {
  const currentVersion = packageVersion(target.packageRoot);
  const base: ContractReport = { target, status: "compared", currentVersion, changes: [], required: "none", declarationProblems: [] };
  try {
    const text = readText(target.baseline);
    if (text === undefined) {
      // A mirror needs no baseline: the type and the schema are compared as they are now.
      const mirrors = mirrorChanges(target, programFor);
      return { ...base, status: "no-baseline", changes: mirrors, ...(target.declared ? { problem: { id: "contract-baseline-missing", message: `no baseline at ${shown(target, target.baseline)}: take one with \`selfheal contracts snapshot ${target.name}\`` } } : {}) };
    }
    const loaded = cache ? cache.baseline(target.baseline, text, shown(target, target.baseline)) : parseBaseline(target.baseline, text, shown(target, target.baseline));
    if (loaded.baseline.kind !== target.kind) throw new ContractError("contract-baseline-invalid", `${shown(target, target.baseline)} is a baseline of ${article(loaded.baseline.kind)} contract, but '${target.name}' is ${article(target.kind)} contract`);
    const report = target.kind === "api" ? compareApi(target, loaded as LoadedBaseline<ApiBaseline>, programFor, base, cache) : compareSchema(target, loaded as LoadedBaseline<SchemaBaseline>, base);
    report.changes.push(...mirrorChanges(target, programFor));
    const counted = target.breaking === "off" ? report.changes.filter((change) => change.classification !== "breaking") : report.changes;
    report.required = requiredBump(counted, loaded.baseline.version);
    report.version = versionFinding(target, loaded.baseline.version, currentVersion, report.required);
    return report;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    return { ...base, status: "error", problem: { id: error.id, message: error.message } };
  }
}

function compareApi(target: ContractTarget, loaded: LoadedBaseline<ApiBaseline>, programFor: ProgramFor, base: ContractReport, cache: ContractCache | undefined): ContractReport {
  const program = requireProgram(target, programFor);
  const { current, changes } = cache ? cache.compare(target, loaded, program) : compareAfresh(target, loaded, program);
  return { ...base, baselineVersion: loaded.baseline.version, changes, declarationProblems: current.declarationProblems, sides: { baseline: loaded.baseline, current: current.api } };
}

function compareAfresh(target: ContractTarget, loaded: LoadedBaseline<ApiBaseline>, program: ts.Program): { current: CurrentApi; changes: ContractChange[] } {
  const current = currentApi({ program, entryFile: target.file, name: target.name });
  return { current, changes: diffContracts(loaded, current, { folder: target.packageRoot ?? path.posix.dirname(target.file), options: program.getCompilerOptions(), reuse: program }) };
}

function compareSchema(target: ContractTarget, loaded: LoadedBaseline<SchemaBaseline>, base: ContractReport): ContractReport {
  const current = readSchema(target.file);
  return { ...base, baselineVersion: loaded.baseline.version, changes: diffSchemas({ contract: target.name, baseline: loaded.baseline.document, file: target.file, current }) };
}

function mirrorChanges(target: ContractTarget, programFor: ProgramFor): ContractChange[] {
  return target.mirrors.flatMap((mirror) => {
    const program = programFor(mirror.file);
    if (!program) throw new ContractError("contract-mirror-invalid", `${mirror.file} (the module of ${mirror.type}) belongs to no TypeScript project`);
    return mirrorDrift({ contract: target.name, program, typeFile: mirror.file, typeName: mirror.typeName, schemaFile: mirror.schema, schema: readSchema(mirror.schema) });
  });
}

export interface Snapshot {
  target: ContractTarget;
  baseline: Baseline;
  text: string;
  /** Whether the file on disk already has exactly this text. */
  unchanged: boolean;
  declarationProblems: string[];
}

/** The baseline a contract has now (written by the caller, so a dry run is possible). */
export function snapshotContract(target: ContractTarget, programFor: ProgramFor): Snapshot {
  const version = packageVersion(target.packageRoot);
  const relative = path.posix.relative(target.root, target.file);
  let baseline: Baseline;
  let declarationProblems: string[] = [];
  if (target.kind === "api") {
    const program = requireProgram(target, programFor);
    const snapshot = snapshotApi({ program, entryFile: target.file, name: target.name, version, entry: relative });
    baseline = snapshot.baseline;
    declarationProblems = snapshot.current.declarationProblems;
  } else {
    baseline = schemaBaseline({ name: target.name, version, schema: relative, document: readSchema(target.file).value });
  }
  const text = serializeBaseline(baseline);
  return { target, baseline, text, unchanged: readText(target.baseline) === text, declarationProblems };
}

/** Writes a snapshot's file through a temporary file and a rename, so a reader never sees half of it. */
export function writeSnapshot(snapshot: Snapshot): void {
  fs.mkdirSync(path.dirname(snapshot.target.baseline), { recursive: true });
  const temporary = `${snapshot.target.baseline}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, snapshot.text);
  fs.renameSync(temporary, snapshot.target.baseline);
}

function requireProgram(target: ContractTarget, programFor: ProgramFor): ts.Program {
  const entry = shown(target, target.file);
  if (!fs.existsSync(target.file)) throw new ContractError("contract-entry-missing", `${entry}, the entry of '${target.name}', does not exist`);
  const program = programFor(target.file);
  if (!program) throw new ContractError("contract-entry-missing", `${entry}, the entry of '${target.name}', belongs to no TypeScript project`);
  return program;
}

function readSchema(file: string): JsonDocument {
  const text = readText(file);
  if (text === undefined) throw new ContractError("contract-schema-invalid", `${file} cannot be read`);
  const document = new JsonDocument(file, text);
  const [first] = document.errors;
  if (first) throw new ContractError("contract-schema-invalid", `${file}:${first.range.start.line + 1}:${first.range.start.character + 1}: ${first.message}`);
  return document;
}

function versionFinding(target: ContractTarget, baselineVersion: string, currentVersion: string, required: Bump): VersionFinding | undefined {
  if (!target.packageRoot) return undefined;
  const file = `${target.packageRoot}/package.json`;
  const text = readText(file);
  const range = text === undefined ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } : new JsonDocument(file, text).rangeOf("/version");
  return { ...checkVersionBump(baselineVersion, currentVersion, required), file, range };
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** A path as messages show it: relative to the folder that holds `.selfheal/`. */
function shown(target: ContractTarget, file: string): string {
  const relative = path.posix.relative(target.root, file);
  return relative.startsWith("..") ? file : relative;
}

function article(kind: string): string {
  return kind === "api" ? "an API" : "a schema";
}
