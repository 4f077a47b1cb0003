/**
 * `selfheal fix [FOLDER] --rule R [--file F] [--dry-run] [--yes] [--format text|json]`: every
 * preferred fix of rule R (in F, or in the whole folder) as one plan, through the same pipeline
 * as the editor: policy decision, verification, then written with the ledger's intent protocol
 * and recorded. See docs/cli.md ("fix") and docs/pipeline.md.
 *
 * The workspace counts as trusted here (`engine.policies.trusted = true`): the user ran the
 * command in this folder, as they would run `npm test` there, so the policy's verify.command
 * runs (in a scratch copy). The editor decides trust through VS Code's Workspace Trust instead.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PlanError } from "../engine/agents/messages";
import { planFixAll } from "../engine/agents/planner";
import { Engine, type Logger } from "../engine/analysis/engine";
import { LedgerError } from "../engine/ledger/ledgerError";
import { findRule } from "../engine/rules";
import { defaultEngineSettings } from "../engine/settings";
import { isUnder, normalizePath } from "../engine/workspace/paths";
import { oneOf, parseArgs, UsageError } from "./args";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";
import { printRefusal, runPlanFromCli } from "./pipelineRun";

/** For main's usage text. */
export const fixUsage = `  selfheal fix [FOLDER] --rule R [--file F] [--dry-run] [--yes] [--format text|json]
                                                        fix every finding of rule R: verified, then recorded in the ledger`;


export async function fixCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ["rule", "file", "format"], ["dry-run", "yes"]);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  if (args.positionals.length > 1) throw new UsageError(`fix takes one folder (got ${args.positionals.join(" ")})`);
  const root = normalizePath(args.positionals[0] ?? ".");
  if (!fs.existsSync(root)) throw new UsageError(`no such folder: ${root}`);
  if (!fs.statSync(root).isDirectory()) throw new UsageError(`not a folder: ${root} (fix works on a workspace folder; use --file for one file)`);
  const ruleId = args.flags.get("rule");
  if (typeof ruleId !== "string") throw new UsageError("fix needs --rule R (`selfheal rules` lists the rules; those with a fix can be used)");
  const rule = findRule(ruleId);
  if (!rule) throw new UsageError(`--rule: no rule has the id '${ruleId}' (\`selfheal rules\` lists them)`);
  if (!rule.meta.fixable) throw new UsageError(`--rule: ${ruleId} offers no fix, so there is nothing to apply`);
  const fileFlag = args.flags.get("file");
  const file = typeof fileFlag === "string" ? normalizePath(fileFlag) : undefined;
  if (file !== undefined && !(fs.existsSync(file) && fs.statSync(file).isFile())) throw new UsageError(`--file: no such file: ${file} (relative paths are relative to the current folder)`);
  if (file !== undefined && !isUnder(file, root)) throw new UsageError(`--file: ${file} is not inside the folder ${root}`);

  const logger: Logger = { info: () => {}, warn: (message) => io.stderr(`warning: ${message}\n`), error: (message) => io.stderr(`error: ${message}\n`) };
  const engine = new Engine(defaultEngineSettings, logger);
  engine.policies.trusted = true;
  engine.workspace.addFolder(root);
  await engine.analyzeAll();

  const print = (report: object, text: string) => io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : text);
  try {
    const plan = planFixAll(engine, ruleId, file !== undefined ? { file } : {});
    if (!plan) {
      const where = file !== undefined ? path.posix.relative(root, file) : "the folder";
      const message = `nothing to fix: no finding of ${ruleId} in ${where} has a fix that applies on "fix all"${unpreferredNote(engine, ruleId, file)}`;
      print({ outcome: "plan-nothing-to-fix", message }, `plan-nothing-to-fix: ${message}\n`);
      return ExitCode.ok;
    }
    return await runPlanFromCli(engine, plan, { dryRun: args.flags.has("dry-run"), yes: args.flags.has("yes"), format, root, io });
  } catch (error) {
    if (error instanceof PlanError || error instanceof LedgerError) return printRefusal(io, format, error.id, error.message);
    throw error;
  }
}

/** Findings whose only fixes are not preferred (no-explicit-any's `unknown`) are left for a person in the editor. */
function unpreferredNote(engine: Engine, ruleId: string, file: string | undefined): string {
  const findings = (file !== undefined ? engine.findingsFor(file) : engine.allFindings()).filter((finding) => finding.ruleId === ruleId);
  const unpreferred = findings.filter((finding) => finding.fixes.length > 0 && !finding.fixes.some((fix) => fix.isPreferred)).length;
  if (unpreferred === 0) return "";
  return ` (${unpreferred} ${unpreferred === 1 ? "finding has" : "findings have"} only fixes that are not preferred; apply those one at a time in the editor)`;
}
