import * as fs from "node:fs";
import { Engine, type Logger } from "../engine/analysis/engine";
import { severityRank, type Severity } from "../engine/findings";
import { recordFolderHealth } from "../engine/health/workspaceHealth";
import { defaultEngineSettings } from "../engine/settings";
import { normalizePath } from "../engine/workspace/paths";
import { oneOf, parseArgs, UsageError } from "./args";
import { ExitCode } from "./exitCodes";
import { buildReport } from "./formats/report";
import { formatSarif } from "./formats/sarif";
import { formatText } from "./formats/text";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTty: boolean;
  version: string;
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ["format", "fail-on", "max-file-size-kb"], ["no-type-aware", "verbose", "record-health"]);
  const format = oneOf("format", args.flags.get("format"), ["text", "json", "sarif"] as const, "text");
  const failOn = oneOf("fail-on", args.flags.get("fail-on"), ["error", "warning", "never"] as const, "error");
  if (args.positionals.length > 1) throw new UsageError("check takes one folder");
  const root = normalizePath(args.positionals[0] ?? ".");
  if (!fs.existsSync(root)) throw new UsageError(`no such folder: ${root}`);
  if (!fs.statSync(root).isDirectory()) throw new UsageError(`not a folder: ${root} (check analyzes a workspace folder)`);
  const maxFileSize = args.flags.get("max-file-size-kb");
  const maxFileSizeKB = maxFileSize === undefined ? defaultEngineSettings.maxFileSizeKB : Number(maxFileSize);
  if (!Number.isFinite(maxFileSizeKB) || maxFileSizeKB <= 0) throw new UsageError("--max-file-size-kb must be a positive number");

  const verbose = args.flags.get("verbose") === true;
  const logger: Logger = {
    info: (message) => verbose && io.stderr(`info: ${message}\n`),
    warn: (message) => io.stderr(`warning: ${message}\n`),
    error: (message) => io.stderr(`error: ${message}\n`),
  };
  const started = Date.now();
  const engine = new Engine({ ...defaultEngineSettings, maxFileSizeKB, typeAware: args.flags.get("no-type-aware") !== true }, logger);
  engine.workspace.addFolder(root);
  await engine.analyzeAll();
  const findings = engine.allFindings();
  const report = buildReport(root, findings, engine.workspace.analyzedFiles().length, engine.linesAnalyzed(), Date.now() - started);

  if (args.flags.get("record-health") === true) recordHealth(root, engine, io);

  if (format === "json") io.stdout(JSON.stringify(report, null, 2) + "\n");
  else if (format === "sarif") io.stdout(formatSarif(report, io.version));
  else io.stdout(formatText(report, io.isTty));

  if (failOn === "never") return ExitCode.ok;
  const threshold = severityRank[failOn as Severity];
  return findings.some((finding) => severityRank[finding.severity] <= threshold) ? ExitCode.findings : ExitCode.ok;
}

/** `--record-health`: the analysis as a sample in the folder's `.selfheal/health.jsonl` (see engine/health/healthLog.ts). */
function recordHealth(root: string, engine: Engine, io: CliIo): void {
  const outcome = recordFolderHealth(engine, root);
  for (const problem of outcome.problems) io.stderr(`warning: health-log-bad-line: ${outcome.file}:${problem.line}: skipped: ${problem.detail}\n`);
  io.stderr(outcome.written ? `health sample recorded in ${outcome.file}\n` : `health sample not recorded: the last one, under an hour old, has the same numbers\n`);
}
