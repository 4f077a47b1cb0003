/**
 * `selfheal contracts list|snapshot|diff`: the workspace's API and schema contracts from the
 * command line, so CI enforces what the editor shows. See docs/contracts.md and docs/cli.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as sarif from "sarif";
import * as ts from "typescript";
import { changeKinds, type ChangeKind } from "../engine/contracts/changeKinds";
import { ContractError } from "../engine/contracts/contractError";
import { compareContract, snapshotContract, writeSnapshot, type ContractReport, type ProgramFor } from "../engine/contracts/contractRunner";
import { contractTargets, type ContractTarget } from "../engine/contracts/contractTargets";
import { JsonDocument } from "../engine/contracts/jsonPositions";
import { findContractTags, mirrorDrift } from "../engine/contracts/mirrorDrift";
import type { Classification, ContractChange } from "../engine/contracts/model";
import { findPackageFiles, packageEntries } from "../engine/contracts/packages";
import { messageDocsUri } from "../engine/docs";
import type { CompiledPolicy } from "../engine/policy/compiled";
import { didYouMean } from "../engine/policy/suggest";
import { inferredProjectOptions } from "../engine/workspace/project";
import { isUnder, normalizePath } from "../engine/workspace/paths";
import { Workspace } from "../engine/workspace/workspace";
import { oneOf, parseArgs, UsageError } from "./args";
import { contractAcceptCommand, contractAcceptUsage } from "./contractAcceptCommand";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";
import { discoverPolicyFiles, loadPolicySet } from "./policy/policyWorkspace";

/** For main's usage text. */
export const contractsUsage = `  selfheal contracts list [PATH] [--format text|json]   the contracts found: declared in policies, and package entry points
  selfheal contracts snapshot [NAME] [PATH]             write baselines (.selfheal/contracts/<name>.json) for every contract, or NAME
  selfheal contracts diff [PATH] [--format text|json|sarif] [--fail-on breaking|additive|never]
                                                        compare with the baselines; exit 1 on a change at or above --fail-on (default breaking)
${contractAcceptUsage}`;

const subcommands = ["list", "snapshot", "diff", "accept"];

export async function contractsCommand(argv: string[], io: CliIo, cwd: string = process.cwd()): Promise<number> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case "list":
      return listCommand(rest, io, cwd);
    case "snapshot":
      return snapshotCommand(rest, io, cwd);
    case "diff":
      return diffCommand(rest, io, cwd);
    case "accept":
      return contractAcceptCommand(rest, io, cwd);
    case undefined:
      throw new UsageError(`contracts needs a subcommand: ${subcommands.join(", ")}`);
    default:
      throw new UsageError(`unknown contracts subcommand '${subcommand}'${didYouMean(subcommand, subcommands) || ` (subcommands: ${subcommands.join(", ")})`}`);
  }
}

interface ContractWorkspace {
  folder: string;
  targets: ContractTarget[];
  skipped: ReturnType<typeof contractTargets>["skipped"];
  programFor: ProgramFor;
  workspace: Workspace;
  /** Policies that could not be read: the contracts under their folders cannot be known, so nothing there is judged (and the run fails closed). */
  brokenPolicies: string[];
}

function openWorkspace(written: string | undefined, io: CliIo, cwd: string): ContractWorkspace {
  const folder = normalizePath(path.resolve(cwd, written ?? "."));
  if (!fs.existsSync(folder)) throw new UsageError(`no such folder: ${written ?? folder}`);
  if (!fs.statSync(folder).isDirectory()) throw new UsageError(`not a folder: ${written} (contracts works on a workspace folder)`);
  const policies = loadPolicySet(folder, discoverPolicyFiles(folder));
  const broken = policies.brokenPolicies();
  for (const { file, problem } of broken) {
    io.stderr(`${display(problem.file, folder)}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: error ${problem.id}: ${problem.message}\n`);
    io.stderr(`selfheal: ${display(file, folder)} is broken: the contracts under ${display(path.posix.dirname(path.posix.dirname(file)), folder)} cannot be known and are not judged; fix it first (selfheal policy check)\n`);
  }
  const brokenRoots = broken.map(({ file }) => path.posix.dirname(path.posix.dirname(file)));
  const underBroken = (file: string) => brokenRoots.some((root) => isUnder(file, root));
  const compiled: CompiledPolicy[] = policies.policyFiles().filter((file) => !underBroken(file)).map((file) => policies.governing(file).policy);
  const packages = findPackageFiles(folder)
    .filter((file) => !underBroken(file))
    .flatMap((file) => packageEntries(file));
  const { targets, skipped } = contractTargets({ folder, policies: compiled, packages });
  const workspace = new Workspace();
  workspace.addFolder(folder);
  return { folder, targets, skipped, programFor: programSource(workspace), workspace, brokenPolicies: broken.map(({ file }) => file) };
}

/** The project's program for a source file; a declaration-file entry (no project owns one) gets a program of its own. */
function programSource(workspace: Workspace): ProgramFor {
  const standalone = new Map<string, ts.Program>();
  return (file) => {
    const project = workspace.projectOf(file);
    if (project) return project.program();
    if (!fs.existsSync(file)) return undefined;
    let program = standalone.get(file);
    if (!program) {
      const config = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
      const parsed = config ? ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} }) : undefined;
      program = ts.createProgram([file], { ...(parsed?.options ?? inferredProjectOptions), noEmit: true });
      standalone.set(file, program);
    }
    return program;
  };
}

function listCommand(argv: string[], io: CliIo, cwd: string): number {
  const args = parseArgs(argv, ["format"], []);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  if (args.positionals.length > 1) throw new UsageError("contracts list takes one folder");
  const opened = openWorkspace(args.positionals[0], io, cwd);
  const { folder, targets, skipped } = opened;
  const rows = targets.map((target) => ({
    name: target.name,
    kind: target.kind,
    file: display(target.file, folder),
    baseline: display(target.baseline, folder),
    hasBaseline: fs.existsSync(target.baseline),
    declared: target.declared,
    ...(target.via ? { via: target.via } : {}),
    breaking: target.breaking,
  }));
  if (format === "json") {
    io.stdout(JSON.stringify({ root: folder, contracts: rows, skipped: skipped.map(({ entry, reason }) => ({ package: entry.packageName, subpath: entry.subpath, reason })), brokenPolicies: opened.brokenPolicies.map((file) => display(file, folder)) }, null, 2) + "\n");
    return opened.brokenPolicies.length > 0 ? ExitCode.findings : ExitCode.ok;
  }
  for (const row of rows) io.stdout(`${row.name}  ${row.kind} ${row.file}  ${row.hasBaseline ? `baseline ${row.baseline}` : "no baseline yet"}${row.declared ? "" : `  (found: ${row.via})`}\n`);
  for (const { entry, reason } of skipped) io.stdout(`skipped ${entry.packageName} ${entry.subpath}: ${reason}\n`);
  io.stdout(`${plural(rows.length, "contract")}${skipped.length ? `, ${plural(skipped.length, "entry point")} skipped` : ""}\n`);
  return opened.brokenPolicies.length > 0 ? ExitCode.findings : ExitCode.ok;
}

function snapshotCommand(argv: string[], io: CliIo, cwd: string): number {
  const args = parseArgs(argv, [], []);
  if (args.positionals.length > 2) throw new UsageError("contracts snapshot takes a contract name and a folder, both optional");
  // One argument is a folder when it names one, else a contract name.
  const [first, second] = args.positionals;
  const firstIsFolder = second === undefined && first !== undefined && isFolder(path.resolve(cwd, first));
  const name = firstIsFolder ? undefined : first;
  const opened = openWorkspace(firstIsFolder ? first : second, io, cwd);
  const { folder, targets, programFor } = opened;
  const chosen = name === undefined ? targets : targets.filter((target) => target.name === name);
  if (name !== undefined && chosen.length === 0) {
    const names = targets.map((target) => target.name);
    throw new UsageError(`no contract named '${name}'${didYouMean(name, names) || (names.length ? ` (contracts: ${names.join(", ")})` : " (this folder has no contracts: declare one under contracts: in .selfheal/policy.yaml)")}`);
  }
  let failed = 0;
  for (const target of chosen) {
    try {
      const snapshot = snapshotContract(target, programFor);
      if (!snapshot.unchanged) writeSnapshot(snapshot);
      const described = snapshot.baseline.kind === "api" ? plural(Object.keys(snapshot.baseline.api.exports).length, "export") : "schema";
      io.stdout(`${snapshot.unchanged ? "unchanged" : "wrote"} ${display(target.baseline, folder)} (${target.name} ${snapshot.baseline.version}, ${described})\n`);
      for (const problem of snapshot.declarationProblems) io.stderr(`warning: ${target.name}: ${problem}; that type is 'any' in the baseline's declarations\n`);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      failed++;
      io.stderr(`selfheal: ${error.id}: ${error.message}\n`);
    }
  }
  if (chosen.length === 0) io.stdout(`no contracts in ${display(folder, cwd)}: declare one under contracts: in .selfheal/policy.yaml, or add an entry point to a package.json\n`);
  return failed > 0 || opened.brokenPolicies.length > 0 ? ExitCode.findings : ExitCode.ok;
}

async function diffCommand(argv: string[], io: CliIo, cwd: string): Promise<number> {
  const args = parseArgs(argv, ["format", "fail-on"], []);
  const format = oneOf("format", args.flags.get("format"), ["text", "json", "sarif"] as const, "text");
  const failOn = oneOf("fail-on", args.flags.get("fail-on"), ["breaking", "additive", "never"] as const, "breaking");
  if (args.positionals.length > 1) throw new UsageError("contracts diff takes one folder");
  const opened = openWorkspace(args.positionals[0], io, cwd);
  const { folder, targets, programFor } = opened;
  const reports = targets.map((target) => compareContract(target, programFor));
  const tagged = taggedMirrors(opened, targets);
  const all = [...reports.flatMap((report) => (report.target.breaking === "off" ? report.changes.filter((change) => change.classification !== "breaking") : report.changes)), ...tagged];

  if (format === "json") io.stdout(JSON.stringify(jsonReport(folder, reports, tagged), null, 2) + "\n");
  else if (format === "sarif") io.stdout(sarifReport(folder, reports, tagged, io.version));
  else io.stdout(textReport(folder, reports, tagged));

  if (failOn === "never") return ExitCode.ok;
  const threshold = failOn === "additive" ? 1 : 2;
  const rank: Record<Classification, number> = { breaking: 2, additive: 1, internal: 0 };
  const changeFails = all.some((change) => rank[change.classification] >= threshold);
  const bumpFails = reports.some((report) => report.version && !report.version.ok && (report.required !== "none") && (failOn === "additive" || report.changes.some((change) => change.classification === "breaking")));
  // Fail closed: a declared contract without a readable baseline, or one that could not be compared, is not a pass.
  const problems = reports.some((report) => report.problem !== undefined) || opened.brokenPolicies.length > 0;
  return changeFails || bumpFails || problems ? ExitCode.findings : ExitCode.ok;
}

/** Types tagged `@contract schema.json` anywhere in the workspace: only files whose text mentions the tag are given to the checker. */
function taggedMirrors(opened: ContractWorkspace, targets: readonly ContractTarget[]): ContractChange[] {
  const declared = new Set(targets.flatMap((target) => target.mirrors.map((mirror) => `${mirror.file}#${mirror.typeName}`)));
  const changes: ContractChange[] = [];
  for (const [project, files] of opened.workspace.filesByProject()) {
    const candidates = files.filter((file) => opened.workspace.documents.read(file)?.includes("@contract") === true);
    if (candidates.length === 0) continue;
    const program = project.program();
    for (const tag of findContractTags(program, candidates)) {
      if (declared.has(`${tag.file}#${tag.typeName}`)) continue;
      const schemaTarget = targets.find((target) => target.kind === "schema" && target.file === tag.schema);
      const contract = schemaTarget?.name ?? display(tag.schema, opened.folder);
      let text: string | undefined;
      try {
        text = fs.readFileSync(tag.schema, "utf8");
      } catch {
        text = undefined;
      }
      if (text === undefined) {
        changes.push({ contract, symbol: tag.typeName, kind: "mirror-field-missing", classification: "breaking", proof: "proven", file: tag.file, line: tag.location.range.start.line + 1, range: tag.location.range, message: `the @contract tag of ${tag.typeName} names ${display(tag.schema, opened.folder)}, which cannot be read` });
        continue;
      }
      changes.push(...mirrorDrift({ contract, program, typeFile: tag.file, typeName: tag.typeName, schemaFile: tag.schema, schema: new JsonDocument(tag.schema, text) }));
    }
  }
  return changes;
}

function textReport(folder: string, reports: readonly ContractReport[], tagged: readonly ContractChange[]): string {
  const lines: string[] = [];
  const counts: Record<Classification, number> = { breaking: 0, additive: 0, internal: 0 };
  let unregistered = 0;
  let missingBumps = 0;
  for (const report of reports) {
    const target = report.target;
    if (report.status === "no-baseline" && !report.problem) {
      unregistered++;
      continue;
    }
    const where = display(target.file, folder);
    if (report.problem) lines.push(`contract ${target.name} (${where}): ${report.problem.id}: ${report.problem.message}`);
    else {
      const header = `contract ${target.name} (${where}; baseline ${report.baselineVersion}, now ${report.currentVersion})`;
      lines.push(report.changes.length === 0 ? `${header}: no drift` : header);
    }
    for (const change of report.changes) {
      counts[change.classification]++;
      lines.push(`  ${changeLine(change, folder)}`);
    }
    if (report.version && !report.version.ok) {
      missingBumps++;
      lines.push(`  ${display(report.version.file, folder)}:${report.version.range.start.line + 1}:${report.version.range.start.character + 1} contract-version-bump: ${report.version.message}`);
    } else if (report.version && report.required !== "none") lines.push(`  version: ${report.version.message}`);
    for (const problem of report.declarationProblems) lines.push(`  note: ${problem} (that type is compared as 'any')`);
  }
  if (tagged.length > 0) {
    lines.push("@contract mirrors");
    for (const change of tagged) {
      counts[change.classification]++;
      lines.push(`  ${changeLine(change, folder)}`);
    }
  }
  const compared = reports.filter((report) => report.status === "compared").length;
  lines.push(
    `${plural(compared, "contract")} compared: ${counts.breaking} breaking, ${counts.additive} additive, ${counts.internal} internal${missingBumps ? `; ${plural(missingBumps, "version bump")} missing` : ""}${unregistered ? `; ${plural(unregistered, "package entry point")} without a baseline (selfheal contracts snapshot)` : ""}`,
  );
  return lines.join("\n") + "\n";
}

function changeLine(change: ContractChange, folder: string): string {
  return `${display(change.file, folder)}:${change.line}:${change.range.start.character + 1} ${change.classification} ${change.kind} (${change.proof}) ${change.symbol}: ${change.message}`;
}

function jsonChange(change: ContractChange, folder: string) {
  return {
    contract: change.contract,
    symbol: change.symbol,
    kind: change.kind,
    classification: change.classification,
    proof: change.proof,
    file: display(change.file, folder),
    line: change.line,
    column: change.range.start.character + 1,
    message: change.message,
  };
}

function jsonReport(folder: string, reports: readonly ContractReport[], tagged: readonly ContractChange[]) {
  const changes = [...reports.flatMap((report) => report.changes), ...tagged];
  return {
    root: folder,
    contracts: reports.map((report) => ({
      name: report.target.name,
      kind: report.target.kind,
      file: display(report.target.file, folder),
      baseline: display(report.target.baseline, folder),
      declared: report.target.declared,
      status: report.status,
      ...(report.baselineVersion !== undefined ? { baselineVersion: report.baselineVersion } : {}),
      currentVersion: report.currentVersion,
      requiredBump: report.required,
      ...(report.version ? { versionCheck: { ok: report.version.ok, required: report.version.required, actual: report.version.actual, message: report.version.message, file: display(report.version.file, folder), line: report.version.range.start.line + 1 } } : {}),
      ...(report.problem ? { problem: report.problem } : {}),
      changes: report.changes.map((change) => jsonChange(change, folder)),
    })),
    mirrors: tagged.map((change) => jsonChange(change, folder)),
    changes: changes.map((change) => jsonChange(change, folder)),
    summary: {
      breaking: changes.filter((change) => change.classification === "breaking").length,
      additive: changes.filter((change) => change.classification === "additive").length,
      internal: changes.filter((change) => change.classification === "internal").length,
      versionBumpsMissing: reports.filter((report) => report.version && !report.version.ok).length,
      problems: reports.filter((report) => report.problem).length,
    },
  };
}

const levelOf: Record<Classification, sarif.Result.level> = { breaking: "error", additive: "note", internal: "none" };
const severityLevel: Record<string, sarif.Result.level> = { error: "error", warning: "warning", info: "note", hint: "note", off: "none" };

/** SARIF 2.1.0 like `check --format sarif`: one rule per change kind, plus the version-bump and problem ids. */
function sarifReport(folder: string, reports: readonly ContractReport[], tagged: readonly ContractChange[], toolVersion: string): string {
  const ruleIds = [...Object.keys(changeKinds), "contract-version-bump", "contract-baseline-missing", "contract-baseline-invalid", "contract-entry-missing", "contract-schema-invalid", "contract-mirror-invalid"];
  const rules: sarif.ReportingDescriptor[] = ruleIds.map((id) => {
    const kind = changeKinds[id as ChangeKind];
    return {
      id,
      name: id,
      shortDescription: { text: kind?.summary ?? messageSummaries[id] ?? id },
      helpUri: kind ? messageDocsUri(id).replace(/messages\.md#.*$/, `contracts.md#${id}`) : messageDocsUri(id),
      defaultConfiguration: { level: kind ? levelOf[kind.classification] : "error" },
    };
  });
  const location = (file: string, range: ContractChange["range"]): sarif.Location => ({
    physicalLocation: {
      artifactLocation: { uri: relativeUri(display(file, folder)), uriBaseId: "SRCROOT" },
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  });
  const results: sarif.Result[] = [];
  const push = (ruleId: string, level: sarif.Result.level, text: string, file: string, range: ContractChange["range"], properties: Record<string, unknown>) => {
    results.push({ ruleId, ruleIndex: ruleIds.indexOf(ruleId), level, message: { text }, locations: [location(file, range)], properties });
  };
  for (const report of reports) {
    const breakingLevel = severityLevel[report.target.breaking] ?? "error";
    for (const change of report.changes) {
      push(change.kind, change.classification === "breaking" ? breakingLevel : levelOf[change.classification], `${change.symbol}: ${change.message}`, change.file, change.range, { contract: change.contract, classification: change.classification, proof: change.proof });
    }
    if (report.version && !report.version.ok) push("contract-version-bump", "error", `${report.target.name}: ${report.version.message}`, report.version.file, report.version.range, { contract: report.target.name, required: report.version.required, actual: report.version.actual });
    if (report.problem) push(report.problem.id, "error", `${report.target.name}: ${report.problem.message}`, report.target.file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { contract: report.target.name });
  }
  for (const change of tagged) push(change.kind, levelOf[change.classification], `${change.symbol}: ${change.message}`, change.file, change.range, { contract: change.contract, classification: change.classification, proof: change.proof });
  const log: sarif.Log = {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "selfheal", fullName: "Self-Healing Code", version: toolVersion, semanticVersion: toolVersion, rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(folder).href.replace(/\/?$/, "/") } },
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

const messageSummaries: Record<string, string> = {
  "contract-version-bump": "The package version was not bumped as much as the contract drift requires.",
  "contract-baseline-missing": "A contract declared in the policy has no baseline yet.",
  "contract-baseline-invalid": "A baseline file is not a valid baseline.",
  "contract-entry-missing": "A contract's entry module cannot be analyzed.",
  "contract-schema-invalid": "A schema file cannot be read or is not JSON.",
  "contract-mirror-invalid": "A mirrored type cannot be found.",
};

/** Per segment: `#` and `?` in a file name must not become a fragment or a query. */
function relativeUri(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

function display(file: string, folder: string): string {
  if (!isUnder(file, folder)) return file;
  return path.posix.relative(folder, file) || ".";
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
