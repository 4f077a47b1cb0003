/**
 * Runs contract fixtures the way the CLI runs a contract: a baseline snapshot of `before/`
 * (written and read back through the baseline file format), the current API of `after/`, and
 * the classifier with the checker. Lib files are parsed once for the whole suite.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { currentApi, snapshotApi } from "../../../server/src/engine/contracts/apiContract";
import { parseBaseline, serializeBaseline, type ApiBaseline, type LoadedBaseline } from "../../../server/src/engine/contracts/baseline";
import { diffContracts } from "../../../server/src/engine/contracts/classify";
import type { ContractChange } from "../../../server/src/engine/contracts/model";

export const repoRoot = path.resolve(__dirname, "../../../..");
export const contractFixtures = path.join(repoRoot, "test", "fixtures", "contracts");

export const fixtureOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  lib: ["lib.es2022.d.ts"],
  types: [],
};

const sharedFiles = new Map<string, ts.SourceFile>();

/** A program over `entry`; files outside `folder` (the lib) come from a cache shared by every fixture. */
export function fixtureProgram(entry: string, folder: string, options: ts.CompilerOptions = fixtureOptions): ts.Program {
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    if (fileName.startsWith(folder)) return read(fileName, languageVersion, onError);
    let cached = sharedFiles.get(fileName);
    if (!cached) {
      cached = read(fileName, languageVersion, onError);
      if (cached) sharedFiles.set(fileName, cached);
    }
    return cached;
  };
  return ts.createProgram({ rootNames: [entry], options, host });
}

export interface CaseChange {
  kind: string;
  symbol: string;
  classification: string;
  proof: string;
  /** `index.ts:3` (a file of after/, 1-based line), or `baseline` for a change shown in the baseline file. */
  at: string;
}

export interface ApiCaseResult {
  changes: ContractChange[];
  actual: CaseChange[];
  baselineText: string;
}

/** Snapshot `before/index.ts`, diff `after/index.ts` against it. */
export function runApiCase(caseDir: string): ApiCaseResult {
  const beforeEntry = path.join(caseDir, "before", "index.ts").replace(/\\/g, "/");
  const afterEntry = path.join(caseDir, "after", "index.ts").replace(/\\/g, "/");
  const before = fixtureProgram(beforeEntry, path.join(caseDir, "before"));
  const { baseline } = snapshotApi({ program: before, entryFile: beforeEntry, name: "fixture", version: "1.0.0", entry: "index.ts" });
  const baselineFile = path.join(caseDir, "baseline.json").replace(/\\/g, "/");
  const baselineText = serializeBaseline(baseline);
  const loaded = parseBaseline(baselineFile, baselineText) as LoadedBaseline<ApiBaseline>;
  const after = fixtureProgram(afterEntry, path.join(caseDir, "after"));
  const current = currentApi({ program: after, entryFile: afterEntry, name: "fixture" });
  const changes = diffContracts(loaded, current, { folder: path.join(caseDir, "after"), options: fixtureOptions, reuse: after });
  const afterDir = path.join(caseDir, "after").replace(/\\/g, "/");
  const actual = changes.map((change) => ({
    kind: change.kind,
    symbol: change.symbol,
    classification: change.classification,
    proof: change.proof,
    at: change.file === baselineFile ? "baseline" : `${path.posix.relative(afterDir, change.file)}:${change.line}`,
  }));
  return { changes, actual, baselineText };
}

export function readExpected(caseDir: string): { description: string; changes: CaseChange[] } {
  return JSON.parse(fs.readFileSync(path.join(caseDir, "expected.json"), "utf8")) as { description: string; changes: CaseChange[] };
}

export function changeKey(change: CaseChange): string {
  return `${change.kind} ${change.symbol} ${change.classification} (${change.proof}) @ ${change.at}`;
}
