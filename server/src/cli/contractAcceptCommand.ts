/**
 * `selfheal contracts accept NAME [PATH] [--dry-run] [--yes] [--format text|json]`: the drift of
 * contract NAME becomes its new baseline at the version the drift requires, with a migration
 * note, through the same pipeline as the editor's "Accept as contract vX.Y.Z" (policy decision,
 * verification, ledger entry of kind `contract-accept`). See docs/contracts.md ("Accepting drift").
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { planContractAccept } from "../engine/agents/contractAccept";
import { PlanError } from "../engine/agents/messages";
import { Engine, type Logger } from "../engine/analysis/engine";
import { LedgerError } from "../engine/ledger/ledgerError";
import { defaultEngineSettings } from "../engine/settings";
import { normalizePath } from "../engine/workspace/paths";
import { oneOf, parseArgs, UsageError } from "./args";
import type { CliIo } from "./check";
import { printRefusal, runPlanFromCli } from "./pipelineRun";

export const contractAcceptUsage = `  selfheal contracts accept NAME [PATH] [--dry-run] [--yes] [--format text|json]
                                                        accept NAME's drift: new baseline, version bump, migration note; recorded in the ledger`;

export async function contractAcceptCommand(argv: string[], io: CliIo, cwd: string): Promise<number> {
  const args = parseArgs(argv, ["format"], ["dry-run", "yes"]);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  const [name, written, ...extra] = args.positionals;
  if (name === undefined) throw new UsageError("contracts accept needs the contract's name (`selfheal contracts list` shows them)");
  if (extra.length > 0) throw new UsageError(`contracts accept takes a contract name and a folder (got ${args.positionals.join(" ")})`);
  const root = normalizePath(path.resolve(cwd, written ?? "."));
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`not a folder: ${written ?? root}`);

  const logger: Logger = { info: () => {}, warn: (message) => io.stderr(`warning: ${message}\n`), error: (message) => io.stderr(`error: ${message}\n`) };
  const engine = new Engine(defaultEngineSettings, logger);
  // As for `selfheal fix`: the user runs this in the folder, as they would run its tests.
  engine.policies.trusted = true;
  engine.workspace.addFolder(root);
  engine.policies.load(engine.workspace.folderList(), engine.workspace.policyFiles());
  // Fails closed, as `contracts diff` does: under a broken policy the contracts cannot be known.
  const broken = engine.policies.brokenPolicies();
  if (broken.length > 0) {
    for (const { problem } of broken) io.stderr(`${path.relative(root, problem.file)}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: error ${problem.id}: ${problem.message}\n`);
    return printRefusal(io, format, "plan-policy-broken", `${broken.map(({ file }) => path.relative(root, file)).join(", ")} cannot be read, so the contracts it declares and the decision on this change cannot be known; fix it first (selfheal policy check); nothing was planned`);
  }
  if (!engine.contracts.targets().some((target) => target.name === name)) {
    const names = engine.contracts.targets().map((target) => target.name);
    throw new UsageError(`no contract is named '${name}' in ${written ?? "this folder"} (${names.length === 0 ? "it has none" : `it has ${names.join(", ")}`})`);
  }
  try {
    const plan = planContractAccept(engine, name);
    return await runPlanFromCli(engine, plan, { dryRun: args.flags.has("dry-run"), yes: args.flags.has("yes"), format, root, io });
  } catch (error) {
    if (error instanceof PlanError || error instanceof LedgerError) return printRefusal(io, format, error.id, error.message);
    throw error;
  }
}
